#include "config.h"

#include <math.h>
#include <string.h>

#include "compute/embed/maps-file.h"
#include "compute/error.h"
#include "tests/testutil.h"

/* A 6×5×4 grid, the mask a box inside it, 3 maps. */
static void
fixture (SaVolume *volume, SaMask *mask)
{
  int nx = 6, ny = 5, nz = 4, nt = 3;
  gsize n_grid = nx * ny * nz;
  gint64 n = 0;

  *volume = (SaVolume) { nx, ny, nz, nt, { 4, 4, 4 }, 0, { { 0 } }, NULL };
  *mask = (SaMask) { nx, ny, nz, { { 0 } }, NULL, 0, NULL };
  for (int i = 0; i < 4; i++)
    volume->affine[i][i] = mask->affine[i][i] = i < 3 ? 4 : 1;
  volume->data = g_new (float, n_grid * nt);
  for (gsize g = 0; g < n_grid * nt; g++)
    volume->data[g] = (float) (g % n_grid) * (1 + g / n_grid) * 0.5f - (g / n_grid);
  mask->in = g_new0 (guint8, n_grid);
  mask->index = g_new (gint64, n_grid);
  for (int k = 1; k < nz - 1; k++)
    for (int j = 1; j < ny - 1; j++)
      for (int i = 1; i < nx - 1; i++)
        mask->in[i + nx * (j + ny * k)] = 1;
  for (gsize g = 0; g < n_grid; g++)
    if (mask->in[g])
      mask->index[n++] = (gint64) g;
  mask->n_in = n;
  /* Outside the mask, anything goes (MELODIC writes 0, others NaN). */
  volume->data[0] = NAN;
}

static void
test_extract (void)
{
  SaVolume volume;
  SaMask mask;
  g_autoptr(GError) error = NULL;
  g_autofree float *maps = NULL;
  int m = 0;
  gsize n_grid = 6 * 5 * 4;

  fixture (&volume, &mask);
  maps = sa_fbn_maps_from_volume (&volume, &mask, "ic.nii.gz", &m, &error);
  g_assert_no_error (error);
  g_assert_cmpint (m, ==, 3);
  g_assert_cmpint (mask.n_in, ==, 4 * 3 * 2);
  for (gint64 v = 0; v < mask.n_in; v++)
    for (int j = 0; j < m; j++)
      g_assert_cmpfloat (maps[v * m + j], ==, volume.data[j * n_grid + mask.index[v]]);
  g_free (volume.data);
  g_free (mask.in);
  g_free (mask.index);
}

static void
test_errors (void)
{
  SaVolume volume;
  SaMask mask;
  g_autoptr(GError) error = NULL;
  int m = 0;
  gsize n_grid = 6 * 5 * 4;

  fixture (&volume, &mask);
  volume.affine[0][3] = 2.0;  /* shifted half a voxel */
  g_assert_null (sa_fbn_maps_from_volume (&volume, &mask, "ic.nii.gz", &m, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "ic.nii.gz"));
  g_clear_error (&error);
  volume.affine[0][3] = 0.0;

  volume.nx = 7;
  g_assert_null (sa_fbn_maps_from_volume (&volume, &mask, "ic.nii.gz", &m, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_MISMATCH);
  g_clear_error (&error);
  volume.nx = 6;

  volume.data[n_grid + mask.index[5]] = INFINITY;
  g_assert_null (sa_fbn_maps_from_volume (&volume, &mask, "ic.nii.gz", &m, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "map 2"));
  g_clear_error (&error);

  for (gsize g = 0; g < n_grid; g++)
    volume.data[2 * n_grid + g] = 1.5f;
  volume.data[n_grid + mask.index[5]] = 0;
  g_assert_null (sa_fbn_maps_from_volume (&volume, &mask, "ic.nii.gz", &m, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "map 3 is constant"));
  g_free (volume.data);
  g_free (mask.in);
  g_free (mask.index);
}

static void
test_load (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "melodic_IC.nii.gz", NULL);
  g_autofree char *other = g_build_filename (dir, "other.nii.gz", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.nii.gz", NULL);
  g_autoptr(SaVolume) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *direct = NULL;
  g_autofree float *loaded = NULL;
  SaVolume volume;
  SaMask mask;
  int m = 0, m2 = 0;

  fixture (&volume, &mask);
  saved = sa_volume_new (volume.nx, volume.ny, volume.nz, volume.nt, volume.affine);
  memcpy (saved->data, volume.data, sizeof (float) * 6 * 5 * 4 * 3);
  g_assert_true (sa_volume_save (saved, path, FALSE, &error));
  g_assert_no_error (error);
  direct = sa_fbn_maps_from_volume (&volume, &mask, path, &m, &error);
  g_assert_no_error (error);
  loaded = sa_fbn_maps_load (path, &mask, &m2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (m2, ==, 3);
  g_assert_cmpmem (loaded, sizeof (float) * mask.n_in * 3, direct, sizeof (float) * mask.n_in * 3);

  saved->affine[1][3] = -3.0;
  g_assert_true (sa_volume_save (saved, other, FALSE, &error));
  g_assert_null (sa_fbn_maps_load (other, &mask, &m2, NULL, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, other));
  g_clear_error (&error);

  g_assert_null (sa_fbn_maps_load (missing, &mask, &m2, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, missing));
  g_free (volume.data);
  g_free (mask.in);
  g_free (mask.index);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/maps-file/extract", test_extract);
  g_test_add_func ("/compute/maps-file/errors", test_errors);
  g_test_add_func ("/compute/maps-file/load", test_load);
  return g_test_run ();
}
