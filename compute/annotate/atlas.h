/* atlas.h — FBN maps described by anatomical atlases (Sync-ACT §4.3)
 *
 * The atlases Debian's mricron-data ships (AAL, Brodmann, Harvard-Oxford
 * cortical maximum-probability), brought to an FBN grid by nearest neighbour
 * through the two affines, so an atlas on another grid is resampled, never
 * an error. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  SA_ATLAS_AAL,
  SA_ATLAS_BRODMANN,
  SA_ATLAS_HARVARD_OXFORD,
} SaAtlasKind;

#define SA_ATLAS_N_KINDS 3
#define SA_ATLAS_DIR "/usr/share/mricron/templates"

typedef struct {
  SaAtlasKind kind;
  char    *name;         /* "AAL", "Brodmann", "Harvard-Oxford" */
  char    *path;
  int      nx, ny, nz;   /* RAS+ */
  double   affine[4][4]; /* RAS+ voxel → MNI mm */
  int     *labels;       /* nx·ny·nz, 0 = no region */
  int      max_label;
  char   **region_names; /* max_label + 1 entries; [0] and unnamed labels NULL */
} SaAtlas;

typedef struct {
  int          label;
  const char  *region;       /* the atlas's name, "BA17", … (owned by the atlas) */
  double       weight;       /* summed positive weight of the map in the region */
  double       share;        /* of the map's whole positive weight */
  const char  *description;  /* static; NULL when the table has none */
} SaRegionLoad;

/* Loads one of the shipped atlases from @dir (NULL: SA_ATLAS_DIR); the labels
 * come from the file beside it (aal.nii.txt), from Brodmann's numbering, or
 * from FSL's Harvard-Oxford table carried in atlas-table.c. */
SaAtlas     *sa_atlas_load          (SaAtlasKind     kind,
                                     const char     *dir,
                                     GError        **error);
void         sa_atlas_free          (SaAtlas        *atlas);

/* The atlas label at every voxel of the grid nx×ny×nz (RAS+, @affine), by
 * nearest neighbour; 0 outside the atlas. */
int         *sa_atlas_resample      (const SaAtlas  *atlas,
                                     int             nx,
                                     int             ny,
                                     int             nz,
                                     const double    affine[4][4]);

/* The regions @map (values on the grid @labels came from, @n voxels) loads
 * on most: summed positive weight per region, largest first, at most
 * @top_k. Returns the number written to @out; 0 when the map has no positive
 * weight inside any region. */
int          sa_atlas_top_regions   (const SaAtlas  *atlas,
                                     const int      *labels,
                                     const float    *map,
                                     gsize           n,
                                     int             top_k,
                                     SaRegionLoad   *out);

/* A short functional description of a region of @atlas by name (Brodmann
 * area, or AAL / Harvard-Oxford region family); NULL when none. */
const char  *sa_atlas_describe      (SaAtlasKind     kind,
                                     const char     *region);

/* Name of region @label (1-based) of FSL's Harvard-Oxford cortical atlas. */
const char  *sa_atlas_harvard_oxford_name (int label);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaAtlas, sa_atlas_free)

G_END_DECLS
