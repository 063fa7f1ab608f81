#include "config.h"

#include <string.h>

#include "compute/error.h"
#include "compute/io/bids.h"
#include "tests/bids-fixture.h"
#include "tests/testutil.h"

static gboolean
any_warning_has (SaBidsDataset *d,
                 const char    *a,
                 const char    *b)
{
  for (guint i = 0; i < d->warnings->len; i++)
    {
      const char *w = g_ptr_array_index (d->warnings, i);
      if (strstr (w, a) != NULL && (b == NULL || strstr (w, b) != NULL))
        return TRUE;
    }
  return FALSE;
}

static void
test_raw_inheritance (void)
{
  const char *opts[] = { "--task-tr", "3.0", "--tr", "2.0", NULL };
  g_autofree char *root = sa_test_make_dataset (opts);
  g_autoptr(SaBidsDataset) d = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sub = NULL;
  g_autoptr(GPtrArray) key = NULL;
  SaBidsRun *r1, *r2;

  if (root == NULL)
    return;
  d = sa_bids_open (root, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (d->name, ==, "Synthetic movie");
  g_assert_cmpstr (d->bids_version, ==, "1.8.0");
  g_assert_cmpuint (d->subjects->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (d->subjects, 0), ==, "01");
  g_assert_cmpuint (d->runs->len, ==, 6);
  g_assert_cmpuint (d->run_keys->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (d->run_keys, 0), ==, "task-movie_run-1");
  g_assert_cmpstr (g_ptr_array_index (d->run_keys, 1), ==, "task-movie_run-2");
  /* The task-level 3 s is overridden below it: nearest sidecar wins. */
  g_assert_cmpfloat (d->tr, ==, 2.0);
  g_assert_cmpint (d->grid[0], ==, 10);
  g_assert_cmpint (d->grid[1], ==, 12);
  g_assert_cmpint (d->grid[2], ==, 8);
  g_assert_cmpuint (d->movies->len, ==, 1);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (d->movies, 0), "/stimuli/movie.mp4"));

  r1 = g_ptr_array_index (d->runs, 0);
  r2 = g_ptr_array_index (d->runs, 1);
  g_assert_cmpstr (r1->subject, ==, "01");
  g_assert_cmpstr (r1->task, ==, "movie");
  g_assert_cmpstr (r1->run, ==, "1");
  g_assert_null (r1->session);
  g_assert_null (r1->pipeline);
  g_assert_null (r1->mask_path);
  g_assert_cmpint (r1->dims[3], ==, 40);
  g_assert_true (g_path_is_absolute (r1->bold_path));
  g_assert_true (g_str_has_suffix (r1->bold_path, "sub-01/func/sub-01_task-movie_run-1_bold.nii.gz"));
  g_assert_true (g_str_has_suffix (r1->tr_source, "sub-01_task-movie_run-1_bold.json"));
  g_assert_true (g_str_has_suffix (r2->tr_source, "sub-01/sub-01_task-movie_bold.json"));
  g_assert_cmpfloat (r2->tr, ==, 2.0);
  g_assert_true (g_str_has_suffix (r1->events_path, "sub-01_task-movie_run-1_events.tsv"));
  g_assert_cmpfloat (r1->movie_onset, ==, 0.0);
  g_assert_false (any_warning_has (d, "pixdim", NULL));

  sub = sa_bids_runs_for_subject (d, "sub-02");
  g_assert_cmpuint (sub->len, ==, 2);
  key = sa_bids_runs_for_key (d, "task-movie_run-2");
  g_assert_cmpuint (key->len, ==, 3);
}

static void
test_fmriprep_preferred (void)
{
  const char *opts[] = { "--layout", "both", "--subjects", "2", NULL };
  g_autofree char *root = sa_test_make_dataset (opts);
  g_autoptr(SaBidsDataset) d = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *deriv = NULL;

  if (root == NULL)
    return;
  /* derivatives/syncact holds a broken "bold" file: reading it would fail. */
  d = sa_bids_open (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (d->runs->len, ==, 4);
  for (guint i = 0; i < d->runs->len; i++)
    {
      SaBidsRun *r = g_ptr_array_index (d->runs, i);
      g_assert_cmpstr (r->pipeline, ==, "fmriprep");
      g_assert_cmpstr (r->space, ==, "MNI152NLin2009cAsym");
      g_assert_nonnull (strstr (r->bold_path, "/derivatives/fmriprep/"));
      g_assert_true (g_str_has_suffix (r->bold_path, "_desc-preproc_bold.nii.gz"));
      g_assert_true (g_str_has_suffix (r->mask_path, "_space-MNI152NLin2009cAsym_desc-brain_mask.nii.gz"));
      g_assert_true (g_str_has_suffix (r->tr_source, "_desc-preproc_bold.json"));
      g_assert_nonnull (r->movie_path);
      g_assert_cmpstr (r->run_key, ==, i % 2 == 0 ? "task-movie_run-1" : "task-movie_run-2");
    }
  g_assert_true (any_warning_has (d, "derivatives/fmriprep", "instead of the raw file for 4 run"));
  deriv = sa_bids_derivatives_dir (d);
  g_assert_true (g_str_has_suffix (deriv, "/derivatives/syncact"));
  {
    g_autofree char *cache = sa_bids_cache_dir (d);
    g_autoptr(SaBidsDataset) again = NULL;
    g_assert_true (g_str_has_suffix (cache, "/derivatives/syncact/cache"));
    g_assert_true (g_file_test (cache, G_FILE_TEST_IS_DIR));
    /* SyncAct's own folder, now present, is still not read as input. */
    again = sa_bids_open (root, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (again->runs->len, ==, 4);
  }
}

static void
test_fmriprep_only (void)
{
  const char *opts[] = { "--layout", "fmriprep", "--subjects", "2", "--runs", "1", NULL };
  g_autofree char *root = sa_test_make_dataset (opts);
  g_autoptr(SaBidsDataset) d = NULL;
  g_autoptr(GError) error = NULL;
  SaBidsRun *r;

  if (root == NULL)
    return;
  d = sa_bids_open (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (d->runs->len, ==, 2);
  r = g_ptr_array_index (d->runs, 1);
  g_assert_cmpstr (r->subject, ==, "02");
  g_assert_cmpstr (r->pipeline, ==, "fmriprep");
  /* fMRIPrep does not copy events: they come from the raw tree. */
  g_assert_nonnull (r->events_path);
  g_assert_nonnull (strstr (r->events_path, "/sub-02/func/"));
  g_assert_nonnull (r->movie_path);
  g_assert_false (any_warning_has (d, "instead of the raw file", NULL));
}

static void
test_sessions_and_spaces (void)
{
  const char *opts[] = { "--layout", "both", "--session", "a", "--subjects", "2", "--runs", "1",
                         "--extra-space", "T1w", NULL };
  g_autofree char *root = sa_test_make_dataset (opts);
  g_autoptr(SaBidsDataset) d = NULL;
  g_autoptr(GError) error = NULL;

  if (root == NULL)
    return;
  d = sa_bids_open (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (d->runs->len, ==, 2);
  g_assert_cmpuint (d->run_keys->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (d->run_keys, 0), ==, "ses-a_task-movie_run-1");
  for (guint i = 0; i < d->runs->len; i++)
    {
      SaBidsRun *r = g_ptr_array_index (d->runs, i);
      g_assert_cmpstr (r->session, ==, "a");
      g_assert_cmpstr (r->space, ==, "MNI152NLin2009cAsym");
      g_assert_nonnull (strstr (r->bold_path, "/ses-a/func/"));
      g_assert_nonnull (strstr (r->events_path, "/ses-a/func/"));
      g_assert_nonnull (r->movie_path);
    }
  g_assert_true (any_warning_has (d, "derivatives/fmriprep holds several spaces (MNI152NLin2009cAsym, T1w)",
                                  "using MNI152NLin2009cAsym"));
}

static void
test_header_tr_warning (void)
{
  const char *opts[] = { "--header-tr", "2.5", "--subjects", "1", "--runs", "1", NULL };
  g_autofree char *root = sa_test_make_dataset (opts);
  g_autoptr(SaBidsDataset) d = NULL;
  g_autoptr(GError) error = NULL;

  if (root == NULL)
    return;
  d = sa_bids_open (root, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (d->tr, ==, 2.0);
  g_assert_true (any_warning_has (d, "pixdim[4] says TR = 2.5 s", "RepetitionTime = 2 s"));
  g_assert_true (any_warning_has (d, "sub-01_task-movie_run-1_bold.nii.gz", "pixdim"));
}

static void
test_grid_mismatch (void)
{
  const char *opts[] = { "--grid-mismatch", "02", "--subjects", "2", "--runs", "1", NULL };
  g_autofree char *root = sa_test_make_dataset (opts);
  g_autoptr(SaBidsDataset) d = NULL;
  g_autoptr(GError) error = NULL;

  if (root == NULL)
    return;
  d = sa_bids_open (root, &error);
  g_assert_null (d);
  g_assert_error (error, SA_ERROR, SA_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "sub-01_task-movie_run-1_bold.nii.gz"));
  g_assert_nonnull (strstr (error->message, "sub-02_task-movie_run-1_bold.nii.gz"));
  g_assert_nonnull (strstr (error->message, "grid 11×12×8"));
}

static void
test_tr_mismatch (void)
{
  const char *opts[] = { "--tr-mismatch", "03", "--runs", "1", NULL };
  g_autofree char *root = sa_test_make_dataset (opts);
  g_autoptr(SaBidsDataset) d = NULL;
  g_autoptr(GError) error = NULL;

  if (root == NULL)
    return;
  d = sa_bids_open (root, &error);
  g_assert_null (d);
  g_assert_error (error, SA_ERROR, SA_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "sub-01_task-movie_run-1_bold.nii.gz"));
  g_assert_nonnull (strstr (error->message, "sub-03_task-movie_run-1_bold.nii.gz"));
  g_assert_nonnull (strstr (error->message, "TR 3 s differs from 2 s"));
}

static void
test_missing_movie (void)
{
  const char *opts[] = { "--missing-movie", "--subjects", "1", "--runs", "1", NULL };
  g_autofree char *root = sa_test_make_dataset (opts);
  g_autoptr(SaBidsDataset) d = NULL;
  g_autoptr(GError) error = NULL;
  SaBidsRun *r;

  if (root == NULL)
    return;
  d = sa_bids_open (root, &error);
  g_assert_no_error (error);
  r = g_ptr_array_index (d->runs, 0);
  g_assert_null (r->movie_path);
  g_assert_cmpuint (d->movies->len, ==, 0);
  g_assert_true (any_warning_has (d, "_events.tsv", "movie stimuli/movie.mp4 is missing"));
}

static void
test_no_bold (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *func = g_build_filename (dir, "sub-01", "func", NULL);
  g_autofree char *junk = g_build_filename (func, "sub-01_task-movie_events.tsv", NULL);
  g_autofree char *missing = g_build_filename (dir, "nope", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (func, 0755), ==, 0);
  g_assert_true (g_file_set_contents (junk, "onset\tduration\n", -1, NULL));
  g_assert_null (sa_bids_open (dir, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, dir));
  g_assert_nonnull (strstr (error->message, "no bold runs"));
  g_clear_error (&error);

  g_assert_null (sa_bids_open (missing, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_NOT_FOUND);
}

static void
test_bad_sidecar (void)
{
  const char *opts[] = { "--subjects", "1", "--runs", "1", NULL };
  g_autofree char *root = sa_test_make_dataset (opts);
  g_autofree char *sidecar = NULL;
  g_autoptr(GError) error = NULL;

  if (root == NULL)
    return;
  sidecar = g_build_filename (root, "sub-01", "func", "sub-01_task-movie_run-1_bold.json", NULL);
  g_assert_true (g_file_set_contents (sidecar, "{\"RepetitionTime\": ", -1, NULL));
  g_assert_null (sa_bids_open (root, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, sidecar));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (sidecar, "{\"RepetitionTime\": \"2\"}", -1, NULL));
  g_assert_null (sa_bids_open (root, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "RepetitionTime must be a positive number"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/bids/raw-inheritance", test_raw_inheritance);
  g_test_add_func ("/compute/bids/fmriprep-preferred", test_fmriprep_preferred);
  g_test_add_func ("/compute/bids/fmriprep-only", test_fmriprep_only);
  g_test_add_func ("/compute/bids/sessions-and-spaces", test_sessions_and_spaces);
  g_test_add_func ("/compute/bids/header-tr-warning", test_header_tr_warning);
  g_test_add_func ("/compute/bids/grid-mismatch", test_grid_mismatch);
  g_test_add_func ("/compute/bids/tr-mismatch", test_tr_mismatch);
  g_test_add_func ("/compute/bids/missing-movie", test_missing_movie);
  g_test_add_func ("/compute/bids/no-bold", test_no_bold);
  g_test_add_func ("/compute/bids/bad-sidecar", test_bad_sidecar);
  return g_test_run ();
}
