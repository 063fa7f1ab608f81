/* dataset-mask.h — the brain mask `syncact train` uses for a BIDS dataset
 *
 * A given file (on the data's grid), else fMRIPrep's brain masks when every
 * run has one (the first is taken: they share the grid), else one computed
 * from all runs (mask.h). The command line and the window share this, so a
 * window-trained embedding has the voxels a command-line one has.
 */
#pragma once

#include <gio/gio.h>

#include "compute/io/bids.h"
#include "compute/io/mask.h"

G_BEGIN_DECLS

/* @mask_path: NULL for the dataset's own. */
SaMask *sa_mask_open_for_dataset (SaBidsDataset  *dataset,
                                  const char     *mask_path,
                                  GError        **error);

G_END_DECLS
