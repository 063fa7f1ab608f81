/* render/frame-figure: where the frame lands, and that it is drawn there. */
#include "config.h"

#include <math.h>

#include "render/frame-figure.h"

/* Aspect kept, inside the figure, centred across, the caption's line
 * below it; without a caption the frame may take the whole height. */
static void
test_geometry (void)
{
  static guint8 rgb[1];
  SaRenderStyle style;
  const struct { int w, h; double fw, fh; } cases[] = {
    { 320, 240, 500, 300 },    /* height-bound */
    { 1920, 1080, 200, 300 },  /* width-bound */
    { 100, 100, 400, 100 },
  };

  sa_render_style_init_figure (&style);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int with_caption = 0; with_caption < 2; with_caption++)
      {
        SaFrameFigure fig = { { rgb, cases[i].w, cases[i].h, cases[i].w * 3, 0, NULL },
                              with_caption ? "t = 1.0 s · TR 0" : NULL };
        double r[4], room = cases[i].fh - (with_caption ? 1.8 * style.font_size : 0);

        sa_frame_figure_image_rect (&style, &fig, cases[i].fw, cases[i].fh, r);
        g_assert_cmpfloat_with_epsilon (r[2] / r[3], (double) cases[i].w / cases[i].h, 1e-9);
        g_assert_cmpfloat (r[0], >=, -1e-9);
        g_assert_cmpfloat (r[1], >=, -1e-9);
        g_assert_cmpfloat_with_epsilon (r[0] + r[2] / 2, cases[i].fw / 2, 1e-9);
        g_assert_cmpfloat (r[1] + r[3], <=, room + 1e-9);
        /* As large as fits: one side touches. */
        g_assert_true (fabs (r[2] - cases[i].fw) < 1e-9 || fabs (r[3] - room) < 1e-9);
      }
  {
    g_autofree char *c = sa_frame_figure_caption (12.04, 6);

    g_assert_cmpstr (c, ==, "t = 12.0 s · TR 6");
  }
}

/* A 2×2 frame of four colours drawn at 50× shows each colour in its
 * quadrant; the caption's line stays background. */
static void
test_pixels (void)
{
  static const guint8 rgb[] = { 255, 0, 0,  0, 255, 0,
                                0, 0, 255,  255, 255, 0 };
  SaRenderStyle style;
  SaFrameFigure fig = { { rgb, 2, 2, 6, 0, NULL }, "t = 0.0 s · TR 0" };
  double r[4];
  int W = 300, H;
  cairo_surface_t *img;
  cairo_t *cr;

  sa_render_style_init_figure (&style);
  H = 100 + (int) ceil (1.8 * style.font_size);
  img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cr = cairo_create (img);
  sa_frame_figure_draw (cr, &style, W, H, &fig);
  cairo_destroy (cr);
  cairo_surface_flush (img);
  sa_frame_figure_image_rect (&style, &fig, W, H, r);
  for (int q = 0; q < 4; q++)
    {
      int x = (int) (r[0] + r[2] * (0.25 + 0.5 * (q % 2)));
      int y = (int) (r[1] + r[3] * (0.25 + 0.5 * (q / 2)));
      guint32 p = ((guint32 *) (cairo_image_surface_get_data (img) +
                                (gsize) y * cairo_image_surface_get_stride (img)))[x];

      /* Bilinear between pixel centres: near, not exact, off-centre. */
      for (int c = 0; c < 3; c++)
        g_assert_cmpint (ABS ((int) ((p >> (16 - 8 * c)) & 0xff) - rgb[3 * q + c]), <=, 8);
    }
  /* Left of the frame: the white background. */
  g_assert_cmpfloat (r[0], >, 10);
  g_assert_cmphex (((guint32 *) cairo_image_surface_get_data (img))[2] & 0xffffff, ==, 0xffffff);
  cairo_surface_destroy (img);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/frame-figure/geometry", test_geometry);
  g_test_add_func ("/render/frame-figure/pixels", test_pixels);
  return g_test_run ();
}
