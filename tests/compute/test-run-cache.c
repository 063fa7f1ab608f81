#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "compute/error.h"
#include "compute/io/run-cache.h"
#include "tests/bids-fixture.h"
#include "tests/testutil.h"

#define FP "derivatives/fmriprep/sub-01/func/sub-01_task-movie_run-1_space-MNI152NLin2009cAsym"

typedef struct {
  char   *root;
  char   *bold;
  char   *mask_path;
  char   *cache_dir;
  SaMask *mask;
} Fixture;

static gboolean
fixture_init (Fixture           *f,
              const char *const *extra)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) opts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = sa_test_tmpdir ();

  g_strv_builder_add_many (b, "--layout", "fmriprep", "--subjects", "1", "--runs", "1",
                           "--uncompressed", NULL);
  for (int i = 0; extra != NULL && extra[i] != NULL; i++)
    g_strv_builder_add (b, extra[i]);
  opts = g_strv_builder_end (b);
  memset (f, 0, sizeof *f);
  f->root = sa_test_make_dataset ((const char *const *) opts);
  if (f->root == NULL)
    return FALSE;
  f->bold = g_strdup_printf ("%s/%s_desc-preproc_bold.nii", f->root, FP);
  f->mask_path = g_strdup_printf ("%s/%s_desc-brain_mask.nii", f->root, FP);
  f->cache_dir = g_build_filename (dir, "cache", NULL);
  f->mask = sa_mask_load (f->mask_path, &error);
  g_assert_no_error (error);
  return TRUE;
}

static void
fixture_clear (Fixture *f)
{
  g_free (f->root);
  g_free (f->bold);
  g_free (f->mask_path);
  g_free (f->cache_dir);
  sa_mask_free (f->mask);
}

static void
check_against_numpy (Fixture    *f,
                     SaRunCache *cache)
{
  const char *args[] = { f->bold, f->mask_path, NULL };
  g_autofree float *ref = NULL;
  const float *z = sa_run_cache_data (cache);
  gsize len = 0;
  gint64 n = sa_run_cache_n_voxels (cache);
  int t = sa_run_cache_n_timepoints (cache);
  double worst = 0;
  int zeros = 0;

  ref = (float *) sa_test_reference ("zscore", args, &len);
  if (ref == NULL)
    return;
  g_assert_cmpuint (len, ==, (gsize) t * n * sizeof (float));
  for (gsize i = 0; i < (gsize) t * n; i++)
    worst = MAX (worst, fabs ((double) z[i] - ref[i]));
  g_assert_cmpfloat (worst, <, 1e-5);
  /* The constant voxel is exactly 0, and the others have mean 0, std 1. */
  for (gint64 k = 0; k < n; k++)
    {
      double s = 0, ss = 0;
      for (int i = 0; i < t; i++)
        {
          s += z[(gsize) i * n + k];
          ss += z[(gsize) i * n + k] * z[(gsize) i * n + k];
        }
      if (ss == 0)
        zeros++;
      else
        {
          g_assert_cmpfloat (fabs (s / t), <, 1e-5);
          g_assert_cmpfloat (fabs (ss / t - 1), <, 1e-4);
        }
    }
  g_assert_cmpint (zeros, ==, 1);
}

static void
test_zscore_and_reuse (void)
{
  Fixture f;
  g_autoptr(SaRunCache) a = NULL;
  g_autoptr(SaRunCache) b = NULL;
  g_autoptr(GError) error = NULL;

  if (!fixture_init (&f, NULL))
    return;
  a = sa_run_cache_open (f.bold, f.mask, f.cache_dir, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (sa_run_cache_was_reused (a));
  g_assert_cmpint (sa_run_cache_n_timepoints (a), ==, 40);
  g_assert_cmpint (sa_run_cache_n_voxels (a), ==, f.mask->n_in);
  g_assert_true (g_str_has_prefix (sa_run_cache_path (a), f.cache_dir));
  check_against_numpy (&f, a);

  b = sa_run_cache_open (f.bold, f.mask, f.cache_dir, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sa_run_cache_was_reused (b));
  g_assert_cmpstr (sa_run_cache_path (a), ==, sa_run_cache_path (b));
  g_assert_cmpmem (sa_run_cache_data (a), 40 * f.mask->n_in * sizeof (float),
                   sa_run_cache_data (b), 40 * f.mask->n_in * sizeof (float));
  fixture_clear (&f);
}

static gboolean
reopen_reused (Fixture      *f,
               const SaMask *mask)
{
  g_autoptr(SaRunCache) c = NULL;
  g_autoptr(GError) error = NULL;

  c = sa_run_cache_open (f->bold, mask, f->cache_dir, NULL, NULL, &error);
  g_assert_no_error (error);
  if (mask == f->mask)
    check_against_numpy (f, c);
  return sa_run_cache_was_reused (c);
}

static void
test_stale_and_damaged (void)
{
  Fixture f;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache_path = NULL;
  g_autoptr(SaMask) smaller = NULL;
  struct timeval times[2];
  char *contents = NULL;
  gsize len = 0;

  if (!fixture_init (&f, NULL))
    return;
  {
    g_autoptr(SaRunCache) c = sa_run_cache_open (f.bold, f.mask, f.cache_dir, NULL, NULL, &error);
    g_assert_no_error (error);
    cache_path = g_strdup (sa_run_cache_path (c));
  }
  g_assert_true (reopen_reused (&f, f.mask));

  /* Touched: new mtime, same bytes. */
  gettimeofday (&times[0], NULL);
  times[0].tv_sec += 5;
  times[1] = times[0];
  g_assert_cmpint (utimes (f.bold, times), ==, 0);
  g_assert_false (reopen_reused (&f, f.mask));
  g_assert_true (reopen_reused (&f, f.mask));

  /* Rewritten with other values (same size), mtime put back: the content
   * hash sees it. */
  {
    const char *opts[] = { "--seed", "7", NULL };
    Fixture g;
    GStatBuf st;
    g_assert_true (fixture_init (&g, opts));
    g_assert_cmpint (g_stat (f.bold, &st), ==, 0);
    g_assert_true (g_file_get_contents (g.bold, &contents, &len, NULL));
    g_assert_true (g_file_set_contents (f.bold, contents, len, NULL));
    g_free (contents);
    g_assert_cmpint (utimes (f.bold, times), ==, 0);
    fixture_clear (&g);
  }
  g_assert_false (reopen_reused (&f, f.mask));
  g_assert_true (reopen_reused (&f, f.mask));

  /* A different mask. */
  smaller = g_new0 (SaMask, 1);
  *smaller = *f.mask;
  smaller->in = g_memdup2 (f.mask->in, (gsize) f.mask->nx * f.mask->ny * f.mask->nz);
  smaller->index = g_memdup2 (f.mask->index, f.mask->n_in * sizeof (gint64));
  smaller->n_in = f.mask->n_in - 1;
  smaller->in[f.mask->index[f.mask->n_in - 1]] = 0;
  g_assert_false (reopen_reused (&f, smaller));
  g_assert_false (reopen_reused (&f, f.mask));

  /* Damaged header, then a truncated cache. */
  g_assert_true (g_file_get_contents (cache_path, &contents, &len, NULL));
  contents[20] ^= 0x55;
  g_assert_true (g_file_set_contents (cache_path, contents, len, NULL));
  g_assert_false (reopen_reused (&f, f.mask));
  g_assert_true (g_file_set_contents (cache_path, contents, len / 2, NULL));
  g_free (contents);
  g_assert_false (reopen_reused (&f, f.mask));
  g_assert_true (reopen_reused (&f, f.mask));
  fixture_clear (&f);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_nan (void)
{
  const char *opts[] = { "--nan", "01:1:5", NULL };
  Fixture f;
  g_autoptr(SaRunCache) c = NULL;
  g_autoptr(GError) error = NULL;

  if (!fixture_init (&f, opts))
    return;
  c = sa_run_cache_open (f.bold, f.mask, f.cache_dir, NULL, NULL, &error);
  g_assert_null (c);
  g_assert_error (error, SA_ERROR, SA_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, f.bold));
  g_assert_nonnull (strstr (error->message, "volume 5 has NaN"));
  /* Nothing half-written is left behind. */
  g_assert_cmpuint (count_files (f.cache_dir), ==, 0);
  fixture_clear (&f);
}

static void
test_truncated (void)
{
  Fixture f;
  g_autoptr(SaRunCache) c = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (!fixture_init (&f, NULL))
    return;
  g_assert_true (g_file_get_contents (f.bold, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (f.bold, contents, len - 1000, NULL));
  g_free (contents);
  c = sa_run_cache_open (f.bold, f.mask, f.cache_dir, NULL, NULL, &error);
  g_assert_null (c);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, f.bold));
  g_assert_cmpuint (count_files (f.cache_dir), ==, 0);
  fixture_clear (&f);
}

static void
test_grid_mismatch (void)
{
  Fixture f;
  g_autoptr(SaRunCache) c = NULL;
  g_autoptr(GError) error = NULL;
  const double affine[4][4] = { { 3, 0, 0, 0 }, { 0, 3, 0, 0 }, { 0, 0, 3, 0 }, { 0, 0, 0, 1 } };
  SaMask other = { 10, 12, 8 };

  if (!fixture_init (&f, NULL))
    return;
  other = *f.mask;
  memcpy (other.affine, affine, sizeof affine);
  c = sa_run_cache_open (f.bold, &other, f.cache_dir, NULL, NULL, &error);
  g_assert_null (c);
  g_assert_error (error, SA_ERROR, SA_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, f.bold));
  fixture_clear (&f);
}

static double
peak_rss_bytes (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtod (line + 6, NULL) * 1024.0;
}

/* The cache is built while streaming: the peak RSS must grow by far less
 * than the 4D run (about 2 volumes and the small T × n output), which a
 * reader that loads the whole run would exceed. */
static void
test_memory_bounded (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *bold = g_build_filename (dir, "big_bold.nii", NULL);
  g_autofree char *mask_path = g_build_filename (dir, "big_mask.nii", NULL);
  g_autofree char *cache_dir = g_build_filename (dir, "cache", NULL);
  const char *argv[] = { "big", bold, mask_path, "40", "40", "40", "300", NULL };
  g_autofree char *out = sa_test_python ("tests/py/bids_ref.py", argv);
  g_autoptr(SaMask) mask = NULL;
  g_autoptr(SaRunCache) c = NULL;
  g_autoptr(GError) error = NULL;
  double run_bytes, before, grew;

  if (out == NULL)
    return;
  run_bytes = g_ascii_strtod (out, NULL);
  mask = sa_mask_load (mask_path, &error);
  g_assert_no_error (error);
  before = peak_rss_bytes ();
  c = sa_run_cache_open (bold, mask, cache_dir, NULL, NULL, &error);
  g_assert_no_error (error);
  grew = peak_rss_bytes () - before;
  g_test_message ("run %.1f MiB, peak RSS grew %.1f MiB", run_bytes / 1048576, grew / 1048576);
  g_assert_cmpint (sa_run_cache_n_voxels (c), ==, 1000);
  g_assert_cmpfloat (grew, <, 0.1 * run_bytes);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/run-cache/zscore-and-reuse", test_zscore_and_reuse);
  g_test_add_func ("/compute/run-cache/stale-and-damaged", test_stale_and_damaged);
  g_test_add_func ("/compute/run-cache/nan", test_nan);
  g_test_add_func ("/compute/run-cache/truncated", test_truncated);
  g_test_add_func ("/compute/run-cache/grid-mismatch", test_grid_mismatch);
  g_test_add_func ("/compute/run-cache/memory-bounded", test_memory_bounded);
  return g_test_run ();
}
