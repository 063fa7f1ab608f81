/* compute/annotate/atlas-lookup: the region at a world point, against
 * nibabel, and the names a viewer shows under its crosshair. */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compute/annotate/atlas-lookup.h"
#include "tests/testutil.h"

static const char *files[SA_ATLAS_N_KINDS] = {
  [SA_ATLAS_AAL] = "aal.nii.gz",
  [SA_ATLAS_BRODMANN] = "brodmann.nii.gz",
  [SA_ATLAS_HARVARD_OXFORD] = "HarvardOxford-cort-maxprob-thr0-1mm.nii.gz",
};

static gboolean
have_atlases (void)
{
  g_autofree char *aal = g_build_filename (SA_ATLAS_DIR, "aal.nii.gz", NULL);

  if (!g_file_test (aal, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("mricron-data is not installed");
      return FALSE;
    }
  return TRUE;
}

/* Random points over and around the MNI brain, a third of them on the
 * half-millimetre lattice a 0.5 mm template's crosshair moves on (voxel
 * ties, where the rounding rule shows), plus points far outside. */
static void
test_against_nibabel (gconstpointer data)
{
  SaAtlasKind kind = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(SaAtlasLookup) lookup = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7 + kind);
  g_autofree char *dir = NULL, *points_path = NULL, *labels_path = NULL, *atlas_path = NULL;
  g_autofree char *result = NULL;
  enum { N = 20000 };
  g_autofree double *points = g_new (double, 3 * N);
  g_autofree gint32 *labels = g_new (gint32, N);
  const char *argv[4];
  gint64 t0;
  double per_lookup_ns;

  if (!have_atlases ())
    return;
  lookup = sa_atlas_lookup_load (kind, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (lookup);

  for (int i = 0; i < N; i++)
    for (int a = 0; a < 3; a++)
      {
        double lo[3] = { -100, -135, -80 }, hi[3] = { 100, 100, 95 };
        double v = g_rand_double_range (rand, lo[a] - 10, hi[a] + 10);

        points[3 * i + a] = i % 3 == 0 ? round (2 * v) / 2 : v;
      }
  points[0] = 0, points[1] = 0, points[2] = 500;

  t0 = g_get_monotonic_time ();
  for (int i = 0; i < N; i++)
    labels[i] = sa_atlas_lookup_label (lookup, points + 3 * i);
  per_lookup_ns = (g_get_monotonic_time () - t0) * 1000.0 / N;
  g_test_message ("%s: %.0f ns per lookup", sa_atlas_lookup_get_name (lookup), per_lookup_ns);
  g_assert_cmpint (labels[0], ==, 0);

  dir = sa_test_tmpdir ();
  points_path = g_build_filename (dir, "points.f64", NULL);
  labels_path = g_build_filename (dir, "labels.i32", NULL);
  atlas_path = g_build_filename (SA_ATLAS_DIR, files[kind], NULL);
  g_assert_true (g_file_set_contents (points_path, (const char *) points, sizeof (double) * 3 * N, NULL));
  g_assert_true (g_file_set_contents (labels_path, (const char *) labels, sizeof (gint32) * N, NULL));
  argv[0] = atlas_path;
  argv[1] = points_path;
  argv[2] = labels_path;
  argv[3] = NULL;
  result = sa_test_python ("tests/py/atlas_lookup_oracle.py", argv);
  if (result == NULL)
    return;   /* skipped: no nibabel */
  g_test_message ("oracle: %s", result);
  g_assert_true (g_str_has_prefix (result, "ok "));
  /* Enough points landed in regions for the comparison to mean something. */
  {
    int inside = 0;

    sscanf (result, "ok %*d %d", &inside);
    g_assert_cmpint (inside, >, N / 10);
  }
}

static void
test_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SaAtlasLookup) aal = NULL;
  g_autoptr(SaAtlasLookup) ho = NULL;
  const double precuneus_l[3] = { -8, -60, 44 }, precuneus_r[3] = { 8, -60, 44 };
  const double calcarine_l[3] = { -8, -82, 8 }, outside[3] = { 0, 0, 200 };
  const double nowhere[3] = { NAN, 0, 0 };

  if (!have_atlases ())
    return;
  {
    gint64 t0 = g_get_monotonic_time ();

    /* What the slice view's worker does once per process. */
    aal = sa_atlas_lookup_load (SA_ATLAS_AAL, NULL, &error);
    g_assert_no_error (error);
    ho = sa_atlas_lookup_load (SA_ATLAS_HARVARD_OXFORD, NULL, &error);
    g_assert_no_error (error);
    g_test_message ("AAL + Harvard-Oxford loaded in %.0f ms", (g_get_monotonic_time () - t0) / 1e3);
  }

  g_assert_cmpstr (sa_atlas_lookup_get_name (aal), ==, "AAL");
  g_assert_cmpstr (sa_atlas_lookup_region (aal, precuneus_l), ==, "Precuneus_L");
  g_assert_cmpstr (sa_atlas_lookup_region (aal, precuneus_r), ==, "Precuneus_R");
  g_assert_cmpstr (sa_atlas_lookup_region (aal, calcarine_l), ==, "Calcarine_L");
  g_assert_cmpstr (sa_atlas_lookup_region (ho, precuneus_l), ==, "Precuneous Cortex");
  g_assert_null (sa_atlas_lookup_region (aal, outside));
  g_assert_cmpint (sa_atlas_lookup_label (aal, nowhere), ==, 0);

  /* A missing atlas folder is one error naming the file. */
  g_assert_null (sa_atlas_lookup_load (SA_ATLAS_AAL, "/nonexistent", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/nonexistent/aal.nii.gz"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/compute/atlas-lookup/nibabel/aal", GINT_TO_POINTER (SA_ATLAS_AAL),
                        test_against_nibabel);
  g_test_add_data_func ("/compute/atlas-lookup/nibabel/harvard-oxford",
                        GINT_TO_POINTER (SA_ATLAS_HARVARD_OXFORD), test_against_nibabel);
  g_test_add_func ("/compute/atlas-lookup/names", test_names);
  return g_test_run ();
}
