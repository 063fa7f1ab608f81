/* bench-movie.c — movie sampling speed and exact-seek latency
 *
 *   bench-movie MOVIE [WIDTH HEIGHT]
 *
 * Samples one frame per TR (TR = 1 s) over the whole movie, then times 100
 * exact seeks at random times and 100 one-frame forward scrub steps.
 * scripts/bench.sh movie runs it next to the Python peer.
 */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "compute/io/movie.h"

static gboolean
touch (int k, const guint8 *rgb, int width, int height, double frame_time, gpointer user_data)
{
  guint64 *sum = user_data;

  *sum += rgb[(gsize) width * height * 3 / 2];
  return TRUE;
}

/* CPU seconds used by this process so far (all threads). */
static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (double *v, int n, double p)
{
  qsort (v, n, sizeof *v, compare_double);
  return v[MIN (n - 1, (int) floor (p * n))];
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SaMovie) movie = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const SaMovieInfo *info;
  int width = argc > 3 ? atoi (argv[2]) : 224;
  int height = argc > 3 ? atoi (argv[3]) : 224;
  g_autofree guint8 *rgb = g_malloc ((gsize) width * height * 3);
  double seek_ms[100], scrub_ms[100], t, secs, cpu;
  gint64 t0, decoded;
  guint64 sum = 0;
  int n_tr;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s MOVIE [WIDTH HEIGHT]\n", argv[0]);
      return 2;
    }
  movie = sa_movie_open (argv[1], &error);
  if (movie == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  info = sa_movie_get_info (movie);
  n_tr = (int) floor (info->duration);
  printf ("movie: %d×%d, %.3f fps, %.1f s, %s in %s; output %d×%d %s\n",
          info->width, info->height, info->fps, info->duration, info->codec,
          info->container, width, height, sa_resize_name (SA_RESIZE_BILINEAR_AA));

  decoded = sa_movie_get_frames_decoded (movie);
  cpu = cpu_seconds ();
  t0 = g_get_monotonic_time ();
  if (!sa_movie_sample_tr (movie, 1.0, n_tr, width, height, SA_RESIZE_BILINEAR_AA,
                           touch, &sum, NULL, NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  secs = (g_get_monotonic_time () - t0) / 1e6;
  cpu = cpu_seconds () - cpu;
  decoded = sa_movie_get_frames_decoded (movie) - decoded;
  /* Frames of movie covered per second: unreferenced frames the decoder
   * skips count as covered, they are part of the movie played through. */
  printf ("sample_tr: %d TRs (%.0f movie frames, %" G_GINT64_FORMAT " decoded, the rest "
          "skipped as unreferenced) in %.2f s: %.0f movie frames/s, %.1f× real time\n",
          n_tr, n_tr * info->fps, decoded, secs, n_tr * info->fps / secs, n_tr / secs);
  /* On a shared machine the wall clock measures the neighbours too; the CPU
   * time says what two cores of our own would give. */
  printf ("sample_tr CPU: %.2f s (%.1f× real time per core, %.1f× on 2 idle cores)\n",
          cpu, n_tr / cpu, 2 * n_tr / cpu);

  for (int i = 0; i < 100; i++)
    {
      t = g_rand_double_range (rand, 0.0, info->duration - 0.1);
      t0 = g_get_monotonic_time ();
      if (!sa_movie_frame_at (movie, t, width, height, SA_RESIZE_BILINEAR_AA, rgb, NULL, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      seek_ms[i] = (g_get_monotonic_time () - t0) / 1e3;
    }
  t = g_rand_double_range (rand, 0.0, info->duration - 10.0);
  for (int i = 0; i < 100; i++)
    {
      t += 1.0 / info->fps;
      t0 = g_get_monotonic_time ();
      if (!sa_movie_frame_at (movie, t, width, height, SA_RESIZE_BILINEAR_AA, rgb, NULL, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      scrub_ms[i] = (g_get_monotonic_time () - t0) / 1e3;
    }
  printf ("frame_at random: p50 %.1f ms, p95 %.1f ms, max %.1f ms (100 seeks)\n",
          percentile (seek_ms, 100, 0.5), percentile (seek_ms, 100, 0.95), percentile (seek_ms, 100, 1.0));
  printf ("frame_at scrub +1 frame: p50 %.2f ms, p95 %.2f ms (100 steps)\n",
          percentile (scrub_ms, 100, 0.5), percentile (scrub_ms, 100, 0.95));
  printf ("RESULT fps=%.1f realtime=%.2f cpu_s=%.2f seek_p50_ms=%.2f seek_p95_ms=%.2f\n",
          n_tr * info->fps / secs, n_tr / secs, cpu, percentile (seek_ms, 100, 0.5), percentile (seek_ms, 100, 0.95));
  return sum == 0xffffffffffffffffULL;
}
