#include "config.h"

#include "render/colorbar.h"

#include <math.h>

void
sa_colorbar_draw (cairo_t             *cr,
                  const SaRenderStyle *style,
                  SaColormap           map,
                  double               vmin,
                  double               vmax,
                  double               threshold,
                  const char          *label,
                  double               x,
                  double               y,
                  double               w,
                  double               h)
{
  double fs = style->font_size;
  double bar_w = MIN (w * 0.35, fs * 1.2);
  double top = y + (label ? 1.6 * fs : 0);
  double bar_h = MAX (h - (top - y) - 0.6 * fs, 1);
  cairo_pattern_t *grad;

  g_return_if_fail (cr != NULL && style != NULL);

  if (vmax <= vmin)
    vmax = vmin + 1;

  cairo_save (cr);
  /* A 64-stop linear gradient: vector in SVG/PDF, smooth at any size. */
  grad = cairo_pattern_create_linear (0, top + bar_h, 0, top);
  for (int i = 0; i <= 64; i++)
    {
      double rgb[3], t = i / 64.0, v = vmin + t * (vmax - vmin);

      sa_colormap_sample (map, t, rgb);
      if (threshold > 0 && sa_colormap_is_diverging (map) && fabs (v) < threshold)
        rgb[0] = rgb[1] = rgb[2] = 0.6;
      cairo_pattern_add_color_stop_rgb (grad, t, rgb[0], rgb[1], rgb[2]);
    }
  cairo_rectangle (cr, x, top, bar_w, bar_h);
  cairo_set_source (cr, grad);
  cairo_fill_preserve (cr);
  cairo_pattern_destroy (grad);
  cairo_set_line_width (cr, style->line_width);
  sa_render_set_rgb (cr, style->fg);
  cairo_stroke (cr);

  for (int k = 0; k <= 2; k++)
    {
      double v = vmin + k * (vmax - vmin) / 2;
      double ty = top + bar_h - k * bar_h / 2;
      g_autofree char *text = g_strdup_printf ("%.2g", fabs (v) < 1e-12 ? 0.0 : v);

      cairo_move_to (cr, x + bar_w, ty);
      cairo_line_to (cr, x + bar_w + 0.35 * fs, ty);
      cairo_stroke (cr);
      sa_render_text (cr, style, text, 1.0, x + bar_w + 0.5 * fs, ty, 0, 0.5);
    }
  if (label)
    sa_render_text (cr, style, label, 1.0, x, y, 0, 0);
  cairo_restore (cr);
}
