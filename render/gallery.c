#include "config.h"

#include <glib/gi18n.h>

#include "render/gallery.h"

cairo_surface_t *
sa_frame_to_surface (const SaFrame *frame)
{
  cairo_surface_t *img;
  guint8 *dst;
  int dst_stride;

  g_return_val_if_fail (frame != NULL && frame->rgb != NULL, NULL);

  img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, frame->width, frame->height);
  cairo_surface_flush (img);
  dst = cairo_image_surface_get_data (img);
  dst_stride = cairo_image_surface_get_stride (img);
  for (int y = 0; y < frame->height; y++)
    {
      const guint8 *s = frame->rgb + (gsize) y * frame->stride;
      guint32 *d = (guint32 *) (dst + (gsize) y * dst_stride);

      for (int x = 0; x < frame->width; x++)
        d[x] = 0xff000000u | (guint32) s[3 * x] << 16 | (guint32) s[3 * x + 1] << 8 | s[3 * x + 2];
    }
  cairo_surface_mark_dirty (img);
  return img;
}

void
sa_frame_draw (cairo_t       *cr,
               const SaFrame *frame,
               double         x,
               double         y,
               double         w,
               double         h)
{
  cairo_surface_t *img;
  double scale;

  g_return_if_fail (cr != NULL && frame != NULL);
  if (frame->width <= 0 || frame->height <= 0 || w <= 0 || h <= 0)
    return;

  img = sa_frame_to_surface (frame);
  scale = MIN (w / frame->width, h / frame->height);
  cairo_save (cr);
  cairo_translate (cr, x + (w - frame->width * scale) / 2, y + (h - frame->height * scale) / 2);
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, img, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_rectangle (cr, 0, 0, frame->width, frame->height);
  cairo_fill (cr);
  cairo_restore (cr);
  cairo_surface_destroy (img);
}

static void
cell (const SaRenderStyle *style,
      int                  n,
      int                  i,
      double               width,
      double               height,
      double              *x,
      double              *y,
      double              *w,
      double              *h)
{
  double gap = style->font_size * 0.5;
  double caption = style->font_size * 2.6;

  *w = (width - gap * (n - 1)) / n;
  *h = MAX (height - caption, 1);
  *x = i * (*w + gap);
  *y = 0;
}

void
sa_gallery_draw (cairo_t             *cr,
                 const SaRenderStyle *style,
                 const SaFrame       *frames,
                 int                  n,
                 double               width,
                 double               height)
{
  g_return_if_fail (cr != NULL && style != NULL);

  for (int i = 0; i < n; i++)
    {
      double x, y, w, h, ty;

      cell (style, n, i, width, height, &x, &y, &w, &h);
      sa_frame_draw (cr, &frames[i], x, y, w, h);
      sa_render_set_rgb (cr, style->fg);
      ty = y + h + 0.2 * style->font_size;
      if (frames[i].time >= 0)
        {
          g_autofree char *t = g_strdup_printf (_("t = %.1f s"), frames[i].time);
          sa_render_text (cr, style, t, 1.0, x + w / 2, ty, 0.5, 0);
          ty += 1.2 * style->font_size;
        }
      if (frames[i].caption)
        sa_render_text (cr, style, frames[i].caption, 1.0, x + w / 2, ty, 0.5, 0);
    }
}

int
sa_gallery_pick (const SaRenderStyle *style,
                 int                  n,
                 double               width,
                 double               height,
                 double               px,
                 double               py)
{
  for (int i = 0; i < n; i++)
    {
      double x, y, w, h;

      cell (style, n, i, width, height, &x, &y, &w, &h);
      if (px >= x && px < x + w && py >= y && py < y + h)
        return i;
    }
  return -1;
}
