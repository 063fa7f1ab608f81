#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include "compute/embed/maps-file.h"
#include "compute/error.h"

static gboolean
grid_matches (int             nx,
              int             ny,
              int             nz,
              const double    affine[4][4],
              const SaMask   *mask,
              const char     *path,
              GError        **error)
{
  if (nx != mask->nx || ny != mask->ny || nz != mask->nz)
    {
      sa_set_error (error, SA_ERROR_MISMATCH, path,
                    _("FBN maps are on a %d×%d×%d grid, the fMRI data on %d×%d×%d"),
                    nx, ny, nz, mask->nx, mask->ny, mask->nz);
      return FALSE;
    }
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++)
      if (fabs (affine[i][j] - mask->affine[i][j]) > 0.01)
        {
          sa_set_error (error, SA_ERROR_MISMATCH, path,
                        _("FBN maps are not on the fMRI data's grid (their affines differ)"));
          return FALSE;
        }
  return TRUE;
}

/* @columns holds @m blocks of @stride floats; voxel v of map j is
 * columns[j·stride + index[v]] (index NULL: v). Returns n × m, checked. */
static float *
pack_maps (const float   *columns,
           gsize          stride,
           const gint64  *index,
           gint64         n,
           int            m,
           const char    *path,
           GError       **error)
{
  g_autofree float *maps = NULL;

  if (m < 1 || n <= m)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    "%d FBN maps over %" G_GINT64_FORMAT " brain voxels", m, n);
      return NULL;
    }
  maps = g_new (float, (gsize) n * m);
  for (int j = 0; j < m; j++)
    {
      const float *col = columns + (gsize) j * stride;
      float lo = INFINITY, hi = -INFINITY;

      for (gint64 v = 0; v < n; v++)
        {
          float x = col[index != NULL ? index[v] : v];
          if (!isfinite (x))
            {
              sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                            _("FBN map %d holds a non-finite value inside the brain mask"), j + 1);
              return NULL;
            }
          maps[v * m + j] = x;
          lo = MIN (lo, x);
          hi = MAX (hi, x);
        }
      if (!(hi > lo))
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                        _("FBN map %d is constant inside the brain mask"), j + 1);
          return NULL;
        }
    }
  return g_steal_pointer (&maps);
}

float *
sa_fbn_maps_from_volume (const SaVolume  *volume,
                         const SaMask    *mask,
                         const char      *path,
                         int             *n_maps,
                         GError         **error)
{
  float *maps;

  g_return_val_if_fail (volume != NULL && volume->data != NULL, NULL);
  g_return_val_if_fail (mask != NULL && n_maps != NULL, NULL);

  if (!grid_matches (volume->nx, volume->ny, volume->nz, volume->affine, mask, path, error))
    return NULL;
  maps = pack_maps (volume->data, (gsize) mask->nx * mask->ny * mask->nz, mask->index,
                    mask->n_in, volume->nt, path, error);
  if (maps != NULL)
    *n_maps = volume->nt;
  return maps;
}

typedef struct {
  const SaMask *mask;
  SaVolume     *header;
  const char   *path;
  GArray       *columns;   /* float, the masked voxels of each volume in turn */
  GError       *error;
} LoadState;

static gboolean
load_volume (int          t,
             const float *volume,
             gpointer     user_data)
{
  LoadState *st = user_data;
  const SaMask *mask = st->mask;

  if (t == 0 && !grid_matches (st->header->nx, st->header->ny, st->header->nz,
                               st->header->affine, mask, st->path, &st->error))
    return FALSE;
  for (gint64 v = 0; v < mask->n_in; v++)
    g_array_append_val (st->columns, volume[mask->index[v]]);
  return TRUE;
}

float *
sa_fbn_maps_load (const char    *path,
                  const SaMask  *mask,
                  int           *n_maps,
                  GCancellable  *cancellable,
                  GError       **error)
{
  SaVolume header = { 0, };
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (float));
  LoadState st = { mask, &header, path, columns, NULL };
  float *maps;
  int m;

  g_return_val_if_fail (path != NULL && mask != NULL && n_maps != NULL, NULL);

  if (!sa_volume_stream (path, &header, load_volume, &st, cancellable, error))
    {
      g_clear_error (&st.error);
      return NULL;
    }
  if (st.error != NULL)
    {
      g_propagate_error (error, st.error);
      return NULL;
    }
  m = mask->n_in > 0 ? (int) (columns->len / mask->n_in) : 0;
  maps = pack_maps ((const float *) columns->data, mask->n_in, NULL, mask->n_in, m, path, error);
  if (maps != NULL)
    *n_maps = m;
  return maps;
}
