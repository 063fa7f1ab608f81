/* The FBN maps as one 4D NIfTI. Kept apart from outputs.c so that code
 * which writes only tables does not pull in the NIfTI writer. */
#include "config.h"

#include <glib/gi18n.h>

#include "compute/embed/outputs.h"

#include "compute/error.h"
#include "compute/io/nifti.h"

gboolean
sa_embed_write_components (const float  *w,
                           gint64        n_voxels,
                           int           m,
                           const SaMask *mask,
                           const char   *path,
                           GError      **error)
{
  g_autoptr(SaVolume) volume = NULL;
  gsize grid;

  g_return_val_if_fail (w != NULL && mask != NULL && path != NULL, FALSE);

  if (mask->n_in != n_voxels)
    {
      sa_set_error (error, SA_ERROR_MISMATCH, path,
                    "the mask has %" G_GINT64_FORMAT " voxels but the maps have %"
                    G_GINT64_FORMAT, mask->n_in, n_voxels);
      return FALSE;
    }
  grid = (gsize) mask->nx * mask->ny * mask->nz;
  /* sa_volume_new zero-fills: outside the mask the maps are 0. */
  volume = sa_volume_new (mask->nx, mask->ny, mask->nz, m, mask->affine);
  if (volume == NULL)
    {
      sa_set_error (error, SA_ERROR_FAILED, path, _("not enough memory for %d maps"), m);
      return FALSE;
    }
  for (int j = 0; j < m; j++)
    for (gint64 v = 0; v < n_voxels; v++)
      volume->data[(gsize) j * grid + mask->index[v]] = w[(gsize) v * m + j];
  return sa_volume_save (volume, path, FALSE, error);
}
