#include "config.h"

#include "render/frame-figure.h"

#include <glib/gi18n.h>

char *
sa_frame_figure_caption (double time,
                         int    tr_index)
{
  return g_strdup_printf (_("t = %.1f s · TR %d"), time, tr_index);
}

void
sa_frame_figure_image_rect (const SaRenderStyle *style,
                            const SaFrameFigure *fig,
                            double               width,
                            double               height,
                            double               rect[4])
{
  /* The caption's line and a little air above it. */
  double caption_h = fig->caption ? 1.8 * style->font_size : 0;
  double avail_h = MAX (height - caption_h, 1);
  double scale = 1;

  if (fig->frame.width > 0 && fig->frame.height > 0)
    scale = MIN (width / fig->frame.width, avail_h / fig->frame.height);
  rect[2] = fig->frame.width * scale;
  rect[3] = fig->frame.height * scale;
  rect[0] = (width - rect[2]) / 2;
  /* Frame and caption together, centred: no gap between them when the
   * frame is wider than the figure's shape. */
  rect[1] = (avail_h - rect[3]) / 2;
}

void
sa_frame_figure_draw (cairo_t             *cr,
                      const SaRenderStyle *style,
                      double               width,
                      double               height,
                      gpointer             frame_figure)
{
  const SaFrameFigure *fig = frame_figure;
  double r[4];

  g_return_if_fail (cr != NULL && style != NULL && fig != NULL);

  sa_render_set_rgb (cr, style->bg);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  if (fig->frame.rgb == NULL)
    return;
  sa_frame_figure_image_rect (style, fig, width, height, r);
  sa_frame_draw (cr, &fig->frame, r[0], r[1], r[2], r[3]);
  if (fig->caption)
    {
      sa_render_set_rgb (cr, style->fg);
      sa_render_text (cr, style, fig->caption, 1.0, width / 2, r[1] + r[3] + 0.4 * style->font_size,
                      0.5, 0);
    }
}
