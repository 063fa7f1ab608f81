#include "config.h"

#include "render/heatmap.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#include "render/colorbar.h"

typedef struct {
  double x0, y0, w, h;     /* matrix area */
  double bar_x, bar_w;     /* colour bar */
} Layout;

static Layout
heatmap_layout (const SaRenderStyle *style,
                double               width,
                double               height)
{
  double fs = style->font_size;
  Layout l;

  l.bar_w = 4.5 * fs;
  l.x0 = 1.8 * fs;
  l.y0 = 0.5 * fs;
  l.w = MAX (width - l.x0 - l.bar_w - fs, 1);
  l.h = MAX (height - l.y0 - 1.8 * fs, 1);
  l.bar_x = l.x0 + l.w + fs;
  return l;
}

typedef struct {
  int   index;
  float key;
} Ranked;

static int
cmp_ranked_desc (const void *a, const void *b)
{
  const Ranked *x = a, *y = b;

  if (x->key != y->key)
    return x->key < y->key ? 1 : -1;
  return x->index - y->index;
}

void
sa_heatmap_sort_pairs (const float *r,
                       int          rows,
                       int          cols,
                       int         *row_order,
                       int         *col_order)
{
  g_autofree Ranked *ranked = g_new (Ranked, MAX (rows, cols));
  g_autofree int *best_col = g_new (int, MAX (rows, 1));
  g_autofree int *row_pos = g_new (int, MAX (rows, 1));
  g_autofree gboolean *placed = g_new0 (gboolean, MAX (cols, 1));
  int n = 0;

  g_return_if_fail (r != NULL && row_order != NULL && col_order != NULL);

  for (int i = 0; i < rows; i++)
    {
      int best = 0;

      for (int j = 1; j < cols; j++)
        if (r[(gsize) i * cols + j] > r[(gsize) i * cols + best])
          best = j;
      best_col[i] = best;
      ranked[i] = (Ranked) { i, cols > 0 ? r[(gsize) i * cols + best] : 0 };
    }
  qsort (ranked, rows, sizeof (Ranked), cmp_ranked_desc);
  for (int k = 0; k < rows; k++)
    {
      row_order[k] = ranked[k].index;
      row_pos[ranked[k].index] = k;
    }
  for (int k = 0; k < rows; k++)
    {
      int c = best_col[row_order[k]];

      if (cols > 0 && !placed[c])
        {
          placed[c] = TRUE;
          col_order[n++] = c;
        }
    }
  /* The rest by the display position of their best row, then by r. */
  {
    int m = 0;

    for (int j = 0; j < cols; j++)
      if (!placed[j])
        {
          int best = 0;

          for (int i = 1; i < rows; i++)
            if (r[(gsize) i * cols + j] > r[(gsize) best * cols + j])
              best = i;
          ranked[m++] = (Ranked) { j, rows > 0 ? -(float) row_pos[best] - 0.5f * (1 - r[(gsize) best * cols + j]) / 2 : 0 };
        }
    qsort (ranked, m, sizeof (Ranked), cmp_ranked_desc);
    for (int k = 0; k < m; k++)
      col_order[n++] = ranked[k].index;
  }
}

void
sa_heatmap_draw (cairo_t               *cr,
                 const SaRenderStyle   *style,
                 const SaHeatmapParams *p,
                 double                 width,
                 double                 height)
{
  Layout l;
  cairo_surface_t *img;
  guint32 *pix;
  int stride;
  double vmax = p->vmax;
  double fs;

  g_return_if_fail (cr != NULL && style != NULL && p != NULL);
  if (p->rows <= 0 || p->cols <= 0 || p->r == NULL)
    return;

  l = heatmap_layout (style, width, height);
  fs = style->font_size;
  if (vmax <= 0)
    {
      for (gsize i = 0; i < (gsize) p->rows * p->cols; i++)
        if (!isnan (p->r[i]))
          vmax = MAX (vmax, fabs (p->r[i]));
      if (vmax <= 0)
        vmax = 1;
    }

  /* One image pixel per cell, scaled up with nearest filtering: crisp cells
   * on screen and one small embedded image in SVG/PDF. */
  img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, p->cols, p->rows);
  cairo_surface_flush (img);
  pix = (guint32 *) cairo_image_surface_get_data (img);
  stride = cairo_image_surface_get_stride (img) / 4;
  for (int y = 0; y < p->rows; y++)
    for (int x = 0; x < p->cols; x++)
      {
        int row = p->row_order ? p->row_order[y] : y;
        int col = p->col_order ? p->col_order[x] : x;
        double v = p->r[(gsize) row * p->cols + col];

        pix[y * stride + x] = sa_colormap_sample_rgb24 (p->colormap,
          sa_colormap_is_diverging (p->colormap) ? 0.5 + 0.5 * v / vmax : v / vmax);
      }
  cairo_surface_mark_dirty (img);

  cairo_save (cr);
  cairo_save (cr);
  cairo_translate (cr, l.x0, l.y0);
  cairo_scale (cr, l.w / p->cols, l.h / p->rows);
  cairo_set_source_surface (cr, img, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_rectangle (cr, 0, 0, p->cols, p->rows);
  cairo_fill (cr);
  cairo_restore (cr);
  cairo_surface_destroy (img);

  cairo_set_line_width (cr, style->line_width);
  sa_render_set_rgb (cr, style->fg);
  cairo_rectangle (cr, l.x0, l.y0, l.w, l.h);
  cairo_stroke (cr);

  if (p->selected_row >= 0)
    for (int y = 0; y < p->rows; y++)
      if ((p->row_order ? p->row_order[y] : y) == p->selected_row)
        {
          double rh = l.h / p->rows;

          cairo_set_line_width (cr, 1.5 * style->line_width);
          sa_render_set_rgb (cr, style->accent);
          cairo_rectangle (cr, l.x0, l.y0 + y * rh, l.w, rh);
          cairo_stroke (cr);
        }

  if (p->outline_col)
    for (int x = 0; x < p->cols; x++)
      if ((p->col_order ? p->col_order[x] : x) == p->selected_col)
        {
          double cw = l.w / p->cols;

          cairo_set_line_width (cr, 1.5 * style->line_width);
          sa_render_set_rgb (cr, style->accent2);
          cairo_rectangle (cr, l.x0 + x * cw, l.y0, cw, l.h);
          cairo_stroke (cr);
        }

  sa_render_set_rgb (cr, style->fg);
  sa_render_text (cr, style, _("Filters (sorted by pair)"), 1.0,
                  l.x0 + l.w / 2, l.y0 + l.h + 0.4 * fs, 0.5, 0);
  cairo_save (cr);
  cairo_translate (cr, l.x0 - 1.5 * fs, l.y0 + l.h / 2);
  cairo_rotate (cr, -G_PI / 2);
  sa_render_text (cr, style, _("FBNs"), 1.0, 0, 0, 0.5, 0);
  cairo_restore (cr);

  if (sa_colormap_is_diverging (p->colormap))
    sa_colorbar_draw (cr, style, p->colormap, -vmax, vmax, 0, "r", l.bar_x, l.y0, l.bar_w, l.h);
  else
    sa_colorbar_draw (cr, style, p->colormap, 0, vmax, 0, "r", l.bar_x, l.y0, l.bar_w, l.h);
  cairo_restore (cr);
}

gboolean
sa_heatmap_pick (const SaRenderStyle   *style,
                 const SaHeatmapParams *p,
                 double                 width,
                 double                 height,
                 double                 x,
                 double                 y,
                 int                   *row,
                 int                   *col)
{
  Layout l;
  int dx, dy;

  g_return_val_if_fail (style != NULL && p != NULL, FALSE);
  if (p->rows <= 0 || p->cols <= 0)
    return FALSE;
  l = heatmap_layout (style, width, height);
  if (x < l.x0 || y < l.y0 || x >= l.x0 + l.w || y >= l.y0 + l.h)
    return FALSE;
  dx = (int) ((x - l.x0) / l.w * p->cols);
  dy = (int) ((y - l.y0) / l.h * p->rows);
  dx = CLAMP (dx, 0, p->cols - 1);
  dy = CLAMP (dy, 0, p->rows - 1);
  if (row)
    *row = p->row_order ? p->row_order[dy] : dy;
  if (col)
    *col = p->col_order ? p->col_order[dx] : dx;
  return TRUE;
}
