#include "config.h"

#include <math.h>

#include "render/glass.h"
#include "tests/fixture.h"
#include "tests/testutil.h"

#define GW 400
#define GH 300

static void
pixel (cairo_surface_t *s,
       int              x,
       int              y,
       double           rgb[3])
{
  guint32 v;

  g_assert_true (x >= 0 && y >= 0 && x < cairo_image_surface_get_width (s)
                 && y < cairo_image_surface_get_height (s));
  v = ((guint32 *) (cairo_image_surface_get_data (s) + y * cairo_image_surface_get_stride (s)))[x];
  rgb[0] = (v >> 16 & 0xff) / 255.0;
  rgb[1] = (v >> 8 & 0xff) / 255.0;
  rgb[2] = (v & 0xff) / 255.0;
}

static gboolean
is_red (const double c[3])
{
  return c[0] > 0.3 && c[0] > c[2] + 0.2 && c[0] > c[1] + 0.2;
}

static gboolean
is_blue (const double c[3])
{
  return c[2] > 0.35 && c[2] > c[0] + 0.2;
}

static cairo_surface_t *
draw (const SaGlass       *glass,
      const SaGlassParams *p)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, GW, GH);
  cairo_t *cr = cairo_create (s);
  SaRenderStyle style;

  sa_render_style_init_screen (&style, TRUE);
  sa_glass_draw (cr, &style, glass, p, GW, GH);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

/* Centroid of the pixels @pred accepts; FALSE when fewer than @min. */
static gboolean
centroid (cairo_surface_t *s,
          gboolean (*pred) (const double c[3]),
          int              min,
          double          *cx,
          double          *cy)
{
  double sx = 0, sy = 0;
  int n = 0;

  for (int y = 0; y < GH; y++)
    for (int x = 0; x < GW; x++)
      {
        double c[3];

        pixel (s, x, y, c);
        if (pred (c))
          {
            sx += x + 0.5;
            sy += y + 0.5;
            n++;
          }
      }
  if (n < min)
    return FALSE;
  *cx = sx / n;
  *cy = sy / n;
  return TRUE;
}

/* The blobs land where the view's own geometry says, written out per view
 * rather than through sa_glass_project: screen right/up are +x/+z from the
 * front, −y/+z from the side (anterior left) and +x/+y from the top. */
static void
test_glass_views (void)
{
  g_autoptr(SaFixture) f = sa_fixture_new ();
  g_autoptr(SaGlass) glass = sa_glass_new (&f->overlay, &f->anatomy, 0.5);
  static const struct { double az, el; int h, v; double hsign; } views[] = {
    { SA_GLASS_FRONT_AZIMUTH, SA_GLASS_FRONT_ELEVATION, 0, 2, 1 },
    { SA_GLASS_SIDE_AZIMUTH, SA_GLASS_SIDE_ELEVATION, 1, 2, -1 },
    { SA_GLASS_TOP_AZIMUTH, SA_GLASS_TOP_ELEVATION, 0, 1, 1 },
  };
  SaGlassParams p;
  double centre[3], radius, scale;
  gsize n;

  sa_glass_get_map_points (glass, &n);
  g_assert_cmpuint (n, >, 10);
  sa_glass_get_outline_points (glass, &n);
  g_assert_cmpuint (n, >, 1000);
  g_assert_cmpfloat_with_epsilon (sa_glass_get_abs_max (glass), 1.0, 1e-6);
  sa_glass_get_bounds (glass, centre, &radius);

  sa_glass_params_init (&p);
  p.show_colorbar = FALSE;
  p.vmax = 1.0;
  scale = 0.5 * MIN (GW, GH) / radius;
  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      cairo_surface_t *s;
      double x = 0, y = 0, ex, ey, c[3];

      p.azimuth = views[v].az;
      p.elevation = views[v].el;
      s = draw (glass, &p);
      if (g_getenv ("SA_TEST_SAVE"))
        {
          g_autofree char *name = g_strdup_printf ("%s/glass-%u.png", g_getenv ("SA_TEST_SAVE"), v);
          cairo_surface_write_to_png (s, name);
        }

      g_assert_true (centroid (s, is_red, 10, &x, &y));
      ex = GW / 2.0 + views[v].hsign * scale * (f->blob_pos[views[v].h] - centre[views[v].h]);
      ey = GH / 2.0 - scale * (f->blob_pos[views[v].v] - centre[views[v].v]);
      g_test_message ("view %u: red at %.1f,%.1f expected %.1f,%.1f", v, x, y, ex, ey);
      g_assert_cmpfloat (fabs (x - ex), <, 3.0);
      g_assert_cmpfloat (fabs (y - ey), <, 3.0);

      g_assert_true (centroid (s, is_blue, 10, &x, &y));
      ex = GW / 2.0 + views[v].hsign * scale * (f->blob_neg[views[v].h] - centre[views[v].h]);
      ey = GH / 2.0 - scale * (f->blob_neg[views[v].v] - centre[views[v].v]);
      g_assert_cmpfloat (fabs (x - ex), <, 3.0);
      g_assert_cmpfloat (fabs (y - ey), <, 3.0);

      /* Glass: the silhouette is lighter than the background at the centre,
       * and the corner is background. */
      {
        double bg[3], in[3];

        pixel (s, 1, 1, bg);
        pixel (s, GW / 2, GH / 2 + (v == 2 ? 0 : 30), in);
        if (!is_red (in) && !is_blue (in))
          g_assert_cmpfloat (in[1], >, bg[1] + 0.02);
        pixel (s, (int) x, (int) y, c);
      }
      cairo_surface_destroy (s);
    }
}

/* Two voxels on one line of sight: the larger |value| wins whatever its sign
 * or depth; seen from the side they separate. */
static void
test_glass_mip_sign (void)
{
  enum { N = 21 };
  g_autofree float *data = g_new0 (float, N * N * N);
  SaSliceVolume map = { N, N, N, data, { { 0 } } };
  g_autoptr(SaGlass) glass = NULL;
  SaGlassParams p;
  cairo_surface_t *s;
  double x, y, c[3];
  const double front[3] = { 8, -16, 8 }, back[3] = { 8, 16, 8 };

  for (int r = 0; r < 3; r++)
    {
      map.affine[r][r] = 4;
      map.affine[r][3] = -40;
    }
  map.affine[3][3] = 1;
  /* Voxels (12, 6, 12) and (12, 14, 12): (8, ∓16, 8) mm, one line of sight
   * from the front (which looks along +y), so the nearer one is positive. */
  data[(12 * N + 6) * N + 12] = 0.6f;
  data[(12 * N + 14) * N + 12] = -0.9f;
  data[0] = 0.01f;  /* below threshold: dropped */
  glass = sa_glass_new (&map, NULL, 0.1);
  sa_glass_params_init (&p);
  p.show_colorbar = FALSE;
  p.vmax = 1.0;

  s = draw (glass, &p);
  sa_glass_project (glass, &p, GW, GH, front, &x, &y);
  pixel (s, (int) x, (int) y, c);
  g_assert_true (is_blue (c));
  g_assert_false (centroid (s, is_red, 1, &x, &y));
  cairo_surface_destroy (s);

  p.azimuth = SA_GLASS_SIDE_AZIMUTH;
  s = draw (glass, &p);
  sa_glass_project (glass, &p, GW, GH, front, &x, &y);
  pixel (s, (int) x, (int) y, c);
  g_assert_true (is_red (c));
  sa_glass_project (glass, &p, GW, GH, back, &x, &y);
  pixel (s, (int) x, (int) y, c);
  g_assert_true (is_blue (c));
  cairo_surface_destroy (s);
}

/* An export scales the cairo_t (300 dpi PNG: ×4.17): the projection is
 * built at that resolution, not drawn at screen size and blown up, yet lands
 * where the screen-size drawing puts it. */
static void
test_glass_export_resolution (void)
{
  enum { S = 4 };
  g_autoptr(SaFixture) f = sa_fixture_new ();
  g_autoptr(SaGlass) glass = sa_glass_new (&f->overlay, &f->anatomy, 0.5);
  cairo_surface_t *lo, *hi = cairo_image_surface_create (CAIRO_FORMAT_RGB24, S * GW, S * GH);
  cairo_t *cr = cairo_create (hi);
  SaRenderStyle style;
  SaGlassParams p;
  double lx = 0, ly = 0, hx = 0, hy = 0;
  int n = 0, mixed = 0;

  sa_glass_params_init (&p);
  p.show_colorbar = FALSE;
  sa_render_style_init_screen (&style, TRUE);
  cairo_scale (cr, S, S);
  sa_glass_draw (cr, &style, glass, &p, GW, GH);
  cairo_destroy (cr);
  cairo_surface_flush (hi);
  lo = draw (glass, &p);

  /* Blocks of S × S device pixels that are not one colour: none when the
   * screen-size image is only magnified. */
  for (int by = 0; by < GH; by++)
    for (int bx = 0; bx < GW; bx++)
      {
        const guint8 *row0 = cairo_image_surface_get_data (hi) + (gsize) by * S * cairo_image_surface_get_stride (hi);
        guint32 first = ((const guint32 *) row0)[bx * S];
        gboolean uniform = TRUE;

        for (int y = 0; y < S && uniform; y++)
          for (int x = 0; x < S && uniform; x++)
            uniform = ((const guint32 *) (row0 + (gsize) y * cairo_image_surface_get_stride (hi)))[bx * S + x] == first;
        mixed += !uniform;
      }
  g_test_message ("%d of %d blocks mixed", mixed, GW * GH);
  g_assert_cmpint (mixed, >, 50);

  for (int y = 0; y < S * GH; y++)
    for (int x = 0; x < S * GW; x++)
      {
        double c[3];

        pixel (hi, x, y, c);
        if (is_red (c))
          hx += (x + 0.5) / S, hy += (y + 0.5) / S, n++;
      }
  g_assert_cmpint (n, >, 0);
  g_assert_true (centroid (lo, is_red, 1, &lx, &ly));
  g_assert_cmpfloat (fabs (hx / n - lx), <, 1.5);
  g_assert_cmpfloat (fabs (hy / n - ly), <, 1.5);
  cairo_surface_destroy (lo);
  cairo_surface_destroy (hi);
}

/* Rotating about the vertical keeps scale; a quarter turn maps front → side. */
static void
test_glass_axes (void)
{
  SaGlassParams p;
  double r[3], u[3], f[3];

  sa_glass_params_init (&p);
  for (double az = -180; az <= 180; az += 45)
    for (double el = -90; el <= 90; el += 30)
      {
        p.azimuth = az;
        p.elevation = el;
        sa_glass_view_axes (&p, r, u, f);
        /* Orthonormal and right-handed (right × up = −forward: eye looks in). */
        g_assert_cmpfloat_with_epsilon (r[0] * u[0] + r[1] * u[1] + r[2] * u[2], 0, 1e-12);
        g_assert_cmpfloat_with_epsilon (r[0] * f[0] + r[1] * f[1] + r[2] * f[2], 0, 1e-12);
        g_assert_cmpfloat_with_epsilon (u[0] * f[0] + u[1] * f[1] + u[2] * f[2], 0, 1e-12);
        g_assert_cmpfloat_with_epsilon (r[1] * u[2] - r[2] * u[1], -f[0], 1e-12);
        g_assert_cmpfloat_with_epsilon (r[2] * u[0] - r[0] * u[2], -f[1], 1e-12);
        g_assert_cmpfloat_with_epsilon (r[0] * u[1] - r[1] * u[0], -f[2], 1e-12);
      }
}

/* A 1 mm template the size of MNI152/ch2better and a 2 mm map: building
 * walks both once, each rotation only projects the kept points. */
static void
test_glass_large (void)
{
  enum { AX = 181, AY = 217, AZ = 181, MX = 91, MY = 109, MZ = 91 };
  g_autofree float *anat = g_new0 (float, (gsize) AX * AY * AZ);
  g_autofree float *mapd = g_new0 (float, (gsize) MX * MY * MZ);
  SaSliceVolume a = { AX, AY, AZ, anat, { { 1, 0, 0, -90 }, { 0, 1, 0, -126 }, { 0, 0, 1, -72 }, { 0, 0, 0, 1 } } };
  SaSliceVolume m = { MX, MY, MZ, mapd, { { 2, 0, 0, -90 }, { 0, 2, 0, -126 }, { 0, 0, 2, -72 }, { 0, 0, 0, 1 } } };
  g_autoptr(SaGlass) glass = NULL;
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 800, 600);
  cairo_t *cr = cairo_create (s);
  SaRenderStyle style;
  SaGlassParams p;
  gint64 t0, t1, t2;
  gsize n_map, n_outline;

  for (int k = 0; k < AZ; k++)
    for (int j = 0; j < AY; j++)
      for (int i = 0; i < AX; i++)
        {
          double x = (i - 90) / 70.0, y = (j - 126) / 90.0, z = (k - 72) / 65.0;

          anat[((gsize) k * AY + j) * AX + i] = x * x + y * y + z * z < 1 ? 100 : 0;
        }
  for (int k = 0; k < MZ; k++)
    for (int j = 0; j < MY; j++)
      for (int i = 0; i < MX; i++)
        mapd[((gsize) k * MY + j) * MX + i] = (float) (3 * sin (i * 0.3) * cos (j * 0.2) * sin (k * 0.25));

  t0 = g_get_monotonic_time ();
  glass = sa_glass_new (&m, &a, 2.0);
  t1 = g_get_monotonic_time ();
  sa_render_style_init_screen (&style, TRUE);
  sa_glass_params_init (&p);
  for (int r = 0; r < 10; r++)
    {
      p.azimuth = 36 * r;
      p.elevation = 20;
      sa_glass_draw (cr, &style, glass, &p, 800, 600);
    }
  t2 = g_get_monotonic_time ();
  sa_glass_get_map_points (glass, &n_map);
  sa_glass_get_outline_points (glass, &n_outline);
  /* A new threshold keeps the silhouette and refills the map points. */
  {
    gint64 t3 = g_get_monotonic_time ();
    gsize n2, n_outline2;

    sa_glass_set_map (glass, &m, 2.5);
    g_test_message ("set_map %.1f ms", (g_get_monotonic_time () - t3) / 1e3);
    sa_glass_get_map_points (glass, &n2);
    sa_glass_get_outline_points (glass, &n_outline2);
    g_assert_cmpuint (n2, <, n_map);
    g_assert_cmpuint (n_outline2, ==, n_outline);
    g_assert_cmpfloat (sa_glass_get_threshold (glass), ==, 2.5);
  }
  g_test_message ("build %.1f ms (%zu map, %zu outline points); draw 800x600 %.1f ms per rotation",
                  (t1 - t0) / 1e3, n_map, n_outline, (t2 - t1) / 1e4);
  g_assert_cmpuint (n_outline, <=, 2 * 120000);
  g_assert_cmpuint (n_map, >, 1000);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/glass/views", test_glass_views);
  g_test_add_func ("/render/glass/mip-sign", test_glass_mip_sign);
  g_test_add_func ("/render/glass/axes", test_glass_axes);
  g_test_add_func ("/render/glass/large", test_glass_large);
  g_test_add_func ("/render/glass/export-resolution", test_glass_export_resolution);
  return g_test_run ();
}
