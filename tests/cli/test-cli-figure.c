/* syncact figure, end to end on generated results: maps, time courses and
 * activations written as files, the figure checked as a file. */
#include "config.h"

#include <glib/gstdio.h>
#include <hdf5.h>
#include <math.h>

#include "compute/io/nifti.h"
#include "compute/io/tsv.h"
#include "tests/testutil.h"

#define T 60
#define M 3
#define K 6

typedef struct {
  char *dir, *maps, *fbn, *acts, *tmpl;
} Files;

static void
write_h5 (const char *path, const float *data, int rows, int cols, const char *tr)
{
  hsize_t dims[2] = { rows, cols };
  hid_t file = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t space = H5Screate_simple (2, dims, NULL);
  hid_t dset = H5Dcreate2 (file, "/activations", H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);

  H5Dwrite (dset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  if (tr)
    {
      hid_t atype = H5Tcopy (H5T_C_S1), aspace = H5Screate (H5S_SCALAR), attr;

      H5Tset_size (atype, H5T_VARIABLE);
      attr = H5Acreate2 (dset, "tr", atype, aspace, H5P_DEFAULT, H5P_DEFAULT);
      H5Awrite (attr, atype, &tr);
      H5Aclose (attr);
      H5Sclose (aspace);
      H5Tclose (atype);
    }
  H5Dclose (dset);
  H5Sclose (space);
  H5Fclose (file);
}

/* FBN i's map is a blob; its time course is filter (i + 2)'s, so the pairs
 * are known: fbn-001 ↔ filter 2, fbn-002 ↔ filter 3, fbn-003 ↔ filter 4. */
static Files
make_files (void)
{
  Files f = { sa_test_tmpdir () };
  double aff[4][4] = { { 4, 0, 0, -90 }, { 0, 4, 0, -126 }, { 0, 0, 4, -72 }, { 0, 0, 0, 1 } };
  double taff[4][4] = { { 2, 0, 0, -90 }, { 0, 2, 0, -126 }, { 0, 0, 2, -72 }, { 0, 0, 0, 1 } };
  g_autoptr(SaVolume) maps = sa_volume_new (45, 54, 45, M, aff);
  g_autoptr(SaVolume) tmpl = sa_volume_new (91, 109, 91, 1, taff);
  float fbn[T * M], acts[T * K];
  const char *names[] = { "fbn-001", "fbn-002", "fbn-003", NULL };
  const double centres[M][3] = { { 30, -20, 20 }, { -30, 10, 0 }, { 0, -80, 10 } };
  g_autoptr(GError) error = NULL;

  for (int t = 0; t < M; t++)
    for (int z = 0; z < 45; z++)
      for (int y = 0; y < 54; y++)
        for (int x = 0; x < 45; x++)
          {
            double w[3] = { 4.0 * x - 90, 4.0 * y - 126, 4.0 * z - 72 }, d = 0;
            for (int a = 0; a < 3; a++)
              d += (w[a] - centres[t][a]) * (w[a] - centres[t][a]);
            maps->data[(((gsize) t * 45 + z) * 54 + y) * 45 + x] = (float) exp (-d / (2 * 64.0));
          }
  for (gsize i = 0; i < (gsize) 91 * 109 * 91; i++)
    tmpl->data[i] = 50;
  for (int t = 0; t < T; t++)
    {
      for (int k = 0; k < K; k++)
        acts[t * K + k] = (float) sin (0.3 * t * (k + 1) + k);
      for (int i = 0; i < M; i++)
        fbn[t * M + i] = acts[t * K + i + 2] + 0.1f * (float) cos (1.7 * t + i);
    }
  f.maps = g_build_filename (f.dir, "maps.nii", NULL);
  f.fbn = g_build_filename (f.dir, "fbn.tsv", NULL);
  f.acts = g_build_filename (f.dir, "acts.h5", NULL);
  f.tmpl = g_build_filename (f.dir, "tmpl.nii", NULL);
  g_assert_true (sa_volume_save (maps, f.maps, TRUE, &error));
  g_assert_true (sa_volume_save (tmpl, f.tmpl, TRUE, &error));
  g_assert_true (sa_tsv_write_matrix (f.fbn, names, fbn, T, M, &error));
  g_assert_no_error (error);
  write_h5 (f.acts, acts, T, K, "1.5");
  return f;
}

static void
files_clear (Files *f)
{
  g_free (f->dir);
  g_free (f->maps);
  g_free (f->fbn);
  g_free (f->acts);
  g_free (f->tmpl);
}

static char *
check (const char *kind, const char *path)
{
  const char *argv[] = { kind, path, NULL };
  char *out = sa_test_python ("tests/py/check_figure.py", argv);

  g_assert_nonnull (out);
  return out;
}

static void
test_formats (void)
{
  Files f = make_files ();
  g_autofree char *png = g_build_filename (f.dir, "pair.png", NULL);
  g_autofree char *svg = g_build_filename (f.dir, "traces.svg", NULL);
  g_autofree char *pdf = g_build_filename (f.dir, "heat.pdf", NULL);
  g_autofree char *out = NULL, *err = NULL, *facts = NULL;

  /* The default template (ch2better) under the pair figure, at 150 dpi. */
  {
    const char *argv[] = { "figure", "--maps", f.maps, "--timeseries", f.fbn, "--activations", f.acts,
                           "--fbn", "2", "--dpi", "150", "--out", png, NULL };
    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
    facts = check ("png", png);
    /* 183 × 100 mm at 150 dpi. */
    g_assert_nonnull (strstr (facts, "size=1081x591 dpi=150"));
    g_clear_pointer (&facts, g_free);
  }
  {
    const char *argv[] = { "figure", "--maps", f.maps, "--timeseries", f.fbn, "--activations", f.acts,
                           "--template", f.tmpl, "--fbn", "1", "--kind", "traces",
                           "--width-mm", "89", "--height-mm", "50", "--out", svg, NULL };
    g_assert_cmpint (sa_test_run_syncact (argv, NULL, NULL), ==, 0);
    facts = check ("svg", svg);
    g_assert_nonnull (strstr (facts, "width=252.28"));
    g_clear_pointer (&facts, g_free);
  }
  {
    const char *argv[] = { "figure", "--maps", f.maps, "--timeseries", f.fbn, "--activations", f.acts,
                           "--template", f.tmpl, "--fbn", "3", "--kind", "heatmap", "--out", pdf, NULL };
    g_assert_cmpint (sa_test_run_syncact (argv, NULL, NULL), ==, 0);
    facts = check ("pdf", pdf);
    g_assert_nonnull (strstr (facts, "pages=1"));
  }
  /* The traces figure names the planted pair: fbn-001 with filter 2. */
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
    /* cairo turns text into glyphs, so check the file is more than axes. */
    g_assert_cmpuint (strlen (contents), >, 10000);
  }
  files_clear (&f);
}

static void
test_errors (void)
{
  Files f = make_files ();
  g_autofree char *png = g_build_filename (f.dir, "x.png", NULL);
  g_autofree char *jpg = g_build_filename (f.dir, "x.jpg", NULL);
  g_autofree char *missing = g_build_filename (f.dir, "nope.nii", NULL);

  {
    const char *argv[] = { "figure", "--maps", f.maps, "--timeseries", f.fbn, "--activations", f.acts,
                           "--fbn", "9", "--out", png, NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), !=, 0);
    g_assert_nonnull (strstr (err, "--fbn 9"));
    g_assert_nonnull (strstr (err, f.fbn));
  }
  {
    const char *argv[] = { "figure", "--maps", missing, "--timeseries", f.fbn, "--activations", f.acts,
                           "--fbn", "1", "--out", png, NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), !=, 0);
    g_assert_nonnull (strstr (err, missing));
  }
  {
    /* The time courses' file as maps: 1 volume is not 3 FBNs. */
    const char *argv[] = { "figure", "--maps", f.tmpl, "--timeseries", f.fbn, "--activations", f.acts,
                           "--fbn", "1", "--out", png, NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), !=, 0);
    g_assert_nonnull (strstr (err, "has 1 volumes"));
  }
  {
    const char *argv[] = { "figure", "--maps", f.maps, "--timeseries", f.fbn, "--activations", f.acts,
                           "--fbn", "1", "--out", jpg, NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), !=, 0);
    g_assert_nonnull (strstr (err, "format"));
  }
  /* Nothing half-written is left behind. */
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  files_clear (&f);
}

static void
test_movie_frames (void)
{
  Files f = make_files ();
  g_autofree char *movie = g_build_filename (f.dir, "movie.mp4", NULL);
  g_autofree char *png = g_build_filename (f.dir, "pair.png", NULL);
  g_autofree char *cmd = NULL, *facts = NULL;
  g_autofree char *ffmpeg = g_find_program_in_path ("ffmpeg");
  int status;

  if (ffmpeg == NULL)
    {
      g_test_skip ("ffmpeg not installed");
      files_clear (&f);
      return;
    }
  /* 60 TRs × 1.5 s = 90 s at 4 fps: small and quick to encode. */
  cmd = g_strdup_printf ("ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=s=160x90:r=4:d=90 "
                         "-c:v libx264 -g 8 -pix_fmt yuv420p '%s'", movie);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  {
    const char *argv[] = { "figure", "--maps", f.maps, "--timeseries", f.fbn, "--activations", f.acts,
                           "--fbn", "1", "--movie", movie, "--dpi", "100",
                           "--out", png, NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 0);
  }
  /* With frames the pair figure is 130 mm tall. */
  facts = check ("png", png);
  g_assert_nonnull (strstr (facts, "size=720x512 dpi=100"));
  if (g_getenv ("SA_TEST_KEEP_FIGURE"))
    {
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (png, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (g_getenv ("SA_TEST_KEEP_FIGURE"), contents, len, NULL));
    }
  files_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/figure/formats", test_formats);
  g_test_add_func ("/cli/figure/errors", test_errors);
  g_test_add_func ("/cli/figure/movie-frames", test_movie_frames);
  return g_test_run ();
}
