#include "config.h"

#include <math.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/mask.h"
#include "tests/bids-fixture.h"
#include "tests/testutil.h"

static char *
run_path (const char *root,
          const char *sub,
          int         run)
{
  g_autofree char *name = g_strdup_printf ("sub-%s_task-movie_run-%d_bold.nii.gz", sub, run);
  g_autofree char *dir = g_strdup_printf ("sub-%s", sub);
  return g_build_filename (root, dir, "func", name, NULL);
}

static void
test_given (void)
{
  const char *opts[] = { "--layout", "fmriprep", "--subjects", "1", "--runs", "1", NULL };
  g_autofree char *root = sa_test_make_dataset (opts);
  g_autofree char *mask_path = NULL;
  g_autofree char *bold = NULL;
  g_autofree char *n_ref = NULL;
  g_autoptr(SaMask) mask = NULL;
  g_autoptr(GError) error = NULL;
  const char *fp = "derivatives/fmriprep/sub-01/func/sub-01_task-movie_run-1_space-MNI152NLin2009cAsym";

  if (root == NULL)
    return;
  mask_path = g_strdup_printf ("%s/%s_desc-brain_mask.nii.gz", root, fp);
  bold = g_strdup_printf ("%s/%s_desc-preproc_bold.nii.gz", root, fp);
  mask = sa_mask_load (mask_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mask->nx, ==, 10);
  g_assert_cmpint (mask->ny, ==, 12);
  g_assert_cmpint (mask->nz, ==, 8);
  {
    g_autofree char *dir = sa_test_tmpdir ();
    g_autofree char *out = g_build_filename (dir, "z.bin", NULL);
    const char *argv[] = { "zscore", bold, mask_path, out, NULL };
    n_ref = sa_test_python ("tests/py/bids_ref.py", argv);
  }
  if (n_ref == NULL)
    return;
  g_assert_cmpint (mask->n_in, ==, g_ascii_strtoll (n_ref, NULL, 10));
  for (gint64 k = 1; k < mask->n_in; k++)
    g_assert_cmpint (mask->index[k], >, mask->index[k - 1]);
  for (gint64 k = 0; k < mask->n_in; k++)
    g_assert_cmpint (mask->in[mask->index[k]], ==, 1);
}

static void
test_computed (void)
{
  const char *opts[] = { "--subjects", "1", "--runs", "2", NULL };
  g_autofree char *root = sa_test_make_dataset (opts);
  g_autofree char *r1 = NULL, *r2 = NULL;
  g_autofree guint8 *ref = NULL;
  g_autoptr(SaMask) mask = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  gint64 n_ref = 0;

  if (root == NULL)
    return;
  r1 = run_path (root, "01", 1);
  r2 = run_path (root, "01", 2);
  {
    const char *paths[] = { r1, r2, NULL };
    mask = sa_mask_compute (paths, 2, NULL, &error);
    g_assert_no_error (error);
    ref = sa_test_reference ("epimask", paths, &len);
  }
  if (ref == NULL)
    return;
  g_assert_cmpuint (len, ==, (gsize) mask->nx * mask->ny * mask->nz);
  for (gsize i = 0; i < len; i++)
    {
      if (ref[i] != mask->in[i])
        g_error ("voxel %" G_GSIZE_FORMAT ": reference %d, SyncAct %d", i, ref[i], mask->in[i]);
      n_ref += ref[i];
    }
  g_assert_cmpint (mask->n_in, ==, n_ref);
  /* The rule must have done something: not everything, not nothing, and
   * never the constant voxel planted at the centre (x flipped on disk). */
  g_assert_cmpint (mask->n_in, >, 50);
  g_assert_cmpint (mask->n_in, <, (gint64) len / 2);
  g_assert_cmpint (mask->in[4 + 10 * (6 + 12 * 4)], ==, 0);
}

/* Demeaned data carry no baseline: the EPI rule would cut at noise, so only
 * finite, varying voxels are kept (all but the planted constant voxel). */
static void
test_computed_demeaned (void)
{
  const char *opts[] = { "--subjects", "1", "--runs", "1", "--demean", NULL };
  g_autofree char *root = sa_test_make_dataset (opts);
  g_autofree char *r1 = NULL;
  g_autofree guint8 *ref = NULL;
  g_autoptr(SaMask) mask = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  if (root == NULL)
    return;
  r1 = run_path (root, "01", 1);
  {
    const char *paths[] = { r1, NULL };
    mask = sa_mask_compute (paths, 1, NULL, &error);
    g_assert_no_error (error);
    ref = sa_test_reference ("epimask", paths, &len);
  }
  if (ref == NULL)
    return;
  g_assert_cmpint (mask->n_in, ==, 10 * 12 * 8 - 1);
  g_assert_cmpmem (ref, len, mask->in, (gsize) 10 * 12 * 8);
}

static void
test_empty_and_grid (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *empty = g_build_filename (dir, "empty_mask.nii.gz", NULL);
  g_autofree char *one = g_build_filename (dir, "one_mask.nii", NULL);
  const double affine[4][4] = { { 2, 0, 0, -10 }, { 0, 2, 0, -12 }, { 0, 0, 2, -8 }, { 0, 0, 0, 1 } };
  g_autoptr(SaVolume) vol = sa_volume_new (6, 5, 4, 1, affine);
  g_autoptr(SaVolume) other = sa_volume_new (6, 5, 5, 1, affine);
  g_autoptr(SaMask) mask = NULL;
  g_autoptr(GError) error = NULL;

  memset (vol->data, 0, sizeof (float) * 6 * 5 * 4);
  g_assert_true (sa_volume_save (vol, empty, FALSE, &error));
  g_assert_no_error (error);
  g_assert_null (sa_mask_load (empty, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, empty));
  g_assert_nonnull (strstr (error->message, "mask selects no voxel"));
  g_clear_error (&error);

  vol->data[3 + 6 * (2 + 5 * 1)] = 1;
  g_assert_true (sa_volume_save (vol, one, FALSE, &error));
  mask = sa_mask_load (one, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mask->n_in, ==, 1);
  g_assert_cmpint (mask->index[0], ==, 3 + 6 * (2 + 5 * 1));
  g_assert_true (sa_mask_matches_grid (mask, vol, "a.nii", &error));
  g_assert_false (sa_mask_matches_grid (mask, other, "b.nii", &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "b.nii"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/mask/given", test_given);
  g_test_add_func ("/compute/mask/computed-epi", test_computed);
  g_test_add_func ("/compute/mask/computed-demeaned", test_computed_demeaned);
  g_test_add_func ("/compute/mask/empty-and-grid", test_empty_and_grid);
  return g_test_run ();
}
