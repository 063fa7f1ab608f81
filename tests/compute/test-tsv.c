#include "config.h"

#include <math.h>

#include "compute/io/tsv.h"
#include "compute/error.h"
#include "tests/testutil.h"

static void
test_matrix_round_trip (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "m.tsv", NULL);
  const char *names[] = { "fbn-001", "fbn-002", NULL };
  const float values[6] = { 1.5f, -2.25f, NAN, 3e-8f, 1e6f, 0.0f };
  g_auto(GStrv) cols = NULL;
  g_autofree double *read = NULL;
  g_autoptr(GError) error = NULL;
  int nr = 0, nc = 0;

  g_assert_true (sa_tsv_write_matrix (path, names, values, 3, 2, &error));
  g_assert_no_error (error);
  g_assert_true (sa_tsv_read_matrix (path, &cols, &nr, &nc, &read, &error));
  g_assert_no_error (error);
  g_assert_cmpint (nr, ==, 3);
  g_assert_cmpint (nc, ==, 2);
  g_assert_cmpstr (cols[1], ==, "fbn-002");
  for (int i = 0; i < 6; i++)
    {
      if (isnan (values[i]))
        g_assert_true (isnan (read[i]));
      else
        g_assert_cmpfloat_with_epsilon (read[i], values[i], fabs (values[i]) * 1e-6 + 1e-12);
    }
}

static void
test_bad_tables (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *ragged = g_build_filename (dir, "ragged.tsv", NULL);
  g_autofree char *text = g_build_filename (dir, "text.tsv", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.tsv", NULL);
  g_autoptr(GError) error = NULL;
  double *values = NULL;

  g_assert_true (g_file_set_contents (ragged, "a\tb\n1\t2\n3\n", -1, NULL));
  g_assert_false (sa_tsv_read_matrix (ragged, NULL, NULL, NULL, &values, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, ragged));
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (text, "a\tb\n1\tx\n", -1, NULL));
  g_assert_false (sa_tsv_read_matrix (text, NULL, NULL, NULL, &values, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "“b”"));
  g_clear_error (&error);

  g_assert_null (sa_tsv_read (missing, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_NOT_FOUND);
}

static void
test_writer_fields (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "events.tsv", NULL);
  const char *cols[] = { "onset", "stim_file", NULL };
  const char *row[] = { "0", "movie\twith tab.mp4", NULL };
  g_autoptr(SaTsvWriter) w = sa_tsv_writer_new (cols);
  g_autoptr(SaTsv) tsv = NULL;
  g_autoptr(GError) error = NULL;

  sa_tsv_writer_add (w, row);
  g_assert_true (sa_tsv_writer_save (w, path, &error));
  tsv = sa_tsv_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sa_tsv_column (tsv, "stim_file"), ==, 1);
  g_assert_cmpstr (sa_tsv_get (tsv, 0, 1), ==, "movie with tab.mp4");
  g_assert_cmpint (sa_tsv_column (tsv, "duration"), ==, -1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/tsv/matrix-round-trip", test_matrix_round_trip);
  g_test_add_func ("/compute/tsv/bad-tables", test_bad_tables);
  g_test_add_func ("/compute/tsv/writer-fields", test_writer_fields);
  return g_test_run ();
}
