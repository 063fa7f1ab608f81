/* orient.h — which voxel axis points where, as nibabel sees it
 *
 * The engine's volumes are in RAS+ voxel order. Getting there from any stored
 * affine is a permutation and flips of the voxel axes (never a resampling),
 * chosen exactly as nibabel's io_orientation() does, so an oblique affine
 * gets the closest axes and SyncAct agrees with nibabel's
 * as_closest_canonical() on every file.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int axis[3];   /* world axis (0 = x/R, 1 = y/A, 2 = z/S) of voxel axis i */
  int flip[3];   /* -1 when voxel axis i runs against that world axis */
} SaOrientation;

/* FALSE when the affine's 3×3 part is singular or not finite, which leaves
 * some voxel axis without a direction. */
gboolean sa_orientation_from_affine (const double   affine[4][4],
                                     SaOrientation *ornt);

/* The affine of the reoriented grid: voxel axis i of the input becomes axis
 * ornt->axis[i] of the output, flipped when ornt->flip[i] < 0. @dims are the
 * input's sizes along its voxel axes. */
void     sa_orientation_apply_affine (const SaOrientation *ornt,
                                      const gint64         dims[3],
                                      const double         affine[4][4],
                                      double               out[4][4]);

gboolean sa_orientation_is_identity  (const SaOrientation *ornt);

G_END_DECLS
