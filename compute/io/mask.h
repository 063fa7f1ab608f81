/* mask.h — which voxels are brain
 *
 * Given (a NIfTI file, any non-zero voxel is in, resampled nowhere: it must
 * share the data's grid) or computed from the data: voxels with finite,
 * non-constant signal whose mean intensity passes nilearn's compute_epi_mask
 * rule when the data carry a baseline, intersected over the runs it is built
 * from. Voxel order is the RAS+ order of SaVolume.
 *
 * The rule (nilearn.masking.compute_epi_mask with its defaults, on each
 * run's mean image, non-finite means taken as 0): sort the mean
 * intensities, threshold in the middle of the widest gap between the 20th
 * and 85th percentiles, erode twice (6-neighbour cross, outside = 0), keep
 * the largest 6-connected component, dilate 4 times, erode twice. Runs
 * are intersected (nilearn's compute_multi_epi_mask with threshold 1).
 * "Carries a baseline" means no voxel's mean is negative and some is
 * positive; demeaned or z-scored input skips the rule. Computing streams
 * each run once, holding running sums, not the 4D data.
 */
#pragma once

#include <gio/gio.h>

#include "compute/io/nifti.h"

G_BEGIN_DECLS

typedef struct {
  int      nx, ny, nz;
  double   affine[4][4];
  guint8  *in;            /* nx*ny*nz, 1 = brain */
  gint64   n_in;
  gint64  *index;         /* n_in flat indices into the grid, ascending */
} SaMask;

SaMask  *sa_mask_load          (const char   *path,
                                GError      **error);
/* From the 4D runs in @bold_paths (all on one grid). An empty result is an
 * error ("mask selects no voxel"). */
SaMask  *sa_mask_compute       (const char  *const *bold_paths,
                                int                 n_paths,
                                GCancellable       *cancellable,
                                GError            **error);
gboolean sa_mask_matches_grid  (const SaMask *mask,
                                const SaVolume *header,
                                const char   *path,
                                GError      **error);
gboolean sa_mask_save          (const SaMask *mask,
                                const char   *path,
                                GError      **error);
void     sa_mask_free          (SaMask       *mask);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaMask, sa_mask_free)

G_END_DECLS
