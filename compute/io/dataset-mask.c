/* The brain mask of a BIDS dataset, as training uses it. */
#include "config.h"

#include <glib/gi18n.h>

#include "compute/io/dataset-mask.h"

#include "compute/error.h"

SaMask *
sa_mask_open_for_dataset (SaBidsDataset  *dataset,
                          const char     *mask_path,
                          GError        **error)
{
  g_autoptr(GPtrArray) bolds = g_ptr_array_new ();
  SaBidsRun *first;
  gboolean all_masked = TRUE;

  g_return_val_if_fail (dataset != NULL && dataset->runs->len > 0, NULL);

  first = g_ptr_array_index (dataset->runs, 0);
  if (mask_path == NULL)
    for (guint i = 0; i < dataset->runs->len; i++)
      {
        SaBidsRun *run = g_ptr_array_index (dataset->runs, i);

        all_masked = all_masked && run->mask_path != NULL;
        g_ptr_array_add (bolds, run->bold_path);
      }
  if (mask_path == NULL && all_masked)
    mask_path = first->mask_path;
  if (mask_path != NULL)
    {
      g_autoptr(SaMask) mask = sa_mask_load (mask_path, error);

      if (mask == NULL)
        return NULL;
      if (mask->nx != dataset->grid[0] || mask->ny != dataset->grid[1]
          || mask->nz != dataset->grid[2])
        {
          sa_set_error (error, SA_ERROR_MISMATCH, mask_path,
                        _("mask grid %d×%d×%d differs from the data's %d×%d×%d"),
                        mask->nx, mask->ny, mask->nz, dataset->grid[0], dataset->grid[1],
                        dataset->grid[2]);
          return NULL;
        }
      if (mask->n_in == 0)
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, mask_path, _("mask selects no voxel"));
          return NULL;
        }
      return g_steal_pointer (&mask);
    }
  return sa_mask_compute ((const char *const *) bolds->pdata, (int) bolds->len, NULL, error);
}
