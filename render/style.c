#include "config.h"

#include "render/style.h"

/* Okabe–Ito colours: distinguishable under every common colour-vision
 * deficiency, so two traces never rely on red vs green. */
static const double okabe_blue[3] = { 0.0, 0.447, 0.698 };
static const double okabe_vermillion[3] = { 0.835, 0.369, 0.0 };
static const double okabe_sky[3] = { 0.337, 0.706, 0.914 };
static const double okabe_orange[3] = { 0.902, 0.624, 0.0 };

static void
copy3 (double dst[3], const double src[3])
{
  dst[0] = src[0]; dst[1] = src[1]; dst[2] = src[2];
}

void
sa_render_style_init_figure (SaRenderStyle *style)
{
  g_return_if_fail (style != NULL);

  style->font_family = "Sans";
  style->font_size = 7.0;
  style->line_width = 0.6;
  style->fg[0] = style->fg[1] = style->fg[2] = 0.0;
  style->bg[0] = style->bg[1] = style->bg[2] = 1.0;
  copy3 (style->accent, okabe_blue);
  copy3 (style->accent2, okabe_vermillion);
}

void
sa_render_style_init_screen (SaRenderStyle *style,
                             gboolean       dark)
{
  g_return_if_fail (style != NULL);

  style->font_family = "Sans";
  style->font_size = 11.0;
  style->line_width = 1.0;
  if (dark)
    {
      style->fg[0] = style->fg[1] = style->fg[2] = 0.92;
      style->bg[0] = style->bg[1] = style->bg[2] = 0.14;
      copy3 (style->accent, okabe_sky);
      copy3 (style->accent2, okabe_orange);
    }
  else
    {
      style->fg[0] = style->fg[1] = style->fg[2] = 0.1;
      style->bg[0] = style->bg[1] = style->bg[2] = 1.0;
      copy3 (style->accent, okabe_blue);
      copy3 (style->accent2, okabe_vermillion);
    }
}

void
sa_render_set_rgb (cairo_t      *cr,
                   const double  rgb[3])
{
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
}

double
sa_render_text (cairo_t             *cr,
                const SaRenderStyle *style,
                const char          *text,
                double               scale,
                double               x,
                double               y,
                double               ax,
                double               ay)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_new ();
  int w, h;

  pango_font_description_set_family (desc, style->font_family);
  /* Absolute size in user units, so output scale never depends on the
   * screen's DPI setting. */
  pango_font_description_set_absolute_size (desc, style->font_size * scale * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, &h);
  cairo_move_to (cr, x - ax * w / PANGO_SCALE, y - ay * h / PANGO_SCALE);
  pango_cairo_show_layout (cr, layout);
  cairo_new_path (cr);
  pango_font_description_free (desc);
  g_object_unref (layout);
  return (double) w / PANGO_SCALE;
}
