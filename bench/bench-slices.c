/* bench-slices — time to render the brain pane's three orthogonal slices
 * (ch2better at 0.5 mm under an FBN map on the demo's 4 mm grid) for random
 * FBN and crosshair changes, the fast renderer against the per-pixel
 * reference it replaced, both in the same run on the same changes.
 *
 *   bench-slices [WIDTH HEIGHT [CHANGES [SCALE]]]
 *
 * Half the changes select an FBN (the crosshair jumps to its peak, as the
 * slice view does), half move the crosshair to a random point in the brain.
 * Each change renders the slices at WIDTH×HEIGHT (the pane's size) times
 * SCALE (the display's scale factor) onto an image, as the widget does;
 * the default 686x312 is the brain pane in a 1400x900 window.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "compute/io/nifti.h"
#include "render/slices-private.h"

#define N_MAPS 20

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
load_average (double *one)
{
  FILE *f = fopen ("/proc/loadavg", "r");

  *one = NAN;
  if (f)
    {
      if (fscanf (f, "%lf", one) != 1)
        *one = NAN;
      fclose (f);
    }
}

/* FBN-like maps: a few signed Gaussian blobs of 6–12 mm on the demo's grid
 * (38×47×41 at 4 mm), weak noise elsewhere. */
static float *
make_maps (GRand  *rand,
           int     nx,
           int     ny,
           int     nz,
           double  peaks[N_MAPS][3],
           const double affine[4][4])
{
  gsize vox = (gsize) nx * ny * nz;
  float *maps = g_new0 (float, vox * N_MAPS);

  for (int m = 0; m < N_MAPS; m++)
    {
      float *map = maps + vox * m;
      double best = 0;

      for (int b = 0; b < 3; b++)
        {
          double c[3] = { g_rand_double_range (rand, 8, nx - 8), g_rand_double_range (rand, 8, ny - 8),
                          g_rand_double_range (rand, 8, nz - 8) };
          double sigma = g_rand_double_range (rand, 1.5, 3.0), amp = g_rand_double_range (rand, -3, 5);

          for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
              for (int i = 0; i < nx; i++)
                {
                  double d2 = (i - c[0]) * (i - c[0]) + (j - c[1]) * (j - c[1]) + (k - c[2]) * (k - c[2]);

                  map[i + (gsize) nx * (j + (gsize) ny * k)] += amp * exp (-d2 / (2 * sigma * sigma));
                }
        }
      for (gsize v = 0; v < vox; v++)
        {
          map[v] += g_rand_double_range (rand, -0.05, 0.05);
          if (fabsf (map[v]) > best)
            {
              int i = v % nx, j = (v / nx) % ny, k = v / ((gsize) nx * ny);

              best = fabsf (map[v]);
              for (int a = 0; a < 3; a++)
                peaks[m][a] = affine[a][0] * i + affine[a][1] * j + affine[a][2] * k + affine[a][3];
            }
        }
    }
  return maps;
}

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Wall time, and in @cpu this thread's CPU time: on a loaded machine the
 * wall time mostly measures the wait for a core. */
static double
render_ms (const SaSliceParams *p,
           const SaRenderStyle *style,
           int                  w,
           int                  h,
           double               scale,
           gboolean             reference,
           cairo_surface_t     *target,
           double              *cpu)
{
  cairo_t *cr = cairo_create (target);
  gint64 t0 = g_get_monotonic_time ();
  double c0 = cpu_ms ();

  cairo_scale (cr, scale, scale);
  (reference ? sa_slices_draw_reference : sa_slices_draw) (cr, style, p, w, h);
  cairo_surface_flush (target);
  cairo_destroy (cr);
  *cpu = cpu_ms () - c0;
  return (g_get_monotonic_time () - t0) / 1e3;
}

static int
max_diff (cairo_surface_t *a,
          cairo_surface_t *b)
{
  int worst = 0, w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);

  for (int y = 0; y < h; y++)
    {
      const guint32 *ra = (const guint32 *) (cairo_image_surface_get_data (a) + y * cairo_image_surface_get_stride (a));
      const guint32 *rb = (const guint32 *) (cairo_image_surface_get_data (b) + y * cairo_image_surface_get_stride (b));

      for (int x = 0; x < w; x++)
        for (int c = 0; c < 24; c += 8)
          worst = MAX (worst, abs ((int) (ra[x] >> c & 0xff) - (int) (rb[x] >> c & 0xff)));
    }
  return worst;
}

int
main (int argc, char **argv)
{
  int w = argc > 2 ? atoi (argv[1]) : 686, h = argc > 2 ? atoi (argv[2]) : 312;
  int n = argc > 3 ? atoi (argv[3]) : 200;
  double scale = argc > 4 ? g_ascii_strtod (argv[4], NULL) : 1.0;
  g_autofree char *template_path = g_build_filename (MRICRON_TEMPLATES, "ch2better.nii.gz", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree double *fast = NULL, *ref = NULL, *fast_cpu = NULL, *ref_cpu = NULL;
  g_autofree float *maps = NULL;
  double map_affine[4][4] = { { 4, 0, 0, -76 }, { 0, 4, 0, -108 }, { 0, 0, 4, -72 }, { 0, 0, 0, 1 } };
  double peaks[N_MAPS][3], load0, load1, sum_fast = 0, sum_ref = 0;
  int mx = 38, my = 47, mz = 41, worst = 0;
  SaVolume *anat;
  SaSliceVolume anatomy, overlay;
  SaSliceParams p;
  SaRenderStyle style;
  cairo_surface_t *sf, *sr;

  if (w <= 0 || h <= 0 || n <= 0 || scale <= 0)
    {
      g_printerr ("usage: bench-slices [WIDTH HEIGHT [CHANGES [SCALE]]]\n");
      return 2;
    }
  anat = sa_volume_load (template_path, NULL, NULL, &error);
  if (anat == NULL)
    {
      g_printerr ("bench-slices: %s\n", error->message);
      return 1;
    }
  anatomy = (SaSliceVolume) { anat->nx, anat->ny, anat->nz, anat->data, { { 0 } } };
  memcpy (anatomy.affine, anat->affine, sizeof anatomy.affine);
  maps = make_maps (rand, mx, my, mz, peaks, (const double (*)[4]) map_affine);
  overlay = (SaSliceVolume) { mx, my, mz, NULL, { { 0 } } };
  memcpy (overlay.affine, map_affine, sizeof map_affine);

  sa_slice_params_init (&p, &anatomy);
  p.overlay = &overlay;
  sa_render_style_init_screen (&style, FALSE);
  sf = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, ceil (w * scale), ceil (h * scale));
  sr = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, ceil (w * scale), ceil (h * scale));
  fast = g_new (double, n);
  ref = g_new (double, n);
  fast_cpu = g_new (double, n);
  ref_cpu = g_new (double, n);

  g_print ("ch2better %dx%dx%d at %.1f mm; maps %dx%dx%d at 4 mm; panes %dx%d at scale %g; %d changes\n",
           anat->nx, anat->ny, anat->nz, anat->voxel_size[0], mx, my, mz, w, h, scale, n);
  load_average (&load0);
  for (int k = 0; k < n; k++)
    {
      int m = g_rand_int_range (rand, 0, N_MAPS);

      overlay.data = maps + (gsize) mx * my * mz * m;
      if (k % 2 == 0)
        memcpy (p.cursor, peaks[m], sizeof p.cursor);
      else
        for (int a = 0; a < 3; a++)
          p.cursor[a] = g_rand_double_range (rand, -60, 60);
      /* Alternate which goes first, so neither always finds warm caches. */
      if (k % 2 == 0)
        {
          fast[k] = render_ms (&p, &style, w, h, scale, FALSE, sf, &fast_cpu[k]);
          ref[k] = render_ms (&p, &style, w, h, scale, TRUE, sr, &ref_cpu[k]);
        }
      else
        {
          ref[k] = render_ms (&p, &style, w, h, scale, TRUE, sr, &ref_cpu[k]);
          fast[k] = render_ms (&p, &style, w, h, scale, FALSE, sf, &fast_cpu[k]);
        }
      sum_fast += fast[k];
      sum_ref += ref[k];
      worst = MAX (worst, max_diff (sf, sr));
    }
  load_average (&load1);
  qsort (fast, n, sizeof (double), cmp_double);
  qsort (ref, n, sizeof (double), cmp_double);
  qsort (fast_cpu, n, sizeof (double), cmp_double);
  qsort (ref_cpu, n, sizeof (double), cmp_double);
  g_print ("reference (per-pixel affine): wall p50 %.1f ms, p95 %.1f ms, max %.1f ms; CPU p50 %.1f ms, p95 %.1f ms\n",
           ref[n / 2], ref[(int) (0.95 * (n - 1))], ref[n - 1],
           ref_cpu[n / 2], ref_cpu[(int) (0.95 * (n - 1))]);
  g_print ("fast:                         wall p50 %.1f ms, p95 %.1f ms, max %.1f ms; CPU p50 %.1f ms, p95 %.1f ms\n",
           fast[n / 2], fast[(int) (0.95 * (n - 1))], fast[n - 1],
           fast_cpu[n / 2], fast_cpu[(int) (0.95 * (n - 1))]);
  g_print ("largest pixel difference between the two: %d/255\n", worst);
  g_print ("load average (1 min) %.2f before, %.2f after\n", load0, load1);
  g_print ("RESULT fast_p50_ms=%.2f fast_p95_ms=%.2f ref_p50_ms=%.2f ref_p95_ms=%.2f "
           "fast_cpu_p95_ms=%.2f ref_cpu_p95_ms=%.2f speedup=%.1f max_diff=%d\n",
           fast[n / 2], fast[(int) (0.95 * (n - 1))], ref[n / 2], ref[(int) (0.95 * (n - 1))],
           fast_cpu[(int) (0.95 * (n - 1))], ref_cpu[(int) (0.95 * (n - 1))],
           sum_ref / sum_fast, worst);
  cairo_surface_destroy (sf);
  cairo_surface_destroy (sr);
  sa_volume_free (anat);
  return worst <= 1 ? 0 : 1;
}
