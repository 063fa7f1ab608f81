/* maps-file.h — FBN maps a user brings (`--maps FILE.nii.gz`)
 *
 * A 4D NIfTI with one volume per FBN on the data's grid, such as MELODIC's
 * melodic_IC.nii.gz, becomes the n × m matrix dual regression takes: the
 * masked voxels of each volume, in mask order (RAS+, as compute/io/nifti.h
 * reads any orientation). The file is streamed a volume at a time, so only
 * the n × m result is held.
 */
#pragma once

#include <gio/gio.h>

#include "compute/io/mask.h"
#include "compute/io/nifti.h"

G_BEGIN_DECLS

/* Returns n × m floats (m = @volume->nt) and sets *@n_maps, or fails naming
 * @path: another grid than the mask's (dimensions, or an affine more than
 * 0.01 mm apart), non-finite values inside the mask, or a map that is
 * constant over the mask. */
float   *sa_fbn_maps_from_volume  (const SaVolume  *volume,
                                   const SaMask    *mask,
                                   const char      *path,
                                   int             *n_maps,
                                   GError         **error);

/* Reads @path (NIfTI, 4D or one 3D map) with the same checks. */
float   *sa_fbn_maps_load         (const char      *path,
                                   const SaMask    *mask,
                                   int             *n_maps,
                                   GCancellable    *cancellable,
                                   GError         **error);

G_END_DECLS
