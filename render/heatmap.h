/* heatmap.h — the FBN × filter correlation matrix, sorted to show pairs */
#pragma once

#include "render/colormap.h"
#include "render/style.h"

G_BEGIN_DECLS

typedef struct {
  const float *r;          /* rows × cols, row-major: r[fbn * cols + filter] */
  int          rows;       /* FBNs */
  int          cols;       /* filters */
  const int   *row_order;  /* display position → row; NULL = identity */
  const int   *col_order;  /* display position → col; NULL = identity */
  int          selected_row; /* -1 = none */
  SaColormap   colormap;   /* RdBu for signed r */
  double       vmax;       /* |r| at the ends; 0 = max |r| */
  /* A filter to outline (the filter → FBN direction's choice); last, so
   * params filled without it outline none. */
  gboolean     outline_col;
  int          selected_col;
} SaHeatmapParams;

/* Orders rows by their best r (descending) and puts each row's best column
 * next in the column order, so pairs line up on the diagonal from the top
 * left; columns paired with no row follow, nearest their best row. */
void     sa_heatmap_sort_pairs (const float *r,
                                int          rows,
                                int          cols,
                                int         *row_order,
                                int         *col_order);

void     sa_heatmap_draw       (cairo_t               *cr,
                                const SaRenderStyle   *style,
                                const SaHeatmapParams *params,
                                double                 width,
                                double                 height);

/* Pixel → matrix row and column (through the orders). */
gboolean sa_heatmap_pick       (const SaRenderStyle   *style,
                                const SaHeatmapParams *params,
                                double                 width,
                                double                 height,
                                double                 x,
                                double                 y,
                                int                   *row,
                                int                   *col);

G_END_DECLS
