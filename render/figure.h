/* figure.h — the composed pair figure and PNG/SVG/PDF export of any drawing */
#pragma once

#include <gio/gio.h>

#include "render/gallery.h"
#include "render/slices.h"
#include "render/traces.h"

G_BEGIN_DECLS

typedef enum {
  SA_FIGURE_PNG,
  SA_FIGURE_SVG,
  SA_FIGURE_PDF,
} SaFigureFormat;

/* Draws into 0,0–width,height (points when exporting). */
typedef void (*SaFigureDrawFunc) (cairo_t             *cr,
                                  const SaRenderStyle *style,
                                  double               width,
                                  double               height,
                                  gpointer             user_data);

/* Like the paper's Fig. 4: (a) the FBN's map on the template with its colour
 * bar, (b) the FBN's and the filter's z-scored traces with r and p, (c) the
 * filter's top-activating frames. */
typedef struct {
  const char    *title;
  SaSliceParams  slices;
  SaTraceParams  traces;
  const SaFrame *frames;
  int            n_frames;
  const char    *overlay_label;  /* colour bar title, e.g. "loading" */
} SaPairFigure;

void     sa_figure_pair_draw     (cairo_t             *cr,
                                  const SaRenderStyle *style,
                                  double               width,
                                  double               height,
                                  gpointer             pair_figure);

/* Renders @draw off-screen at @width_pt × @height_pt (1/72 in) with the
 * journal style and writes @path atomically. PNG is rasterised at @dpi
 * (pixels = points / 72 · dpi) and carries a pHYs chunk with that DPI; SVG and
 * PDF stay vector where the drawing is vector. */
gboolean sa_figure_export        (SaFigureDrawFunc     draw,
                                  gpointer             user_data,
                                  SaFigureFormat       format,
                                  double               width_pt,
                                  double               height_pt,
                                  double               dpi,
                                  const char          *path,
                                  GError             **error);

/* "png", "svg", "pdf" (any case), or a path ending in one. */
gboolean sa_figure_format_parse  (const char          *name,
                                  SaFigureFormat      *format);

G_END_DECLS
