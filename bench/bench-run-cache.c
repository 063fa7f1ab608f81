/* bench-run-cache — times building and reopening one run's cache
 *
 * bench-run-cache BOLD MASK CACHE_DIR: prints "build_s", "reuse_s",
 * "timepoints", "voxels" and the peak RSS, one "key value" per line. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "compute/io/run-cache.h"

/* VmHWM, not getrusage: ru_maxrss survives execve, so a child of a big
 * Python process would report the parent's peak. */
static double
peak_rss_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return g_ascii_strtod (line + 6, NULL) / 1024.0;
}

static double
seconds (void)
{
  return g_get_monotonic_time () / 1e6;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SaMask) mask = NULL;
  double t0, t1, t2;

  if (argc != 4)
    {
      fprintf (stderr, "usage: %s BOLD MASK CACHE_DIR\n", argv[0]);
      return 2;
    }
  mask = sa_mask_load (argv[2], &error);
  if (mask == NULL)
    goto fail;
  t0 = seconds ();
  {
    g_autoptr(SaRunCache) c = sa_run_cache_open (argv[1], mask, argv[3], NULL, NULL, &error);
    if (c == NULL)
      goto fail;
    t1 = seconds ();
    if (sa_run_cache_was_reused (c))
      {
        fprintf (stderr, "cache existed already: empty %s first\n", argv[3]);
        return 1;
      }
    printf ("timepoints %d\nvoxels %" G_GINT64_FORMAT "\n", sa_run_cache_n_timepoints (c),
            sa_run_cache_n_voxels (c));
  }
  {
    g_autoptr(SaRunCache) c = sa_run_cache_open (argv[1], mask, argv[3], NULL, NULL, &error);
    volatile float sink = 0;
    if (c == NULL)
      goto fail;
    /* Touch every page once: reuse is worth only as much as reading it. */
    for (gsize i = 0; i < (gsize) sa_run_cache_n_timepoints (c) * sa_run_cache_n_voxels (c); i += 1024)
      sink += sa_run_cache_data (c)[i];
    t2 = seconds ();
    if (!sa_run_cache_was_reused (c))
      {
        fprintf (stderr, "second open did not reuse the cache\n");
        return 1;
      }
  }
  printf ("build_s %.3f\nreuse_s %.4f\npeak_rss_mib %.1f\n", t1 - t0, t2 - t1, peak_rss_mib ());
  return 0;

fail:
  fprintf (stderr, "%s\n", error->message);
  return 1;
}
