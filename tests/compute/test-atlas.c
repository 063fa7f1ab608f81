/* compute/annotate: atlases resampled to an FBN grid against nibabel, top
 * regions of a map, descriptions, and the FBN label table. */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compute/annotate/atlas.h"
#include "compute/annotate/fbn-annotate.h"
#include "compute/annotate/fbn-labels.h"
#include "compute/io/nifti.h"
#include "tests/testutil.h"

/* A 4 mm grid stored LAS (x flipped), like many FBN outputs are not: the
 * atlas must be brought to it through both affines. */
static const double las_affine[4][4] = {
  { -4, 0, 0, 90 }, { 0, 4, 0, -126 }, { 0, 0, 4, -72 }, { 0, 0, 0, 1 }
};
#define NX 46
#define NY 55
#define NZ 46

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

/* A Gaussian blob (sd 6 mm) at MNI @centre on @volume's grid. */
static void
blob (SaVolume *volume, const double centre[3], float *out)
{
  for (int k = 0; k < volume->nz; k++)
    for (int j = 0; j < volume->ny; j++)
      for (int i = 0; i < volume->nx; i++)
        {
          double d2 = 0;

          for (int r = 0; r < 3; r++)
            {
              double x = volume->affine[r][0] * i + volume->affine[r][1] * j
                         + volume->affine[r][2] * k + volume->affine[r][3];

              d2 += (x - centre[r]) * (x - centre[r]);
            }
          out[((gsize) k * volume->ny + j) * volume->nx + i] = (float) exp (-d2 / (2 * 36.0));
        }
}

/* A LAS grid file, read back as the RAS+ volume FBN maps come in. */
static SaVolume *
make_grid (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "grid.nii", NULL);
  g_autoptr(SaVolume) raw = sa_volume_new (NX, NY, NZ, 1, las_affine);
  g_autoptr(GError) error = NULL;
  SaVolume *ras;

  g_assert_true (sa_volume_save (raw, path, TRUE, &error));
  g_assert_no_error (error);
  ras = sa_volume_load (path, NULL, NULL, &error);
  g_assert_no_error (error);
  return ras;
}

static void
test_resample (gconstpointer data)
{
  SaAtlasKind kind = GPOINTER_TO_INT (data);
  static const char *const files[] = { "aal.nii.gz", "brodmann.nii.gz",
                                       "HarvardOxford-cort-maxprob-thr0-1mm.nii.gz" };
  g_autofree char *dir = NULL;
  g_autofree char *grid_path = NULL, *labels_path = NULL, *map_path = NULL, *top_path = NULL;
  g_autofree char *atlas_path = NULL;
  g_autoptr(SaAtlas) atlas = NULL;
  g_autoptr(SaVolume) grid = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree int *labels = NULL;
  g_autofree float *map = NULL;
  g_autoptr(GString) top = g_string_new (NULL);
  g_autofree char *result = NULL;
  SaRegionLoad loads[3];
  const double centre[3] = { -8, -88, 4 };   /* left calcarine sulcus, BA17 */
  gsize n = (gsize) NX * NY * NZ;
  int got;

  if (!have_atlases ())
    return;
  dir = sa_test_tmpdir ();
  atlas = sa_atlas_load (kind, NULL, &error);
  g_assert_no_error (error);
  grid = make_grid (dir);
  labels = sa_atlas_resample (atlas, grid->nx, grid->ny, grid->nz,
                              (const double (*)[4]) grid->affine);
  map = g_new (float, n);
  blob (grid, centre, map);
  got = sa_atlas_top_regions (atlas, labels, map, n, 3, loads);
  g_assert_cmpint (got, ==, 3);
  g_assert_cmpfloat (loads[0].share, >, loads[1].share);
  for (int r = 0; r < got; r++)
    g_string_append_printf (top, "%d %.9g\n", loads[r].label, loads[r].share);

  /* The blob sits in early visual cortex, whatever the atlas calls it. */
  g_test_message ("%s: %s (%.2f) %s", atlas->name, loads[0].region, loads[0].share,
                  loads[0].description);
  if (kind == SA_ATLAS_AAL)
    g_assert_true (g_str_has_prefix (loads[0].region, "Calcarine_L")
                   || g_str_has_prefix (loads[0].region, "Cuneus_L")
                   || g_str_has_prefix (loads[0].region, "Lingual_L"));
  else if (kind == SA_ATLAS_BRODMANN)
    g_assert_true (g_str_equal (loads[0].region, "BA17") || g_str_equal (loads[0].region, "BA18"));
  else
    g_assert_nonnull (strstr ("Intracalcarine Cortex Supracalcarine Cortex Lingual Gyrus "
                              "Cuneal Cortex Occipital Pole", loads[0].region));
  g_assert_nonnull (loads[0].description);
  g_assert_nonnull (strstr (loads[0].description, "visual"));

  grid_path = g_build_filename (dir, "grid.nii", NULL);
  labels_path = g_build_filename (dir, "labels.i32", NULL);
  map_path = g_build_filename (dir, "map.f32", NULL);
  top_path = g_build_filename (dir, "top.txt", NULL);
  atlas_path = g_build_filename (SA_ATLAS_DIR, files[kind], NULL);
  g_assert_true (g_file_set_contents (labels_path, (const char *) labels, n * sizeof (int), NULL));
  g_assert_true (g_file_set_contents (map_path, (const char *) map, n * sizeof (float), NULL));
  g_assert_true (g_file_set_contents (top_path, top->str, -1, NULL));
  {
    const char *argv[] = { atlas_path, grid_path, labels_path, map_path, top_path, NULL };

    result = sa_test_python ("tests/py/atlas_oracle.py", argv);
    if (result != NULL)
      g_assert_cmpstr (g_strstrip (result), ==, "ok");
  }
}

static void
test_names (void)
{
  g_autoptr(SaAtlas) aal = NULL;
  g_autoptr(SaAtlas) ho = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (sa_atlas_describe (SA_ATLAS_BRODMANN, "BA4"), ==, "primary motor cortex");
  g_assert_null (sa_atlas_describe (SA_ATLAS_BRODMANN, "BA99"));
  g_assert_nonnull (strstr (sa_atlas_describe (SA_ATLAS_AAL, "Precuneus_L"), "precuneus"));
  g_assert_nonnull (strstr (sa_atlas_describe (SA_ATLAS_AAL, "Heschl_R"), "auditory"));
  g_assert_cmpstr (sa_atlas_harvard_oxford_name (48), ==, "Occipital Pole");
  g_assert_null (sa_atlas_harvard_oxford_name (49));
  if (!have_atlases ())
    return;
  aal = sa_atlas_load (SA_ATLAS_AAL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (aal->max_label, ==, 116);
  g_assert_cmpstr (aal->region_names[1], ==, "Precentral_L");
  ho = sa_atlas_load (SA_ATLAS_HARVARD_OXFORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ho->max_label, ==, 48);
  g_assert_cmpstr (ho->region_names[45], ==, "Heschl's Gyrus (includes H1 and H2)");
}

static void
test_annotate (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *components = NULL, *atlas_tsv = NULL, *labels_tsv = NULL, *text = NULL;
  g_autoptr(SaVolume) grid = NULL;
  g_autoptr(SaVolume) maps = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fbn_labels = NULL;
  const char *names[] = { "fbn-001", "fbn-002", NULL };
  const double visual[3] = { -8, -88, 4 };
  const double motor[3] = { 38, -22, 58 };   /* right precentral gyrus, BA4 */
  gsize n;

  if (!have_atlases ())
    return;
  dir = sa_test_tmpdir ();
  grid = make_grid (dir);
  n = (gsize) grid->nx * grid->ny * grid->nz;
  maps = sa_volume_new (grid->nx, grid->ny, grid->nz, 2, (const double (*)[4]) grid->affine);
  blob (grid, visual, maps->data);
  blob (grid, motor, maps->data + n);
  components = g_build_filename (dir, "task-movie_desc-FBN_components.nii.gz", NULL);
  atlas_tsv = g_build_filename (dir, "atlas.tsv", NULL);
  labels_tsv = g_build_filename (dir, "labels.tsv", NULL);
  g_assert_true (sa_volume_save (maps, components, TRUE, &error));
  g_assert_true (sa_annotate_fbns (components, NULL, 3, atlas_tsv, labels_tsv, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (atlas_tsv, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "fbn\tatlas\trank\tregion\tshare\tdescription\n"));
  g_assert_nonnull (strstr (text, "fbn-002\tBrodmann\t1\tBA4\t"));

  fbn_labels = sa_fbn_labels_read (labels_tsv, names, 2, &error);
  g_assert_no_error (error);
  g_test_message ("%s | %s", fbn_labels[0], fbn_labels[1]);
  g_assert_true (g_str_has_prefix (fbn_labels[1], "Precentral_R ("));
  g_assert_nonnull (strstr (fbn_labels[1], " / BA4 ("));

  /* A label table naming an FBN the time courses lack: an error naming it. */
  g_clear_pointer (&fbn_labels, g_strfreev);
  g_assert_true (g_file_set_contents (labels_tsv, "fbn\tlabel\nfbn-007\tV1\n", -1, NULL));
  fbn_labels = sa_fbn_labels_read (labels_tsv, names, 2, &error);
  g_assert_null (fbn_labels);
  g_assert_nonnull (strstr (error->message, "fbn-007"));
  g_assert_nonnull (strstr (error->message, "labels.tsv"));
  g_clear_error (&error);

  /* Missing atlases: one error naming the file. */
  g_assert_false (sa_annotate_fbns (components, dir, 3, atlas_tsv, labels_tsv, &error));
  g_assert_nonnull (strstr (error->message, "aal.nii.gz"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/compute/atlas/resample/aal", GINT_TO_POINTER (SA_ATLAS_AAL), test_resample);
  g_test_add_data_func ("/compute/atlas/resample/brodmann", GINT_TO_POINTER (SA_ATLAS_BRODMANN),
                        test_resample);
  g_test_add_data_func ("/compute/atlas/resample/harvard-oxford",
                        GINT_TO_POINTER (SA_ATLAS_HARVARD_OXFORD), test_resample);
  g_test_add_func ("/compute/atlas/names", test_names);
  g_test_add_func ("/compute/atlas/annotate", test_annotate);
  return g_test_run ();
}
