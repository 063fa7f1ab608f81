#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>

#include "compute/error.h"
#include "render/colorbar.h"
#include "render/colormap.h"
#include "render/figure.h"
#include "render/heatmap.h"
#include "render/slices.h"
#include "render/slices-private.h"
#include "render/traces.h"
#include "tests/fixture.h"
#include "tests/testutil.h"

static void
pixel (cairo_surface_t *s,
       int              x,
       int              y,
       double           rgb[3])
{
  guint32 v;

  cairo_surface_flush (s);
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (s));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (s));
  v = ((guint32 *) (cairo_image_surface_get_data (s) + y * cairo_image_surface_get_stride (s)))[x];
  rgb[0] = (v >> 16 & 0xff) / 255.0;
  rgb[1] = (v >> 8 & 0xff) / 255.0;
  rgb[2] = (v & 0xff) / 255.0;
}

static void
assert_rgb (SaColormap map, double t, double r, double g, double b, double tol)
{
  double rgb[3];

  sa_colormap_sample (map, t, rgb);
  g_assert_cmpfloat_with_epsilon (rgb[0], r, tol);
  g_assert_cmpfloat_with_epsilon (rgb[1], g, tol);
  g_assert_cmpfloat_with_epsilon (rgb[2], b, tol);
}

static void
test_colormap_published (void)
{
  SaColormap m;

  /* matplotlib's _viridis_data[0], [128], [255] and _cividis_data[0], [255]. */
  assert_rgb (SA_COLORMAP_VIRIDIS, 0.0, 0.267004, 0.004874, 0.329415, 1e-6);
  assert_rgb (SA_COLORMAP_VIRIDIS, 128 / 255.0, 0.127568, 0.566949, 0.550556, 1e-6);
  assert_rgb (SA_COLORMAP_VIRIDIS, 1.0, 0.993248, 0.906157, 0.143936, 1e-6);
  /* Between control points: entry 100 of the full table, interpolated. */
  assert_rgb (SA_COLORMAP_VIRIDIS, 100 / 255.0, 0.166617, 0.463708, 0.558119, 2.0 / 255);
  assert_rgb (SA_COLORMAP_CIVIDIS, 0.0, 0.0, 0.135112, 0.304751, 1e-6);
  assert_rgb (SA_COLORMAP_CIVIDIS, 1.0, 0.995737, 0.909344, 0.217772, 1e-6);
  assert_rgb (SA_COLORMAP_CIVIDIS, 23 / 255.0, 0.003602, 0.195911, 0.441564, 2.0 / 255);
  /* ColorBrewer RdBu, reversed: #053061 … #f7f7f7 … #67001f. */
  assert_rgb (SA_COLORMAP_RDBU, 0.0, 0x05 / 255.0, 0x30 / 255.0, 0x61 / 255.0, 1e-9);
  assert_rgb (SA_COLORMAP_RDBU, 0.5, 0xf7 / 255.0, 0xf7 / 255.0, 0xf7 / 255.0, 1e-9);
  assert_rgb (SA_COLORMAP_RDBU, 1.0, 0x67 / 255.0, 0x00 / 255.0, 0x1f / 255.0, 1e-9);
  assert_rgb (SA_COLORMAP_GREY, 0.25, 0.25, 0.25, 0.25, 1e-12);
  /* Clamping and NaN. */
  assert_rgb (SA_COLORMAP_VIRIDIS, -3.0, 0.267004, 0.004874, 0.329415, 1e-6);
  assert_rgb (SA_COLORMAP_VIRIDIS, NAN, 0.267004, 0.004874, 0.329415, 1e-6);
  g_assert_cmphex (sa_colormap_sample_rgb24 (SA_COLORMAP_RDBU, 1.0), ==, 0xff67001f);

  g_assert_true (sa_colormap_from_name ("Viridis", &m));
  g_assert_cmpint (m, ==, SA_COLORMAP_VIRIDIS);
  g_assert_false (sa_colormap_from_name ("jet", &m));
}

/* Viridis' lightness rises monotonically: the point of a sequential map. */
static void
test_colormap_monotonic (void)
{
  double prev = -1;

  for (int i = 0; i <= 255; i++)
    {
      double rgb[3], lum;

      sa_colormap_sample (SA_COLORMAP_VIRIDIS, i / 255.0, rgb);
      lum = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
      g_assert_cmpfloat (lum, >, prev);
      prev = lum;
    }
}

#define SW 960
#define SH 320

static cairo_surface_t *
draw_slices (const SaSliceParams *p)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, SW, SH);
  cairo_t *cr = cairo_create (s);
  SaRenderStyle style;

  sa_render_style_init_screen (&style, FALSE);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  sa_slices_draw (cr, &style, p, SW, SH);
  cairo_destroy (cr);
  if (g_getenv ("SA_TEST_DUMP"))
    cairo_surface_write_to_png (s, g_getenv ("SA_TEST_DUMP"));
  return s;
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

static void
test_slices_blob (void)
{
  g_autoptr(SaFixture) f = sa_fixture_new ();
  SaSliceParams p;
  cairo_surface_t *s;
  double x, y, c[3];

  sa_slice_params_init (&p, &f->anatomy);
  p.overlay = &f->overlay;
  p.threshold = 0.5;
  p.opacity = 1.0;
  p.overlay_max = 1.0;
  p.show_crosshair = FALSE;
  p.trilinear = FALSE;
  memcpy (p.cursor, f->blob_pos, sizeof p.cursor);
  s = draw_slices (&p);

  /* The positive blob sits at its world position in all three panels. */
  for (int axis = 0; axis < SA_N_SLICES; axis++)
    {
      sa_slices_project (&p, SW, SH, axis, f->blob_pos, &x, &y);
      pixel (s, (int) x, (int) y, c);
      if (!is_red (c))
        g_test_message ("axis %d at %.1f,%.1f: %.2f %.2f %.2f", axis, x, y, c[0], c[1], c[2]);
      g_assert_true (is_red (c));
    }
  /* The mirror position (x → −x) is anatomy only: grey. */
  {
    double mirror[3] = { -f->blob_pos[0], f->blob_pos[1], f->blob_pos[2] };

    sa_slices_project (&p, SW, SH, SA_SLICE_AXIAL, mirror, &x, &y);
    pixel (s, (int) x, (int) y, c);
    g_assert_cmpfloat (fabs (c[0] - c[2]), <, 0.02);
    g_assert_cmpfloat (c[0], >, 0.1);
  }
  cairo_surface_destroy (s);

  /* The negative blob is blue. */
  memcpy (p.cursor, f->blob_neg, sizeof p.cursor);
  s = draw_slices (&p);
  for (int axis = 0; axis < SA_N_SLICES; axis++)
    {
      sa_slices_project (&p, SW, SH, axis, f->blob_neg, &x, &y);
      pixel (s, (int) x, (int) y, c);
      g_assert_true (is_blue (c));
    }
  cairo_surface_destroy (s);
}

/* Centroid x of red pixels in the axial panel (the right third). */
static double
red_centroid_axial (cairo_surface_t *s)
{
  double sum = 0;
  int n = 0;

  for (int y = 0; y < SH; y++)
    for (int x = 2 * SW / 3; x < SW; x++)
      {
        double c[3];

        pixel (s, x, y, c);
        if (is_red (c))
          {
            sum += x;
            n++;
          }
      }
  g_assert_cmpint (n, >, 20);
  return sum / n;
}

static void
test_slices_orientation (void)
{
  g_autoptr(SaFixture) f = sa_fixture_new ();
  SaSliceParams p;
  cairo_surface_t *s;
  double midline[3] = { 0, 0, 0 }, mx, my;

  sa_slice_params_init (&p, &f->anatomy);
  p.overlay = &f->overlay;
  p.threshold = 0.5;
  p.opacity = 1.0;
  p.show_crosshair = FALSE;
  p.cursor[0] = 0;
  p.cursor[1] = f->blob_pos[1];
  p.cursor[2] = f->blob_pos[2];
  midline[1] = p.cursor[1];
  midline[2] = p.cursor[2];

  /* Neurological: the right-hemisphere blob (x = +30) right of the midline. */
  s = draw_slices (&p);
  sa_slices_project (&p, SW, SH, SA_SLICE_AXIAL, midline, &mx, &my);
  g_assert_cmpfloat (red_centroid_axial (s), >, mx + 10);
  cairo_surface_destroy (s);

  /* Radiological mirrors it. */
  p.radiological = TRUE;
  s = draw_slices (&p);
  sa_slices_project (&p, SW, SH, SA_SLICE_AXIAL, midline, &mx, &my);
  g_assert_cmpfloat (red_centroid_axial (s), <, mx - 10);
  cairo_surface_destroy (s);
}

/* Max channel difference between two same-sized RGB24 images; @n_diff
 * counts the pixels that differ at all. */
static int
image_diff (cairo_surface_t *a,
            cairo_surface_t *b,
            int             *n_diff)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  int worst = 0;

  cairo_surface_flush (a);
  cairo_surface_flush (b);
  *n_diff = 0;
  for (int y = 0; y < h; y++)
    {
      const guint32 *ra = (const guint32 *) (cairo_image_surface_get_data (a) + y * cairo_image_surface_get_stride (a));
      const guint32 *rb = (const guint32 *) (cairo_image_surface_get_data (b) + y * cairo_image_surface_get_stride (b));

      for (int x = 0; x < w; x++)
        {
          int d = 0;

          for (int c = 0; c < 24; c += 8)
            d = MAX (d, abs ((int) (ra[x] >> c & 0xff) - (int) (rb[x] >> c & 0xff)));
          worst = MAX (worst, d);
          *n_diff += d > 0;
        }
    }
  return worst;
}

static cairo_surface_t *
draw_slices_with (const SaSliceParams *p,
                  int                  w,
                  int                  h,
                  double               device_scale,
                  gboolean             reference)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w * device_scale, h * device_scale);
  cairo_t *cr = cairo_create (s);
  SaRenderStyle style;

  sa_render_style_init_screen (&style, FALSE);
  cairo_scale (cr, device_scale, device_scale);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  (reference ? sa_slices_draw_reference : sa_slices_draw) (cr, &style, p, w, h);
  cairo_destroy (cr);
  return s;
}

/* The fast renderer draws what the per-pixel reference draws, within the
 * rounding of a sum taken in another order: random
 * crosshairs, sizes, zoom, pan, HiDPI, both overlay samplings and every
 * colour map, on grids of different resolution and handedness, one of them
 * oblique. */
static void
test_slices_fast_matches_reference (void)
{
  g_autoptr(SaFixture) f = sa_fixture_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);
  SaSliceVolume oblique;
  long total = 0, differing = 0;

  /* The overlay turned 20° about z, its centre kept: no axis aligned. */
  oblique = f->overlay;
  {
    double c = cos (G_PI / 9), s = sin (G_PI / 9);
    double a00 = f->overlay.affine[0][0], a11 = f->overlay.affine[1][1];

    oblique.affine[0][0] = c * a00;
    oblique.affine[0][1] = -s * a11;
    oblique.affine[1][0] = s * a00;
    oblique.affine[1][1] = c * a11;
  }

  for (int round = 0; round < 24; round++)
    {
      SaSliceParams p;
      cairo_surface_t *fast, *ref;
      int w = g_rand_int_range (rand, 120, 700), h = g_rand_int_range (rand, 60, 300);
      double scale = round % 4 == 3 ? 2.0 : 1.0;
      int n_diff, worst;

      sa_slice_params_init (&p, &f->anatomy);
      /* The fixture's template is 40 and 80 on a 0–80 window: grey 127.5,
       * a tie that the last bit of a sum decides. Half the rounds keep it. */
      if (round % 2)
        {
          p.anatomy_min = 3.1;
          p.anatomy_max = 83.7;
        }
      p.overlay = round % 5 == 4 ? NULL : round % 3 == 2 ? &oblique : &f->overlay;
      p.trilinear = round % 2 == 0;
      p.radiological = round % 7 == 1;
      p.colormap = (SaColormap) (round % SA_N_COLORMAPS);
      p.threshold = g_rand_double_range (rand, 0, 0.4);
      p.opacity = g_rand_double_range (rand, 0.3, 1.0);
      p.zoom = round % 3 == 0 ? 1.0 : g_rand_double_range (rand, 0.6, 4.0);
      p.pan[0] = round % 3 == 0 ? 0 : g_rand_double_range (rand, -30, 30);
      p.pan[1] = round % 3 == 0 ? 0 : g_rand_double_range (rand, -30, 30);
      for (int a = 0; a < 3; a++)
        p.cursor[a] = g_rand_double_range (rand, -70, 70);
      if (round % 4 == 0)
        memcpy (p.cursor, f->blob_pos, sizeof p.cursor);

      fast = draw_slices_with (&p, w, h, scale, FALSE);
      ref = draw_slices_with (&p, w, h, scale, TRUE);
      worst = image_diff (fast, ref, &n_diff);
      if (worst > 1)
        {
          g_test_message ("round %d (%dx%d @%g): %d pixels differ, by up to %d",
                          round, w, h, scale, n_diff, worst);
        }
      /* Never more than one level of 255; off the ties, rarely even that. */
      g_assert_cmpint (worst, <=, 1);
      if (round % 2)
        {
          total += (long) w * h * scale * scale;
          differing += n_diff;
        }
      cairo_surface_destroy (fast);
      cairo_surface_destroy (ref);
    }
  g_test_message ("%ld of %ld pixels off the ties differ by one level", differing, total);
  g_assert_cmpint (differing, <=, total / 100000);
}

static cairo_surface_t *
draw_slices_cached (const SaSliceParams *p,
                    SaSliceCache        *cache)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, SW, SH);
  cairo_t *cr = cairo_create (s);
  SaRenderStyle style;

  sa_render_style_init_screen (&style, FALSE);
  sa_slices_draw_cached (cr, &style, p, SW, SH, cache);
  cairo_destroy (cr);
  return s;
}

/* Drawing through the grey-level cache gives what a fresh draw gives, and
 * re-samples only the panels whose slice or geometry changed. */
static void
test_slices_cache (void)
{
  g_autoptr(SaFixture) f = sa_fixture_new ();
  g_autoptr(SaSliceCache) cache = sa_slice_cache_new ();
  SaSliceParams p;
  struct { const char *what; int hits; } steps[] = {
    { "first draw", 0 },
    { "threshold", 3 },
    { "axial click (x, y move)", 1 },
    { "zoom", 0 },
    { "colour map and opacity", 3 },
    { "anatomy window", 0 },
    { "same again", 3 },
  };
  guint before = 0;

  sa_slice_params_init (&p, &f->anatomy);
  p.overlay = &f->overlay;
  memcpy (p.cursor, f->blob_pos, sizeof p.cursor);
  for (gsize k = 0; k < G_N_ELEMENTS (steps); k++)
    {
      cairo_surface_t *cached, *fresh;
      int n_diff;

      switch (k)
        {
        case 1: p.threshold = 0.4; break;
        case 2: p.cursor[0] += 7; p.cursor[1] -= 5; break;
        case 3: p.zoom = 1.7; break;
        case 4: p.colormap = SA_COLORMAP_VIRIDIS; p.opacity = 0.5; break;
        case 5: p.anatomy_max *= 0.8; break;
        default: break;
        }
      cached = draw_slices_cached (&p, cache);
      fresh = draw_slices_cached (&p, NULL);
      g_test_message ("%s: %u panels from the cache", steps[k].what, sa_slice_cache_get_hits (cache) - before);
      g_assert_cmpint (image_diff (cached, fresh, &n_diff), ==, 0);
      g_assert_cmpuint (sa_slice_cache_get_hits (cache) - before, ==, steps[k].hits);
      before = sa_slice_cache_get_hits (cache);
      cairo_surface_destroy (cached);
      cairo_surface_destroy (fresh);
    }
  /* A cleared cache starts over. */
  sa_slice_cache_clear (cache);
  cairo_surface_destroy (draw_slices_cached (&p, cache));
  g_assert_cmpuint (sa_slice_cache_get_hits (cache), ==, before);
}

static void
test_slices_pick (void)
{
  g_autoptr(SaFixture) f = sa_fixture_new ();
  SaSliceParams p;

  sa_slice_params_init (&p, &f->anatomy);
  p.cursor[0] = 5; p.cursor[1] = -20; p.cursor[2] = 10;
  for (int zoom = 1; zoom <= 3; zoom += 2)
    for (int axis = 0; axis < SA_N_SLICES; axis++)
      {
        double target[3] = { 12, -7, 20 }, x, y, world[3];
        SaSliceAxis hit;

        p.zoom = zoom;
        p.pan[0] = zoom == 3 ? 4 : 0;
        target[axis] = p.cursor[axis];
        sa_slices_project (&p, SW, SH, axis, target, &x, &y);
        g_assert_true (sa_slices_pick (&p, SW, SH, x, y, &hit, world));
        g_assert_cmpint (hit, ==, axis);
        for (int a = 0; a < 3; a++)
          g_assert_cmpfloat_with_epsilon (world[a], target[a], 1e-6);
      }
  /* Outside every panel. */
  {
    double world[3];
    g_assert_false (sa_slices_pick (&p, SW, SH, -5, -5, NULL, world));
  }
  /* Voxel lookup through the LAS affine: world +30 → i = (75 − 30) / 3. */
  {
    double w[3] = { 30, 12, 15 }, v[3];

    g_assert_true (sa_slice_volume_world_to_voxel (&f->overlay, w, v));
    g_assert_cmpfloat_with_epsilon (v[0], 15.0, 1e-9);
    g_assert_cmpfloat_with_epsilon (sa_slice_volume_sample (&f->overlay, w, FALSE), 1.0, 1e-9);
  }
}

static void
test_traces_zscore (void)
{
  const float in[4] = { 1, 2, 3, 4 };
  const float flat[3] = { 5, 5, 5 };
  double out[4];

  /* scipy.stats.zscore([1, 2, 3, 4]) */
  sa_trace_zscore (in, 4, out);
  g_assert_cmpfloat_with_epsilon (out[0], -1.3416407865, 1e-9);
  g_assert_cmpfloat_with_epsilon (out[3], 1.3416407865, 1e-9);
  sa_trace_zscore (flat, 3, out);
  g_assert_cmpfloat (out[1], ==, 0.0);
}

static void
test_traces_cursor (void)
{
  g_autoptr(SaFixture) f = sa_fixture_new ();
  SaTraceParams p = { f->fbn, f->filter, f->n_tr, f->tr, 60.0, 40.0, 80.0, 0.8, 0.001, NULL, NULL };
  SaRenderStyle style;
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 600, 200);
  cairo_t *cr = cairo_create (s);
  double x, c[3];
  int dark_on = 0, dark_off = 0;

  sa_render_style_init_screen (&style, FALSE);
  /* No traces: only axes and the cursor. */
  p.fbn = NULL;
  p.filter = NULL;
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  sa_traces_draw (cr, &style, &p, NULL, 600, 200);
  cairo_destroy (cr);

  /* The window 40–80 s puts 60 s in the middle of the plot. */
  x = sa_traces_x_at (&style, &p, 600, 200, 60.0);
  g_assert_cmpfloat_with_epsilon (sa_traces_time_at (&style, &p, 600, 200, x), 60.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (x, (sa_traces_x_at (&style, &p, 600, 200, 40.0) +
                                      sa_traces_x_at (&style, &p, 600, 200, 80.0)) / 2, 1e-9);
  for (int y = 60; y < 120; y++)
    {
      pixel (s, (int) x, y, c);
      dark_on += c[0] < 0.6;
      pixel (s, (int) x + 12, y, c);
      dark_off += c[0] < 0.6;
    }
  g_assert_cmpint (dark_on, ==, 60);
  g_assert_cmpint (dark_off, <, 3);
  /* Clicks left of the plot clamp to the window start. */
  g_assert_cmpfloat (sa_traces_time_at (&style, &p, 600, 200, 0), ==, 40.0);
  cairo_surface_destroy (s);
}

static void
test_heatmap_sort (void)
{
  /* FBN 0 pairs with filter 2 (0.5), FBN 1 with filter 0 (0.9). */
  const float r[2 * 4] = {
    0.1f, 0.2f, 0.5f, -0.3f,
    0.9f, 0.0f, 0.1f, 0.3f,
  };
  int rows[2], cols[4];
  SaHeatmapParams p = { r, 2, 4, rows, cols, 1, SA_COLORMAP_RDBU, 0 };
  SaRenderStyle style;
  int hr, hc;

  sa_heatmap_sort_pairs (r, 2, 4, rows, cols);
  g_assert_cmpint (rows[0], ==, 1);
  g_assert_cmpint (rows[1], ==, 0);
  g_assert_cmpint (cols[0], ==, 0);
  g_assert_cmpint (cols[1], ==, 2);
  /* Filter 3's best FBN is 1 (first row), filter 1's is 0. */
  g_assert_cmpint (cols[2], ==, 3);
  g_assert_cmpint (cols[3], ==, 1);

  sa_render_style_init_screen (&style, FALSE);
  g_assert_true (sa_heatmap_pick (&style, &p, 400, 200, 40, 20, &hr, &hc));
  g_assert_cmpint (hr, ==, 1);
  g_assert_cmpint (hc, ==, 0);
}

/* Pixels within 0.1 of @rgb in column x0..x1 of @s. */
static int
count_colour (cairo_surface_t *s,
              int              x0,
              int              x1,
              const double     rgb[3])
{
  int n = 0;

  for (int y = 0; y < cairo_image_surface_get_height (s); y++)
    for (int x = MAX (x0, 0); x <= x1 && x < cairo_image_surface_get_width (s); x++)
      {
        double px[3];

        pixel (s, x, y, px);
        n += fabs (px[0] - rgb[0]) < 0.1 && fabs (px[1] - rgb[1]) < 0.1 && fabs (px[2] - rgb[2]) < 0.1;
      }
  return n;
}

/* The filter → FBN direction outlines the chosen filter's column, in the
 * filter colour, where the sort put it; params without it outline none. */
static void
test_heatmap_outline (void)
{
  const float r[2 * 4] = {
    0.1f, 0.2f, 0.5f, -0.3f,
    0.9f, 0.0f, 0.1f, 0.3f,
  };
  int rows[2], cols[4];
  SaHeatmapParams p = { r, 2, 4, rows, cols, -1, SA_COLORMAP_RDBU, 0 };
  SaRenderStyle style;
  int counts[2], left = -1, right = -1, hr, hc;

  sa_heatmap_sort_pairs (r, 2, 4, rows, cols);
  sa_render_style_init_screen (&style, FALSE);
  /* Filter 2 sits second from the left: find its pixels. */
  for (int x = 0; x < 400; x++)
    if (sa_heatmap_pick (&style, &p, 400, 200, x, 100, &hr, &hc) && hc == 2)
      {
        if (left < 0)
          left = x;
        right = x;
      }
  g_assert_cmpint (left, >, 0);
  for (int outline = 0; outline < 2; outline++)
    {
      cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 200);
      cairo_t *cr = cairo_create (s);

      p.outline_col = outline;
      p.selected_col = 2;
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      sa_heatmap_draw (cr, &style, &p, 400, 200);
      cairo_destroy (cr);
      counts[outline] = count_colour (s, left - 2, right + 2, style.accent2);
      cairo_surface_destroy (s);
    }
  g_test_message ("filter-coloured pixels: %d without, %d with the outline", counts[0], counts[1]);
  g_assert_cmpint (counts[0], ==, 0);
  /* Both sides of the column, top to bottom. */
  g_assert_cmpint (counts[1], >=, 2 * 100);
}

static SaPairFigure *
pair_figure (SaFixture *f)
{
  SaPairFigure *fig = g_new0 (SaPairFigure, 1);

  fig->title = "FBN 3 ↔ filter 17";
  sa_slice_params_init (&fig->slices, &f->anatomy);
  fig->slices.overlay = &f->overlay;
  fig->slices.threshold = 0.3;
  memcpy (fig->slices.cursor, f->blob_pos, sizeof fig->slices.cursor);
  fig->traces = (SaTraceParams) { f->fbn, f->filter, f->n_tr, f->tr, -1, 0, 0, 0.87, 1e-5, "FBN 3", "filter 17" };
  fig->frames = f->frames;
  fig->n_frames = 3;
  return fig;
}

static guint32
read_be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static void
test_figure_export (void)
{
  g_autoptr(SaFixture) f = sa_fixture_new ();
  g_autofree SaPairFigure *fig = pair_figure (f);
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *png = g_build_filename (dir, "pair.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "pair.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "pair.pdf", NULL);
  g_autofree char *bad = g_build_filename (dir, "missing", "pair.png", NULL);
  g_autoptr(GError) error = NULL;
  /* A journal's double column: 183 mm wide. */
  double w = 183 / 25.4 * 72, h = 120 / 25.4 * 72;
  g_autofree char *contents = NULL;
  gsize len;
  cairo_surface_t *img;

  g_assert_true (sa_figure_export (sa_figure_pair_draw, fig, SA_FIGURE_PNG, w, h, 300, png, &error));
  g_assert_no_error (error);
  img = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (img), ==, (int) lround (183 / 25.4 * 300));
  g_assert_cmpint (cairo_image_surface_get_height (img), ==, (int) lround (120 / 25.4 * 300));
  cairo_surface_destroy (img);
  /* pHYs right after IHDR: 11811 pixels per metre = 300 dpi. */
  g_assert_true (g_file_get_contents (png, &contents, &len, NULL));
  g_assert_cmpmem (contents + 37, 4, "pHYs", 4);
  g_assert_cmpuint (read_be32 ((const guint8 *) contents + 41), ==, 11811);

  if (g_getenv ("SA_TEST_DUMP_DIR"))
    {
      g_autofree char *keep = g_build_filename (g_getenv ("SA_TEST_DUMP_DIR"), "pair.png", NULL);
      g_assert_true (sa_figure_export (sa_figure_pair_draw, fig, SA_FIGURE_PNG, w, h, 150, keep, NULL));
    }
  g_assert_true (sa_figure_export (sa_figure_pair_draw, fig, SA_FIGURE_SVG, w, h, 300, svg, &error));
  g_assert_no_error (error);
  g_assert_true (sa_figure_export (sa_figure_pair_draw, fig, SA_FIGURE_PDF, w, h, 300, pdf, &error));
  g_assert_no_error (error);

  {
    const char *argv_png[] = { "png", png, NULL };
    const char *argv_svg[] = { "svg", svg, NULL };
    const char *argv_pdf[] = { "pdf", pdf, NULL };
    g_autofree char *out_png = sa_test_python ("tests/py/check_figure.py", argv_png);
    g_autofree char *out_svg = sa_test_python ("tests/py/check_figure.py", argv_svg);
    g_autofree char *out_pdf = sa_test_python ("tests/py/check_figure.py", argv_pdf);

    g_assert_nonnull (out_png);
    g_assert_nonnull (strstr (out_png, "size=2161x1417 dpi=300"));
    g_assert_nonnull (out_svg);
    g_test_message ("%s", out_svg);
    g_assert_nonnull (strstr (out_svg, "width=518.74"));
    g_assert_nonnull (out_pdf);
    g_assert_nonnull (strstr (out_pdf, "mediabox=519x340 pages=1"));
  }

  /* An unwritable path: one error naming it, nothing left behind. */
  g_assert_false (sa_figure_export (sa_figure_pair_draw, fig, SA_FIGURE_PNG, w, h, 300, bad, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, bad));
  g_clear_error (&error);
  g_assert_false (sa_figure_export (sa_figure_pair_draw, fig, SA_FIGURE_PNG, w, h, 5, png, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
}

static void
test_figure_format (void)
{
  SaFigureFormat fmt;

  g_assert_true (sa_figure_format_parse ("out/fig.PDF", &fmt));
  g_assert_cmpint (fmt, ==, SA_FIGURE_PDF);
  g_assert_true (sa_figure_format_parse ("svg", &fmt));
  g_assert_cmpint (fmt, ==, SA_FIGURE_SVG);
  g_assert_false (sa_figure_format_parse ("fig.jpg", &fmt));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/colormap/published", test_colormap_published);
  g_test_add_func ("/render/colormap/monotonic", test_colormap_monotonic);
  g_test_add_func ("/render/slices/blob", test_slices_blob);
  g_test_add_func ("/render/slices/orientation", test_slices_orientation);
  g_test_add_func ("/render/slices/pick", test_slices_pick);
  g_test_add_func ("/render/slices/fast-matches-reference", test_slices_fast_matches_reference);
  g_test_add_func ("/render/slices/cache", test_slices_cache);
  g_test_add_func ("/render/traces/zscore", test_traces_zscore);
  g_test_add_func ("/render/traces/cursor", test_traces_cursor);
  g_test_add_func ("/render/heatmap/sort", test_heatmap_sort);
  g_test_add_func ("/render/heatmap/outline", test_heatmap_outline);
  g_test_add_func ("/render/figure/export", test_figure_export);
  g_test_add_func ("/render/figure/format", test_figure_format);
  return g_test_run ();
}
