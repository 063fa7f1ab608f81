#include "config.h"

#include <hdf5.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "compute/io/tsv.h"
#include "tests/testutil.h"

#define T 200
#define M 5
#define K 30

/* FBN 2 (fbn-003) drives filter 17; every other series is smooth noise. */
static void
make_series (double fbn[M][T],
             double act[K][T],
             guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (int i = 0; i < M; i++)
    for (int t = 0; t < T; t++)
      fbn[i][t] = (t > 0 ? 0.6 * fbn[i][t - 1] : 0.0) + g_rand_double_range (rand, -1, 1);
  for (int k = 0; k < K; k++)
    for (int t = 0; t < T; t++)
      act[k][t] = (t > 0 ? 0.6 * act[k][t - 1] : 0.0) + g_rand_double_range (rand, -1, 1) + 3.0;
  for (int t = 0; t < T; t++)
    act[17][t] = 2.0 * fbn[2][t] + 0.3 * g_rand_double_range (rand, -1, 1);
}

static void
write_tsv (const char *path,
           const char *prefix,
           int         n,
           const double *rows)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (int i = 0; i < n; i++)
    g_string_append_printf (s, i ? "\t%s%0*d" : "%s%0*d", prefix, *prefix ? 3 : 1, i + (*prefix ? 1 : 0));
  g_string_append_c (s, '\n');
  for (int t = 0; t < T; t++)
    for (int i = 0; i < n; i++)
      g_string_append_printf (s, "%.10g%c", rows[i * T + t], i == n - 1 ? '\n' : '\t');
  g_assert_true (g_file_set_contents (path, s->str, -1, NULL));
}

static void
write_h5 (const char   *path,
          const double *rows)
{
  g_autofree float *data = g_new (float, T * K);
  hsize_t dims[2] = { T, K };
  hid_t file, space, dset, atype, aspace, attr;

  for (int t = 0; t < T; t++)
    for (int k = 0; k < K; k++)
      data[t * K + k] = (float) rows[k * T + t];
  file = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  space = H5Screate_simple (2, dims, NULL);
  dset = H5Dcreate2 (file, "/activations", H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite (dset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  atype = H5Tcopy (H5T_C_S1);
  H5Tset_size (atype, H5T_VARIABLE);
  aspace = H5Screate (H5S_SCALAR);
  {
    const char *model = "resnet18", *layer = "layer4";
    attr = H5Acreate2 (dset, "model", atype, aspace, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite (attr, atype, &model);
    H5Aclose (attr);
    attr = H5Acreate2 (dset, "layer", atype, aspace, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite (attr, atype, &layer);
    H5Aclose (attr);
  }
  H5Sclose (aspace);
  H5Tclose (atype);
  H5Dclose (dset);
  H5Sclose (space);
  H5Fclose (file);
}

typedef struct {
  char *dir;
  char *fbn;
  char *acts;
  char *h5;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  static double fbn[M][T], act[K][T];

  make_series (fbn, act, 3);
  f->dir = sa_test_tmpdir ();
  f->fbn = g_build_filename (f->dir, "sub-01_task-movie_run-1_desc-FBN_mixing.tsv", NULL);
  f->acts = g_build_filename (f->dir, "acts.tsv", NULL);
  f->h5 = g_build_filename (f->dir, "acts.h5", NULL);
  write_tsv (f->fbn, "fbn-", M, &fbn[0][0]);
  write_tsv (f->acts, "", K, &act[0][0]);
  write_h5 (f->h5, &act[0][0]);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_free (f->dir);
  g_free (f->fbn);
  g_free (f->acts);
  g_free (f->h5);
}

static SaTsv *
read_out (const char *dir,
          const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  SaTsv *tsv = sa_tsv_read (path, &error);

  g_assert_no_error (error);
  return tsv;
}

static void
test_end_to_end_tsv (Fixture *f, gconstpointer data)
{
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  g_autofree char *labels = g_build_filename (f->dir, "tally.csv", NULL);
  const char *argv[] = { "pair", "--timeseries", f->fbn, "--activations", f->acts,
                         "--out", out, "--surrogates", "300", "--seed", "4",
                         "--labels", labels, "--model", "alexnet", "--layer", "conv5", NULL };
  g_autofree char *stdout_text = NULL, *err = NULL;
  g_autoptr(SaTsv) pairs = NULL, rev = NULL, summary = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = g_build_filename (out, "sub-01_task-movie_run-1_desc-fbn2filter_pairs.json", NULL);
  g_autoptr(GError) error = NULL;
  JsonObject *params;

  /* Network Dissection numbers units from 1. */
  g_assert_true (g_file_set_contents (labels, "unit,category,label,score\n18,object,dog,0.12\n", -1, NULL));
  g_assert_cmpint (sa_test_run_syncact (argv, &stdout_text, &err), ==, 0);
  g_assert_nonnull (strstr (stdout_text, "fbn2filter: 5 pairs"));

  pairs = read_out (out, "sub-01_task-movie_run-1_desc-fbn2filter_pairs.tsv");
  g_assert_cmpint (pairs->rows->len, ==, M);
  g_assert_cmpint (sa_tsv_column (pairs, "p_fwer"), ==, 4);
  g_assert_cmpstr (sa_tsv_get (pairs, 2, 0), ==, "fbn-003");
  g_assert_cmpstr (sa_tsv_get (pairs, 2, 1), ==, "17");
  g_assert_cmpstr (sa_tsv_get (pairs, 2, sa_tsv_column (pairs, "significant")), ==, "true");
  g_assert_cmpstr (sa_tsv_get (pairs, 2, sa_tsv_column (pairs, "filter_label")), ==, "dog");
  g_assert_cmpfloat (g_ascii_strtod (sa_tsv_get (pairs, 2, 2), NULL), >, 0.9);
  /* The smallest p the null can give with 300 surrogates. */
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (sa_tsv_get (pairs, 2, 4), NULL), 1.0 / 301, 1e-6);

  rev = read_out (out, "sub-01_task-movie_run-1_desc-filter2fbn_pairs.tsv");
  g_assert_cmpint (rev->rows->len, ==, K);
  g_assert_cmpstr (sa_tsv_get (rev, 17, 0), ==, "fbn-003");

  summary = read_out (out, "summary.tsv");
  g_assert_cmpint (summary->rows->len, ==, 2);
  g_assert_cmpstr (sa_tsv_get (summary, 0, 0), ==, "alexnet");
  g_assert_cmpstr (sa_tsv_get (summary, 0, 2), ==, "task-movie_run-1");
  g_assert_cmpstr (sa_tsv_get (summary, 1, 3), ==, "filter2fbn");

  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  params = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "Parameters");
  g_assert_cmpint (json_object_get_int_member (params, "Seed"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (params, "Surrogates"), ==, 300);

  /* Same seed, same numbers. */
  {
    g_autofree char *out2 = g_build_filename (f->dir, "out2", NULL);
    g_autofree char *a = NULL, *b = NULL, *so = NULL;
    g_autofree char *pa = g_build_filename (out, "sub-01_task-movie_run-1_desc-fbn2filter_pairs.tsv", NULL);
    g_autofree char *pb = g_build_filename (out2, "sub-01_task-movie_run-1_desc-fbn2filter_pairs.tsv", NULL);
    argv[6] = out2;
    g_assert_cmpint (sa_test_run_syncact (argv, &so, NULL), ==, 0);
    g_assert_true (g_file_get_contents (pa, &a, NULL, NULL));
    g_assert_true (g_file_get_contents (pb, &b, NULL, NULL));
    g_assert_cmpstr (a, ==, b);
  }
}

static void
test_hdf5_and_summary_merge (Fixture *f, gconstpointer data)
{
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  const char *a1[] = { "pair", "--timeseries", f->fbn, "--activations", f->h5, "--out", out,
                       "--null", "phase", "--surrogates", "100", "--direction", "fbn2filter", NULL };
  const char *a2[] = { "pair", "--timeseries", f->fbn, "--activations", f->acts, "--out", out,
                       "--null", "none", "--model", "vgg16", NULL };
  g_autofree char *err = NULL, *so = NULL, *so2 = NULL, *so3 = NULL;
  g_autoptr(SaTsv) summary = NULL;
  g_autoptr(SaTsv) pairs = NULL;

  g_assert_cmpint (sa_test_run_syncact (a1, &so, &err), ==, 0);
  g_assert_cmpint (sa_test_run_syncact (a2, &so2, NULL), ==, 0);
  g_assert_cmpint (sa_test_run_syncact (a1, &so3, NULL), ==, 0);
  summary = read_out (out, "summary.tsv");
  /* resnet18 fbn2filter (replaced on re-run) + vgg16 both directions. */
  g_assert_cmpint (summary->rows->len, ==, 3);
  for (guint i = 0; i < summary->rows->len; i++)
    if (g_str_equal (sa_tsv_get (summary, i, 0), "resnet18"))
      {
        g_assert_cmpstr (sa_tsv_get (summary, i, 1), ==, "layer4");
        g_assert_cmpstr (sa_tsv_get (summary, i, sa_tsv_column (summary, "null")), ==, "phase");
      }
    else
      {
        g_assert_cmpstr (sa_tsv_get (summary, i, 0), ==, "vgg16");
        g_assert_cmpstr (sa_tsv_get (summary, i, sa_tsv_column (summary, "non_significant_fwer")), ==, "n/a");
      }
  pairs = read_out (out, "sub-01_task-movie_run-1_desc-filter2fbn_pairs.tsv");
  g_assert_cmpstr (sa_tsv_get (pairs, 0, sa_tsv_column (pairs, "p_fwer")), ==, "n/a");
}

static void
test_noise_ceiling_column (Fixture *f, gconstpointer data)
{
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  g_autofree char *s1 = g_build_filename (f->dir, "s1.tsv", NULL);
  g_autofree char *s2 = g_build_filename (f->dir, "s2.tsv", NULL);
  g_autofree char *s3 = g_build_filename (f->dir, "s3.tsv", NULL);
  static double a[M][T], b[M][T], act[K][T];
  const char *argv[] = { "pair", "--timeseries", f->fbn, "--activations", f->acts, "--out", out,
                         "--null", "none", "--subject-timeseries", s1, "--subject-timeseries", s2,
                         "--subject-timeseries", s3, NULL };
  g_autoptr(SaTsv) pairs = NULL;
  g_autofree char *so = NULL;
  int col;

  make_series (a, act, 11);
  make_series (b, act, 12);
  write_tsv (s1, "fbn-", M, &a[0][0]);
  write_tsv (s2, "fbn-", M, &b[0][0]);
  write_tsv (s3, "fbn-", M, &a[0][0]);
  g_assert_cmpint (sa_test_run_syncact (argv, &so, NULL), ==, 0);
  pairs = read_out (out, "sub-01_task-movie_run-1_desc-fbn2filter_pairs.tsv");
  col = sa_tsv_column (pairs, "noise_ceiling");
  for (guint i = 0; i < pairs->rows->len; i++)
    {
      double c = g_ascii_strtod (sa_tsv_get (pairs, i, col), NULL);
      g_assert_true (isfinite (c));
      g_assert_cmpfloat (c, <=, 1.0);
    }
}

static void
test_model_comparison (Fixture *f, gconstpointer data)
{
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  g_autofree char *scores = g_build_filename (f->dir, "scores.tsv", NULL);
  const char *names[] = { "alexnet", "vgg16", "resnet50" };
  g_autofree char *err = NULL, *so = NULL;
  g_autoptr(SaTsv) cmp = NULL;
  static double fbn[M][T], act[K][T];

  g_assert_true (g_file_set_contents (scores,
    "model\tscore\nalexnet\t0.565\nvgg16\t0.716\nresnet50\t0.761\ninception\t0.77\n", -1, NULL));
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *acts = g_strdup_printf ("%s/acts-%s.tsv", f->dir, names[i]);
      const char *argv[] = { "pair", "--timeseries", f->fbn, "--activations", acts, "--out", out,
                             "--null", "none", "--model", names[i], "--scores", scores, NULL };
      g_autofree char *e = NULL, *o = NULL;

      /* The models' filters differ; the FBNs stay those of the fixture. */
      make_series (fbn, act, 3);
      {
        g_autoptr(GRand) rand = g_rand_new_with_seed (100 + i);
        for (int k = 0; k < K; k++)
          if (k != 17)
            for (int t = 0; t < T; t++)
              act[k][t] += (i + 1) * 0.5 * fbn[k % M][t] * g_rand_double (rand);
      }
      write_tsv (acts, "", K, &act[0][0]);
      g_assert_cmpint (sa_test_run_syncact (argv, &o, &e), ==, 0);
      if (i < 2)
        g_assert_nonnull (strstr (e, "at least 3 are needed"));
      else
        {
          err = g_steal_pointer (&e);
          so = g_steal_pointer (&o);
        }
    }
  g_assert_nonnull (strstr (err, "“inception” has a score but was not run"));
  g_assert_nonnull (strstr (so, "over 3 models"));
  cmp = read_out (out, "model-comparison.tsv");
  {
    g_autofree char *json = g_build_filename (out, "model-comparison.json", NULL);
    g_assert_true (g_file_test (json, G_FILE_TEST_EXISTS));
  }
  g_assert_cmpint (cmp->rows->len, ==, 2);
  g_assert_cmpstr (sa_tsv_get (cmp, 0, 1), ==, "3");
  g_assert_true (isfinite (g_ascii_strtod (sa_tsv_get (cmp, 0, sa_tsv_column (cmp, "slope")), NULL)));
}

static void
test_bad_inputs (Fixture *f, gconstpointer data)
{
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  g_autofree char *short_acts = g_build_filename (f->dir, "short.tsv", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "nope.h5", NULL);
  g_autofree char *npy = g_build_filename (f->dir, "acts.npy", NULL);
  g_autofree char *err = NULL;

  g_assert_true (g_file_set_contents (short_acts, "0\t1\n1\t2\n2\t1\n3\t3\n", -1, NULL));
  {
    const char *argv[] = { "pair", "--timeseries", f->fbn, "--activations", short_acts, "--out", out, NULL };
    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "has 200 time points but"));
    g_assert_nonnull (strstr (err, "short.tsv has 3"));
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { "pair", "--timeseries", f->fbn, "--activations", missing, "--out", out, NULL };
    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "nope.h5: no such file"));
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { "pair", "--timeseries", f->fbn, "--activations", npy, "--out", out, NULL };
    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "acts.npy: activations must be"));
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { "pair", "--timeseries", f->fbn, "--activations", f->acts, "--out", out,
                           "--null", "bootstrap", NULL };
    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 2);
    g_assert_nonnull (strstr (err, "--null must be"));
  }
  /* Nothing half-written was left behind. */
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli/pair/end-to-end-tsv", Fixture, NULL, fixture_setup, test_end_to_end_tsv, fixture_teardown);
  g_test_add ("/cli/pair/hdf5-and-summary-merge", Fixture, NULL, fixture_setup, test_hdf5_and_summary_merge, fixture_teardown);
  g_test_add ("/cli/pair/noise-ceiling", Fixture, NULL, fixture_setup, test_noise_ceiling_column, fixture_teardown);
  g_test_add ("/cli/pair/model-comparison", Fixture, NULL, fixture_setup, test_model_comparison, fixture_teardown);
  g_test_add ("/cli/pair/bad-inputs", Fixture, NULL, fixture_setup, test_bad_inputs, fixture_teardown);
  return g_test_run ();
}
