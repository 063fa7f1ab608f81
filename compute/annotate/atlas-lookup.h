/* atlas-lookup.h — the atlas region at a point, in constant time
 *
 * What a viewer shows under its crosshair (FSLeyes' and MRIcroGL's atlas
 * panel): the region of an atlas at a world (MNI) coordinate. The labels stay
 * on the atlas's own grid — resampling to a 0.5 mm template would take five
 * times the memory for the same answer — packed into bytes where the atlas
 * has at most 255 regions, with the world → voxel affine inverted once. The
 * voxel is the nearest one, ties rounded up as sa_atlas_resample() does.
 */
#pragma once

#include "compute/annotate/atlas.h"

G_BEGIN_DECLS

typedef struct _SaAtlasLookup SaAtlasLookup;

/* A compact copy of @atlas's labels and names (@atlas may be freed after). */
SaAtlasLookup *sa_atlas_lookup_new    (const SaAtlas        *atlas,
                                       GError              **error);
/* sa_atlas_load() then sa_atlas_lookup_new(). */
SaAtlasLookup *sa_atlas_lookup_load   (SaAtlasKind           kind,
                                       const char           *dir,
                                       GError              **error);
void           sa_atlas_lookup_free   (SaAtlasLookup        *lookup);

/* "AAL", "Harvard-Oxford", … */
const char    *sa_atlas_lookup_get_name (const SaAtlasLookup *lookup);
/* The label at @world (mm); 0 outside the atlas or between regions. */
int            sa_atlas_lookup_label  (const SaAtlasLookup  *lookup,
                                       const double          world[3]);
/* The region's name at @world, or NULL where there is none. */
const char    *sa_atlas_lookup_region (const SaAtlasLookup  *lookup,
                                       const double          world[3]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaAtlasLookup, sa_atlas_lookup_free)

G_END_DECLS
