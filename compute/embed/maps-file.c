#include "config.h"

#include <math.h>

#include "compute/embed/maps-file.h"
#include "compute/error.h"

float *
sa_fbn_maps_from_volume (const SaVolume  *volume,
                         const SaMask    *mask,
                         const char      *path,
                         int             *n_maps,
                         GError         **error)
{
  g_autofree float *maps = NULL;
  gsize n_grid;
  gint64 n;
  int m;

  g_return_val_if_fail (volume != NULL && volume->data != NULL, NULL);
  g_return_val_if_fail (mask != NULL && n_maps != NULL, NULL);

  if (volume->nx != mask->nx || volume->ny != mask->ny || volume->nz != mask->nz)
    {
      sa_set_error (error, SA_ERROR_MISMATCH, path,
                    "FBN maps are on a %d×%d×%d grid, the fMRI data on %d×%d×%d",
                    volume->nx, volume->ny, volume->nz, mask->nx, mask->ny, mask->nz);
      return NULL;
    }
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++)
      if (fabs (volume->affine[i][j] - mask->affine[i][j]) > 0.01)
        {
          sa_set_error (error, SA_ERROR_MISMATCH, path,
                        "FBN maps are not on the fMRI data's grid (their affines differ)");
          return NULL;
        }
  m = volume->nt;
  n = mask->n_in;
  if (m < 1 || n <= m)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    "%d FBN maps over %" G_GINT64_FORMAT " brain voxels", m, n);
      return NULL;
    }

  n_grid = (gsize) mask->nx * mask->ny * mask->nz;
  maps = g_new (float, (gsize) n * m);
  for (int j = 0; j < m; j++)
    {
      const float *vol = volume->data + (gsize) j * n_grid;
      float lo = INFINITY, hi = -INFINITY;

      for (gint64 v = 0; v < n; v++)
        {
          float x = vol[mask->index[v]];
          if (!isfinite (x))
            {
              sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                            "FBN map %d holds a non-finite value inside the brain mask", j + 1);
              return NULL;
            }
          maps[v * m + j] = x;
          lo = MIN (lo, x);
          hi = MAX (hi, x);
        }
      if (!(hi > lo))
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                        "FBN map %d is constant inside the brain mask", j + 1);
          return NULL;
        }
    }
  *n_maps = m;
  return g_steal_pointer (&maps);
}
