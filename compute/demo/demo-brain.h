/* demo-brain.h — the brain the demo's fMRI lives in
 *
 * An MNI grid of a chosen voxel size (4 mm for the demo) whose voxel
 * centres fall on multiples of the voxel size from the MNI origin, cropped
 * to the brain's bounding box plus one voxel. Built from Debian's
 * mricron-data templates: the brain is where ch2better (0.5 mm,
 * skull-stripped) is above 30 in at least half of a voxel's 0.5 mm
 * samples; the anatomy is their mean; the AAL label is the most frequent
 * one among the voxel's 1 mm samples of aal.nii.gz, named by aal.nii.txt.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SA_DEMO_TEMPLATES_DIR "/usr/share/mricron/templates"

typedef struct {
  int        nx, ny, nz;
  double     voxel_size;
  double     affine[4][4];   /* RAS+ voxel → MNI mm */
  guint8    *mask;           /* nx·ny·nz, 1 = brain */
  float     *anatomy;        /* nx·ny·nz, mean ch2better intensity */
  guint8    *labels;         /* nx·ny·nz, AAL index, 0 = none */
  GPtrArray *label_names;    /* char*, index = AAL index ("" for 0) */
  gint64     n_brain;
} SaDemoBrain;

/* @templates_dir: NULL for SA_DEMO_TEMPLATES_DIR. */
SaDemoBrain *sa_demo_brain_new          (const char        *templates_dir,
                                         double             voxel_size,
                                         GError           **error);
void         sa_demo_brain_free         (SaDemoBrain       *brain);

/* The AAL index of @name ("Calcarine_L"), or 0 when unknown. */
int          sa_demo_brain_label_index  (const SaDemoBrain *brain,
                                         const char        *name);

/* The voxel of region @label deepest inside it (farthest from any voxel
 * outside the region or the brain; ties: nearest the region's centroid).
 * Returns the number of the region's voxels (0: not on this grid). */
gint64       sa_demo_brain_region_core  (const SaDemoBrain *brain,
                                         int                label,
                                         int                ijk[3]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaDemoBrain, sa_demo_brain_free)

G_END_DECLS
