/* syncact run and syncact pair DATASET, end to end on a small planted dataset
 * with a real movie: outputs, reuse on a second run, redo on a changed
 * parameter, and bad input. */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compute/ann/activations.h"
#include "compute/demo/planted.h"
#include "compute/io/tsv.h"
#include "compute/io/nifti.h"
#include "tests/testutil.h"

#define N_TIMEPOINTS 40
#define TR 2.0

static const double affine[4][4] = {
  { 3, 0, 0, -20 }, { 0, 3, 0, -30 }, { 0, 0, 3, -10 }, { 0, 0, 0, 1 }
};

/* sub-01..sub-05 watching stimuli/movie.mp4 (@movie_seconds long) for one
 * run of N_TIMEPOINTS TRs; NULL when there is no ffmpeg to make the movie. */
static char *
make_dataset_onset (double movie_seconds,
                    double onset)
{
  g_autofree char *root = sa_test_tmpdir ();
  g_autofree char *ffmpeg = g_find_program_in_path ("ffmpeg");
  char *dataset = g_build_filename (root, "ds", NULL);
  g_autofree char *desc = g_build_filename (dataset, "dataset_description.json", NULL);
  g_autofree char *sidecar = g_build_filename (dataset, "task-movie_bold.json", NULL);
  g_autofree char *stimuli = g_build_filename (dataset, "stimuli", NULL);
  g_autofree char *movie = g_build_filename (stimuli, "movie.mp4", NULL);
  g_autofree char *source = g_strdup_printf ("testsrc2=size=64x48:rate=4:duration=%g",
                                             movie_seconds);
  g_autofree char *events = g_strdup_printf ("onset\tduration\tstim_file\n%g\t%g\tmovie.mp4\n",
                                             onset, N_TIMEPOINTS * TR - onset);
  const char *mk[] = { ffmpeg, "-loglevel", "error", "-y", "-f", "lavfi", "-i", source,
                       "-c:v", "libx264", "-pix_fmt", "yuv420p", movie, NULL };
  SaPlantedParams params;
  g_autoptr(SaPlanted) planted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *x = NULL;
  int status = 0;

  if (ffmpeg == NULL)
    {
      g_free (dataset);
      return NULL;
    }
  sa_planted_params_init (&params);
  params.nx = 12;
  params.ny = 12;
  params.nz = 10;
  params.n_subjects = 5;
  params.n_timepoints = N_TIMEPOINTS;
  params.tr = TR;
  params.n_networks = 3;
  params.blob_sigma = 1.5;
  params.min_separation = 3.0;
  params.snr = 2.0;
  planted = sa_planted_new (&params, &error);
  g_assert_no_error (error);
  x = g_new (float, (gsize) N_TIMEPOINTS * planted->n_voxels);

  g_assert_cmpint (g_mkdir_with_parents (stimuli, 0755), ==, 0);
  g_assert_true (g_spawn_sync (NULL, (char **) mk, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_set_contents (desc, "{\"Name\": \"planted\", \"BIDSVersion\": \"1.8.0\"}",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (sidecar, "{\"RepetitionTime\": 2.0}", -1, NULL));
  for (int s = 0; s < params.n_subjects; s++)
    {
      g_autofree char *sub = g_strdup_printf ("sub-%02d", s + 1);
      g_autofree char *dir = g_build_filename (dataset, sub, "func", NULL);
      g_autofree char *name = g_strdup_printf ("%s_task-movie_bold.nii", sub);
      g_autofree char *ev_name = g_strdup_printf ("%s_task-movie_events.tsv", sub);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *ev_path = g_build_filename (dir, ev_name, NULL);
      g_autoptr(SaVolume) volume = sa_volume_new (12, 12, 10, N_TIMEPOINTS, affine);
      gsize grid = 12 * 12 * 10;

      g_assert_true (sa_planted_subject (planted, s, x, NULL, &error));
      volume->tr = TR;
      for (int t = 0; t < N_TIMEPOINTS; t++)
        for (gint64 v = 0; v < planted->n_voxels; v++)
          volume->data[t * grid + planted->index[v]] = 100 + x[t * planted->n_voxels + v];
      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_assert_true (sa_volume_save (volume, path, FALSE, &error));
      g_assert_true (g_file_set_contents (ev_path, events, -1, NULL));
    }
  return dataset;
}

static char *
make_dataset (double movie_seconds)
{
  return make_dataset_onset (movie_seconds, 0);
}

static char *
read_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static int
count_lines (const char *text)
{
  int n = 0;

  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

static void
test_run (void)
{
  g_autofree char *dataset = make_dataset (N_TIMEPOINTS * TR + 4);
  g_autofree char *out_dir = NULL;
  g_autofree char *out = NULL, *err = NULL, *summary = NULL, *pairs = NULL, *again = NULL;
  g_autofree char *pairs_again = NULL;
  const char *pairs_name = "task-movie_model-democnn_layer-conv3_desc-fbn2filter_pairs.tsv";

  if (dataset == NULL)
    {
      g_test_skip ("no ffmpeg command");
      return;
    }
  out_dir = g_build_filename (dataset, "derivatives", "syncact", NULL);
  {
    const char *argv[] = { "run", dataset, "--model", "builtin:democnn", "--layer", "conv3",
                           "--layer", "conv2", "--fbns", "4", "--arch", "lt", "--epochs", "2",
                           "--window", "20", "--seed", "3", "--surrogates", "50",
                           "--size", "64x48", NULL };

    gint64 start = g_get_monotonic_time (), first, second;

    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
    first = g_get_monotonic_time () - start;
    g_test_message ("%s%s", out, err);
    g_assert_nonnull (strstr (out, "train: no trained embedding yet"));
    g_assert_null (strstr (out, "reused"));

    /* One pairs table per run × layer × direction, one summary row each. */
    pairs = read_file (out_dir, pairs_name);
    g_assert_true (g_str_has_prefix (pairs, "fbn\tfilter\tr\t"));
    g_assert_cmpint (count_lines (pairs), ==, 1 + 4);
    g_free (read_file (out_dir, "task-movie_model-democnn_layer-conv2_desc-filter2fbn_pairs.tsv"));
    summary = read_file (out_dir, "summary.tsv");
    g_assert_cmpint (count_lines (summary), ==, 1 + 2 * 2);
    g_assert_nonnull (strstr (summary, "conv2"));
    g_assert_nonnull (strstr (summary, "conv3"));
    /* One progress display: piped, "run: P%" lines that only go forward
     * and end at 100%, with no bar of a step's own. */
    {
      g_auto(GStrv) lines = g_strsplit (err, "\n", -1);
      int last = -1, n_run = 0;

      for (int i = 0; lines[i] != NULL; i++)
        {
          int percent;
          char sign;

          g_assert_false (g_str_has_prefix (lines[i], "Surrogate null:"));
          g_assert_false (g_str_has_prefix (lines[i], "extract conv3:"));
          g_assert_false (g_str_has_prefix (lines[i], "train:"));
          if (sscanf (lines[i], "run: %d%c", &percent, &sign) == 2 && sign == '%')
            {
              g_assert_cmpint (percent, >=, last);
              last = percent;
              n_run++;
            }
        }
      g_assert_cmpint (last, ==, 100);
      g_assert_cmpint (n_run, >=, 5);
      g_assert_nonnull (strstr (err, "run: done in"));
    }
    /* testsrc2 leaves one conv3 channel at zero: reported, not NaN. */
    g_assert_nonnull (strstr (err, "1 constant filter(s) left out"));
    g_assert_null (strstr (pairs, "nan"));

    /* The second run reuses every step and rewrites nothing. */
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    start = g_get_monotonic_time ();
    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
    second = g_get_monotonic_time () - start;
    g_test_message ("%s%s", out, err);
    g_test_message ("first run %.2f s, second %.2f s", first / 1e6, second / 1e6);
    g_assert_cmpint (second, <, first);
    g_assert_nonnull (strstr (out, "train: reused"));
    g_assert_nonnull (strstr (out, "extract: reused"));
    g_assert_nonnull (strstr (out, "pair: reused"));
    g_assert_null (strstr (out, "train: no"));
    g_assert_null (strstr (err, "Surrogate"));
    pairs_again = read_file (out_dir, pairs_name);
    g_assert_cmpstr (pairs, ==, pairs_again);
  }
  {
    /* Another null size: the embedding and activations stay, pairs are redone. */
    g_autofree char *scores = g_build_filename (dataset, "scores.tsv", NULL);
    const char *argv[] = { "run", dataset, "--model", "builtin:democnn", "--layer", "conv3",
                           "--fbns", "4", "--arch", "lt", "--epochs", "2", "--window", "20",
                           "--seed", "3", "--surrogates", "40", "--size", "64x48",
                           "--scores", scores, NULL };

    /* A score for a model that was not run: a warning naming it. */
    g_assert_true (g_file_set_contents (scores, "model\tscore\nbuiltin:democnn\t0.5\nalexnet\t0.57\n",
                                        -1, NULL));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "train: reused"));
    g_assert_nonnull (strstr (out, "extract: reused"));
    g_assert_null (strstr (out, "pair: reused"));
    g_test_message ("%s", err);
    g_assert_nonnull (strstr (err, "model “alexnet” has a score but was not run"));
    g_assert_nonnull (strstr (err, "at least 3 are needed"));
    again = read_file (out_dir, "task-movie_model-democnn_layer-conv3_desc-fbn2filter_pairs.json");
    g_assert_nonnull (strstr (again, "--surrogates=40"));
  }
  {
    /* Another epoch count retrains. */
    const char *argv[] = { "run", dataset, "--model", "builtin:democnn", "--layer", "conv3",
                           "--fbns", "4", "--arch", "lt", "--epochs", "3", "--window", "20",
                           "--seed", "3", "--surrogates", "40", "--size", "64x48", NULL };

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "train: trained with --epochs 2"));
    g_assert_nonnull (strstr (out, "extract: reused"));
    g_assert_null (strstr (out, "pair: reused"));
  }
  {
    /* pair DATASET on the trained embedding; another folder has none. */
    g_autofree char *empty = g_build_filename (dataset, "elsewhere", NULL);
    g_autofree char *labels = g_build_filename (dataset, "dissect.csv", NULL);
    g_autoptr(GString) csv = g_string_new ("unit,label,score\n");
    g_autofree char *json = NULL, *cross = NULL, *atlas = NULL, *thumb = NULL;
    const char *argv[] = { "pair", dataset, "--model", "builtin:democnn", "--layer", "conv3",
                           "--surrogates", "30", "--seed", "3", "--size", "64x48",
                           "--labels", labels, NULL };
    const char *none[] = { "pair", dataset, "--model", "builtin:democnn", "--layer", "conv3",
                           "--out", empty, NULL };

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    /* Network Dissection numbers units from 1: unit u is filter u - 1. */
    for (int u = 1; u <= 64; u++)
      g_string_append_printf (csv, "%d,concept%d,0.%02d\n", u, u - 1, u);
    g_assert_true (g_file_set_contents (labels, csv->str, -1, NULL));
    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
    g_test_message ("%s%s", out, err);
    g_assert_nonnull (strstr (out, "train: using"));
    g_assert_nonnull (strstr (out, "extract: reused"));

    /* Both sides of cross-annotation: the atlas label of each FBN, the
     * user's label of each filter, in pairs.tsv and the JSON with frames. */
    g_free (pairs);
    pairs = read_file (out_dir, pairs_name);
    g_assert_true (g_str_has_prefix (pairs, "fbn\tfilter\tr\t"));
    g_assert_nonnull (strstr (pairs, "\tconcept"));
    /* The fixture's small grid sits around the basal ganglia: AAL names
     * regions there, the cortical atlases need not. */
    atlas = read_file (out_dir, "task-movie_desc-FBN_atlas.tsv");
    g_assert_nonnull (strstr (atlas, "fbn-001\tAAL\t1\t"));
    cross = read_file (out_dir, "task-movie_model-democnn_layer-conv3_desc-crossannotation.json");
    g_assert_nonnull (strstr (cross, "\"filter_label\" : \"concept"));
    g_assert_nonnull (strstr (cross, "\"fbn_label\" : \""));
    g_assert_nonnull (strstr (cross, "\"thumbnail\" : \"frames/task-movie/tr-"));
    json = g_strdup (strstr (cross, "frames/task-movie/tr-"));
    *strchr (json, '"') = '\0';
    thumb = g_build_filename (out_dir, json, NULL);
    g_assert_true (g_file_test (thumb, G_FILE_TEST_EXISTS));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (sa_test_run_syncact (none, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "no trained embedding"));
    g_assert_nonnull (strstr (err, "syncact train"));
  }
  {
    /* A layer the model lacks: extract's error, earlier outputs kept. */
    const char *argv[] = { "run", dataset, "--model", "builtin:democnn", "--layer", "conv9",
                           "--fbns", "4", "--arch", "lt", "--epochs", "3", "--window", "20",
                           "--seed", "3", "--surrogates", "40", "--size", "64x48", NULL };

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "conv9"));
    g_assert_nonnull (strstr (out, "train: reused"));
    g_free (read_file (out_dir, pairs_name));
  }
}

static void
test_bad_input (void)
{
  g_autofree char *dataset = make_dataset (30);
  g_autofree char *err = NULL, *out = NULL;
  g_autofree char *components = NULL;

  if (dataset == NULL)
    {
      g_test_skip ("no ffmpeg command");
      return;
    }
  {
    /* The movie ends at 30 s, the run lasts 80 s: one error naming both,
     * after the embedding, which stays. */
    const char *argv[] = { "run", dataset, "--model", "builtin:democnn", "--layer", "conv3",
                           "--fbns", "3", "--arch", "lt", "--epochs", "1", "--window", "20",
                           "--surrogates", "20", "--size", "64x48", NULL };

    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 1);
    g_test_message ("%s", err);
    g_assert_nonnull (strstr (err, "movie.mp4"));
    g_assert_nonnull (strstr (err, "covers 15 TRs"));
    g_assert_nonnull (strstr (err, "has 40"));
    components = g_build_filename (dataset, "derivatives", "syncact",
                                   "task-movie_desc-FBN_components.nii.gz", NULL);
    g_assert_true (g_file_test (components, G_FILE_TEST_EXISTS));
  }
  {
    const char *missing[] = { "run", dataset, "--layer", "conv3", NULL };

    g_clear_pointer (&err, g_free);
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (sa_test_run_syncact (missing, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "--model and --layer are required"));
  }
}

/* A movie that starts 3 TRs into the run: TR i shows the movie's TR i − 3,
 * the first 3 TRs are left out of pairing, and each pair's r is Pearson's
 * over the TRs that show the movie. A movie that then ends before the run
 * does is one error naming it. */
static void
test_onset (void)
{
  const int lead = 3;
  g_autofree char *dataset = make_dataset_onset ((N_TIMEPOINTS - lead) * TR + 1, lead * TR);
  g_autofree char *short_set = make_dataset_onset ((N_TIMEPOINTS - lead) * TR - 6, lead * TR);
  g_autofree char *out_dir = NULL, *out = NULL, *err = NULL, *pairs = NULL, *json = NULL;
  g_autofree char *mixing = NULL, *h5 = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree double *courses = NULL;
  g_autoptr(SaActivations) acts = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "run", NULL, "--model", "builtin:democnn", "--layer", "conv3",
                         "--arch", "ica", "--fbns", "3", "--seed", "1", "--surrogates", "50",
                         "--size", "64x48", NULL };
  int rows = 0, cols = 0;

  if (dataset == NULL)
    {
      g_test_skip ("no ffmpeg command");
      return;
    }
  argv[1] = dataset;
  g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
  g_test_message ("%s%s", out, err);
  g_assert_nonnull (strstr (out, "TRs 1–3 are left out of pairing"));
  out_dir = g_build_filename (dataset, "derivatives", "syncact", NULL);
  json = read_file (out_dir, "task-movie_model-democnn_layer-conv3_desc-fbn2filter_pairs.json");
  g_assert_nonnull (strstr (json, "--first-tr=3"));

  /* Recompute r of every fbn2filter pair from the files. */
  mixing = g_build_filename (out_dir, "task-movie_desc-FBN_mixing.tsv", NULL);
  h5 = g_build_filename (out_dir, "task-movie_model-democnn_layer-conv3_desc-activations_stim.h5", NULL);
  g_assert_true (sa_tsv_read_matrix (mixing, &names, &rows, &cols, &courses, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rows, ==, N_TIMEPOINTS);
  acts = sa_activations_load (h5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (acts->n_tr, ==, N_TIMEPOINTS - lead);
  pairs = read_file (out_dir, "task-movie_model-democnn_layer-conv3_desc-fbn2filter_pairs.tsv");
  lines = g_strsplit (pairs, "\n", -1);
  for (int q = 1; lines[q] != NULL && lines[q][0] != '\0'; q++)
    {
      g_auto(GStrv) f = g_strsplit (lines[q], "\t", -1);
      int j = atoi (f[0] + strlen ("fbn-")) - 1, k = atoi (f[1]), n = acts->n_tr;
      double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;

      for (int t = 0; t < n; t++)
        {
          mx += courses[(gsize) (t + lead) * cols + j] / n;
          my += acts->data[(gsize) t * acts->n_units + k] / n;
        }
      for (int t = 0; t < n; t++)
        {
          double x = courses[(gsize) (t + lead) * cols + j] - mx;
          double y = acts->data[(gsize) t * acts->n_units + k] - my;

          sxy += x * y;
          sxx += x * x;
          syy += y * y;
        }
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (f[2], NULL), sxy / sqrt (sxx * syy), 2e-5);
    }

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  argv[1] = short_set;
  g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 1);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, "movie.mp4"));
  g_assert_nonnull (strstr (err, "after the movie starts"));
}

/* Same data, same --seed: byte-identical components, time courses and
 * pairs — also when OpenBLAS has another number of threads (as under
 * taskset or on a machine with other cores), which used to round the
 * eigensolvers and a few products otherwise; FastICA stopped at its
 * iteration limit then gave other FBNs and other p_fwer. */
static void
test_reproducible (void)
{
  g_autofree char *dataset = make_dataset (N_TIMEPOINTS * TR + 4);
  const char *names[] = {
    "task-movie_desc-FBN_components.nii.gz",
    "task-movie_desc-FBN_mixing.tsv",
    "task-movie_model-democnn_layer-conv3_desc-fbn2filter_pairs.tsv",
    "task-movie_model-democnn_layer-conv3_desc-filter2fbn_pairs.tsv",
  };
  const char *threads[] = { NULL, "1" };
  g_autofree char *first[G_N_ELEMENTS (names)] = { NULL, };

  if (dataset == NULL)
    {
      g_test_skip ("no ffmpeg command");
      return;
    }
  for (int pass = 0; pass < 2; pass++)
    {
      g_autofree char *out_dir = g_strdup_printf ("%s/out-%d", dataset, pass);
      g_autofree char *out = NULL, *err = NULL;
      const char *argv[] = { "run", dataset, "--model", "builtin:democnn", "--layer", "conv3",
                             "--arch", "ica", "--fbns", "3", "--seed", "7",
                             "--surrogates", "200", "--size", "64x48", "--out", out_dir, NULL };

      if (threads[pass] != NULL)
        g_setenv ("OPENBLAS_NUM_THREADS", threads[pass], TRUE);
      g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
      g_unsetenv ("OPENBLAS_NUM_THREADS");
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (out_dir, names[i], NULL);
          g_autofree char *bytes = NULL;
          gsize len = 0;

          g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
          if (pass == 0)
            first[i] = g_base64_encode ((const guchar *) bytes, len);
          else
            {
              g_autofree char *again = g_base64_encode ((const guchar *) bytes, len);

              if (g_strcmp0 (first[i], again) != 0)
                g_error ("%s differs between two runs with --seed 7", names[i]);
            }
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/run/reuse", test_run);
  g_test_add_func ("/cli/run/bad-input", test_bad_input);
  g_test_add_func ("/cli/run/reproducible", test_reproducible);
  g_test_add_func ("/cli/run/onset", test_onset);
  return g_test_run ();
}
