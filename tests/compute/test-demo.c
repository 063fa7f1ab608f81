#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "compute/demo/demo-brain.h"
#include "compute/demo/demo-dataset.h"
#include "compute/demo/demo-movie.h"
#include "compute/error.h"
#include "compute/io/bids.h"
#include "compute/io/movie.h"
#include "compute/io/nifti.h"
#include "tests/testutil.h"

/* Small settings: the whole file runs in well under a minute on 2 cores. */
#define N_SUBJECTS 3
#define DURATION 100.0
#define TR 2.0
#define N_NETWORKS 4

static char *dataset;        /* generated once, shared by the tests */

static void
small_params (SaDemoParams *p, guint64 seed)
{
  sa_demo_params_init (p);
  p->n_subjects = N_SUBJECTS;
  p->duration = DURATION;
  p->tr = TR;
  p->n_networks = N_NETWORKS;
  p->seed = seed;
}

static char *
generate (guint64 seed)
{
  g_autofree char *tmp = sa_test_tmpdir ();
  char *root = g_build_filename (tmp, "demo", NULL);
  g_autoptr(GError) error = NULL;
  SaDemoParams p;

  small_params (&p, seed);
  g_assert_true (sa_demo_generate (root, &p, NULL, NULL, &error));
  g_assert_no_error (error);
  return root;
}

static JsonObject *
load_truth (const char *root, JsonParser *parser)
{
  g_autofree char *path = g_build_filename (root, "code", "truth", "truth.json", NULL);
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static double
pearson (const double *a, const double *b, int n)
{
  double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;

  for (int i = 0; i < n; i++)
    {
      ma += a[i];
      mb += b[i];
    }
  ma /= n;
  mb /= n;
  for (int i = 0; i < n; i++)
    {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
  return sab / sqrt (saa * sbb);
}

/* Frames decode to what was rendered, at the right rate and length. */
static void
test_movie (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "m.mp4", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SaMovie) movie = NULL;
  g_autoptr(SaDemoMovie) demo = NULL;
  SaDemoMovieParams p;
  const SaMovieInfo *info;
  int W = 160, H = 120;
  g_autofree guint8 *decoded = g_malloc (W * H * 3);
  g_autofree guint8 *rendered = g_malloc (W * H * 3);

  sa_demo_movie_params_init (&p);
  p.width = W;
  p.height = H;
  p.duration = 20;
  p.seed = 7;
  g_assert_true (sa_demo_movie_write (&p, path, NULL, NULL, &error));
  g_assert_no_error (error);
  movie = sa_movie_open (path, &error);
  g_assert_no_error (error);
  info = sa_movie_get_info (movie);
  g_assert_cmpint (info->width, ==, W);
  g_assert_cmpint (info->height, ==, H);
  g_assert_cmpfloat_with_epsilon (info->fps, 24.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (info->duration, 20.0, 0.05);

  demo = sa_demo_movie_new (&p);
  g_assert_cmpint (sa_demo_movie_n_frames (demo), ==, 480);
  /* Scenes of 2–6 s: at least 4 cuts in 20 s. */
  g_assert_cmpint (sa_demo_movie_n_scenes (demo), >=, 4);
  for (int i = 0; i < 5; i++)
    {
      gint64 frame = 13 + 97 * i;
      double t = (frame + 0.5) / 24.0, shown, mse = 0;

      g_assert_true (sa_movie_frame_at (movie, t, W, H, SA_RESIZE_BILINEAR_AA, decoded, &shown, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (fabs (shown - frame / 24.0), <, 1e-3);
      sa_demo_movie_render (demo, frame, rendered);
      for (int j = 0; j < W * H * 3; j++)
        mse += pow ((double) decoded[j] - rendered[j], 2);
      mse /= W * H * 3;
      /* H.264 at CRF 20 with 4:2:0 chroma: well above 25 dB PSNR. */
      g_test_message ("frame %" G_GINT64_FORMAT ": PSNR %.1f dB", frame, 10 * log10 (255.0 * 255.0 / mse));
      g_assert_cmpfloat (10 * log10 (255.0 * 255.0 / MAX (mse, 1e-9)), >, 25.0);
    }
}

static void
test_bids (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SaBidsDataset) ds = sa_bids_open (dataset, &error);

  g_assert_no_error (error);
  g_assert_cmpint (ds->subjects->len, ==, N_SUBJECTS);
  g_assert_cmpint (ds->runs->len, ==, 2 * N_SUBJECTS);
  g_assert_cmpint (ds->run_keys->len, ==, 2);
  g_assert_cmpstr (ds->run_keys->pdata[0], ==, "task-control_run-1");
  g_assert_cmpstr (ds->run_keys->pdata[1], ==, "task-movie_run-1");
  g_assert_cmpfloat_with_epsilon (ds->tr, TR, 1e-9);
  g_assert_cmpint (ds->movies->len, ==, 1);
  g_assert_true (g_str_has_suffix (ds->movies->pdata[0], "stimuli/movie.mp4"));
  for (guint i = 0; i < ds->runs->len; i++)
    {
      SaBidsRun *run = ds->runs->pdata[i];

      g_assert_nonnull (run->movie_path);
      g_assert_cmpint (run->dims[3], ==, (int) (DURATION / TR));
    }
  sa_bids_check_movies (ds, NULL);
  for (guint i = 0; i < ds->warnings->len; i++)
    g_test_message ("warning: %s", (char *) ds->warnings->pdata[i]);
  g_assert_cmpint (ds->warnings->len, ==, 0);
  g_assert_true (sa_demo_is_complete (dataset));
}

/* Each planted map peaks inside its AAL region, checked on the 1 mm atlas
 * itself (not the demo's resampled labels). */
static void
test_regions (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *truth = load_truth (dataset, parser);
  JsonArray *nets = json_object_get_array_member (truth, "networks");
  g_autofree char *maps_path = g_build_filename (dataset, "code", "truth", "planted_maps.nii.gz", NULL);
  g_autoptr(SaVolume) maps = NULL;
  g_autoptr(SaVolume) aal = NULL;
  g_autofree char *labels = NULL;
  g_autoptr(GError) error = NULL;
  gsize N;

  maps = sa_volume_load (maps_path, NULL, NULL, &error);
  g_assert_no_error (error);
  aal = sa_volume_load (SA_DEMO_TEMPLATES_DIR "/aal.nii.gz", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (SA_DEMO_TEMPLATES_DIR "/aal.nii.txt", &labels, NULL, NULL));
  g_assert_cmpint (maps->nt, ==, N_NETWORKS);
  g_assert_cmpint (json_array_get_length (nets), ==, N_NETWORKS);
  N = (gsize) maps->nx * maps->ny * maps->nz;
  for (int k = 0; k < N_NETWORKS; k++)
    {
      JsonObject *net = json_array_get_object_element (nets, k);
      const char *region = json_object_get_string_member (net, "region");
      gsize best = 0;
      int ijk[3], a[3], label;
      double mm[3];
      g_autofree char *needle = NULL;

      for (gsize f = 0; f < N; f++)
        if (maps->data[f + N * k] > maps->data[best + N * k])
          best = f;
      ijk[0] = best % maps->nx;
      ijk[1] = (best / maps->nx) % maps->ny;
      ijk[2] = best / ((gsize) maps->nx * maps->ny);
      for (int d = 0; d < 3; d++)
        {
          mm[d] = maps->affine[d][3] + maps->affine[d][d] * ijk[d];
          a[d] = (int) lrint ((mm[d] - aal->affine[d][3]) / aal->affine[d][d]);
          g_assert_cmpfloat (fabs (mm[d] - json_array_get_double_element (json_object_get_array_member (net, "centre_mm"), d)), <, 1e-6);
        }
      label = (int) aal->data[a[0] + (gsize) aal->nx * (a[1] + (gsize) aal->ny * a[2])];
      needle = g_strdup_printf ("\n%d %s ", label, region);
      g_test_message ("%s: peak at (%g, %g, %g) mm, AAL %d, filter %" G_GINT64_FORMAT,
                      region, mm[0], mm[1], mm[2], label, json_object_get_int_member (net, "filter"));
      g_assert_nonnull (strstr (labels, needle));
      g_assert_cmpint (label, ==, json_object_get_int_member (net, "aal_index"));
    }
}

/* The voxel at a planted centre follows its network; a far voxel does not;
 * the control task follows the control movie's time course instead. */
static void
test_signal (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *truth = load_truth (dataset, parser);
  JsonArray *nets = json_object_get_array_member (truth, "networks");
  int T = (int) json_object_get_int_member (truth, "n_tr");
  const char *tasks[] = { "movie", "control" };

  double own[2][N_NETWORKS] = { { 0 } }, other[2][N_NETWORKS] = { { 0 } };

  for (int task = 0; task < 2; task++)
    for (int s = 1; s <= N_SUBJECTS; s++)
      {
        g_autofree char *path = g_strdup_printf ("%s/sub-%02d/func/sub-%02d_task-%s_run-1_bold.nii.gz",
                                                 dataset, s, s, tasks[task]);
        g_autoptr(GError) error = NULL;
        g_autoptr(SaVolume) vol = sa_volume_load (path, NULL, NULL, &error);
        gsize N;

        g_assert_no_error (error);
        g_assert_cmpint (vol->nt, ==, T);
        g_assert_cmpfloat_with_epsilon (vol->tr, TR, 1e-6);
        N = (gsize) vol->nx * vol->ny * vol->nz;
        for (int k = 0; k < N_NETWORKS; k++)
          {
            JsonObject *net = json_array_get_object_element (nets, k);
            JsonArray *c = json_object_get_array_member (net, "centre_voxel");
            JsonArray *mine = json_object_get_array_member (net, "time_course");
            JsonArray *theirs = json_object_get_array_member (net, "time_course_control");
            g_autofree double *x = g_new (double, T);
            g_autofree double *a = g_new (double, T);
            g_autofree double *b = g_new (double, T);
            gsize f = (gsize) json_array_get_int_element (c, 0)
                      + vol->nx * ((gsize) json_array_get_int_element (c, 1)
                                   + vol->ny * (gsize) json_array_get_int_element (c, 2));

            for (int t = 0; t < T; t++)
              {
                x[t] = vol->data[f + N * t];
                a[t] = json_array_get_double_element (mine, t);
                b[t] = json_array_get_double_element (theirs, t);
              }
            g_assert_cmpfloat (x[0], >, 100.0);    /* a positive baseline, as BOLD has */
            own[task][k] += pearson (x, task == 0 ? a : b, T) / N_SUBJECTS;
            other[task][k] += pearson (x, task == 0 ? b : a, T) / N_SUBJECTS;
          }
      }
  /* Per subject r varies with jitter and amplitude (0.14–0.65 measured at
   * 60 TRs); the subject mean is steady. */
  for (int task = 0; task < 2; task++)
    for (int k = 0; k < N_NETWORKS; k++)
      {
        g_test_message ("%s net %d: mean r %.2f (other movie's time course %.2f)",
                        tasks[task], k, own[task][k], other[task][k]);
        g_assert_cmpfloat (own[task][k], >, 0.3);
        g_assert_cmpfloat (fabs (other[task][k]), <, own[task][k] - 0.15);
      }
}

/* nibabel reads every file with the geometry SyncAct wrote, and the
 * signal checks hold when computed in numpy. */
static void
test_nibabel (void)
{
  const char *argv[] = { dataset, NULL };
  g_autofree char *out = sa_test_python ("tests/py/demo_oracle.py", argv);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) tparser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o, *truth;
  JsonArray *files, *nets, *peaks;

  if (out == NULL)
    return;
  truth = load_truth (dataset, tparser);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  files = json_object_get_array_member (o, "files");
  g_assert_cmpint (json_array_get_length (files), ==, 2 * N_SUBJECTS);
  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      JsonObject *f = json_array_get_object_element (files, i);
      JsonArray *zooms = json_object_get_array_member (f, "zooms");
      JsonArray *affine = json_object_get_array_member (f, "affine");
      JsonArray *taffine = json_object_get_array_member (truth, "affine");

      g_assert_true (json_object_get_boolean_member (f, "finite"));
      g_assert_cmpfloat (json_object_get_double_member (f, "min_brain_mean"), >, 100.0);
      g_assert_cmpfloat (json_object_get_double_member (f, "max_outside"), ==, 0.0);
      g_assert_cmpfloat_with_epsilon (json_array_get_double_element (zooms, 0), 4.0, 1e-6);
      g_assert_cmpfloat_with_epsilon (json_array_get_double_element (zooms, 3), TR, 1e-6);
      for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++)
          g_assert_cmpfloat_with_epsilon (
            json_array_get_double_element (json_array_get_array_element (affine, r), c),
            json_array_get_double_element (taffine, 4 * r + c), 1e-5);
    }
  nets = json_object_get_array_member (o, "networks");
  peaks = json_object_get_array_member (o, "map_peaks");
  for (int k = 0; k < N_NETWORKS; k++)
    {
      JsonObject *n = json_array_get_object_element (nets, k);
      JsonArray *peak = json_array_get_array_element (peaks, k);
      JsonArray *c = json_object_get_array_member (
        json_array_get_object_element (json_object_get_array_member (truth, "networks"), k), "centre_voxel");
      double centre = json_object_get_double_member (n, "r_centre_movie");
      double far = json_object_get_double_member (n, "r_far_movie");
      double control = json_object_get_double_member (n, "r_centre_control");

      g_test_message ("net %d: centre r %.2f, far r %.2f, control r %.2f", k, centre, far, control);
      g_assert_cmpfloat (centre, >, 0.3);
      g_assert_cmpfloat (fabs (far), <, 0.25);
      g_assert_cmpfloat (fabs (control), <, centre - 0.15);
      for (int d = 0; d < 3; d++)
        g_assert_cmpint (json_array_get_int_element (peak, d), ==, json_array_get_int_element (c, d));
    }
}

static void
test_refuses (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = sa_test_tmpdir ();
  g_autofree char *sibling = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  SaDemoParams p;

  small_params (&p, 1);
  g_assert_false (sa_demo_generate (dataset, &p, NULL, NULL, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
  g_assert_nonnull (strstr (error->message, dataset));
  g_assert_nonnull (strstr (error->message, "not empty"));
  g_clear_error (&error);

  /* Bad parameters fail before anything is written. */
  p.tr = 0;
  sibling = g_build_filename (tmp, "bad", NULL);
  g_assert_false (sa_demo_generate (sibling, &p, NULL, NULL, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
  g_clear_error (&error);
  small_params (&p, 1);
  p.n_networks = 60;
  g_assert_false (sa_demo_generate (sibling, &p, NULL, NULL, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
  dir = g_dir_open (tmp, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_error ("left behind: %s", name);
}

/* A cancelled run leaves no folder and no temporary. */
static void
test_cancel (void)
{
  g_autofree char *tmp = sa_test_tmpdir ();
  g_autofree char *root = g_build_filename (tmp, "demo", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  SaDemoParams p;

  small_params (&p, 1);
  g_cancellable_cancel (cancellable);
  g_assert_false (sa_demo_generate (root, &p, NULL, cancellable, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_CANCELLED);
  dir = g_dir_open (tmp, 0, NULL);
  g_assert_null (g_dir_read_name (dir));
}

/* A complete demo in the cache is reused as it is, without generating. */
static void
test_ensure_reuses (void)
{
  g_autofree char *cache = sa_test_tmpdir ();
  g_autofree char *root = g_build_filename (cache, "syncact", "demo", NULL);
  g_autofree char *code = g_build_filename (root, "code", NULL);
  g_autofree char *marker = g_build_filename (root, SA_DEMO_MARKER, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;

  g_assert_false (sa_demo_is_complete (root));
  g_assert_cmpint (g_mkdir_with_parents (code, 0755), ==, 0);
  g_assert_true (g_file_set_contents (marker, "{}", -1, NULL));
  g_assert_true (sa_demo_is_complete (root));
  got = sa_demo_ensure (cache, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, root);
  g_assert_true (sa_demo_is_complete (dataset));
}

static void
test_brain (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SaDemoBrain) brain = sa_demo_brain_new (NULL, 4.0, &error);
  int ijk[3], label;

  g_assert_no_error (error);
  /* ~1.6 l of brain in ch2better: ~25k voxels of 64 mm³. */
  g_test_message ("grid %d×%d×%d, %" G_GINT64_FORMAT " brain voxels", brain->nx, brain->ny,
                  brain->nz, brain->n_brain);
  g_assert_cmpint (brain->n_brain, >, 20000);
  g_assert_cmpint (brain->n_brain, <, 32000);
  /* The MNI origin is a voxel centre. */
  for (int d = 0; d < 3; d++)
    g_assert_cmpfloat (fabs (remainder (brain->affine[d][3], 4.0)), <, 1e-9);
  label = sa_demo_brain_label_index (brain, "Calcarine_L");
  g_assert_cmpint (label, ==, 43);
  g_assert_cmpint (sa_demo_brain_region_core (brain, label, ijk), >, 20);
  /* Left calcarine: x < 0 and y behind the origin. */
  g_assert_cmpfloat (brain->affine[0][3] + 4.0 * ijk[0], <, 0);
  g_assert_cmpfloat (brain->affine[1][3] + 4.0 * ijk[1], <, -60);
  g_assert_cmpint (sa_demo_brain_label_index (brain, "No_Such_Region"), ==, 0);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/demo/movie", test_movie);
  g_test_add_func ("/compute/demo/brain", test_brain);
  g_test_add_func ("/compute/demo/refuses-and-bad-params", test_refuses);
  g_test_add_func ("/compute/demo/cancel", test_cancel);
  g_test_add_func ("/compute/demo/ensure-reuses", test_ensure_reuses);
  g_test_add_func ("/compute/demo/bids", test_bids);
  g_test_add_func ("/compute/demo/regions", test_regions);
  g_test_add_func ("/compute/demo/signal", test_signal);
  g_test_add_func ("/compute/demo/nibabel", test_nibabel);
  dataset = generate (1);
  status = g_test_run ();
  g_free (dataset);
  return status;
}
