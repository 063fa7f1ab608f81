/* dual-regression.h — FBN maps to subject time courses (and back to maps)
 *
 * FSL's dual_regression (Beckmann et al. 2009; Nickerson et al. 2017):
 * - stage 1: each volume of a subject (a row of its T × n data) is
 *   regressed on the group maps (n × m); maps and volumes demeaned over
 *   voxels, as `fsl_glm --demean`: time courses = Y M_c (M_cᵀ M_c)⁻¹, T × m.
 * - stage 2: each voxel's time series is regressed on those time courses,
 *   demeaned over time and, with @normalise, scaled to unit variance
 *   (FSL's `--des_norm`): subject maps, n × m.
 * Maps come from group ICA, from an ICA rotation of an autoencoder's W, or
 * from a file a user brings (MELODIC's melodic_IC.nii.gz).
 */
#pragma once

#include <gio/gio.h>

#include "compute/embed/subject-source.h"
#include "compute/progress.h"

G_BEGIN_DECLS

typedef struct _SaDualRegression SaDualRegression;

/* @maps: n × m row-major (column j = map j). Fails (SA_ERROR_ARGUMENT) when
 * the maps are linearly dependent once demeaned. */
SaDualRegression *sa_dual_regression_new     (const float       *maps,
                                              gint64             n_voxels,
                                              int                n_maps,
                                              GError           **error);
void              sa_dual_regression_free    (SaDualRegression  *dr);
int               sa_dual_regression_n_maps  (SaDualRegression  *dr);

/* Stage 1: @data T × n -> @time_courses T × m. */
void              sa_dual_regression_stage1  (SaDualRegression  *dr,
                                              const float       *data,
                                              int                n_timepoints,
                                              float             *time_courses);

/* Stage 2: @data T × n and @time_courses T × m -> @maps n × m. Fails when
 * the time courses are linearly dependent. */
gboolean          sa_dual_regression_stage2  (const float       *data,
                                              int                n_timepoints,
                                              gint64             n_voxels,
                                              const float       *time_courses,
                                              int                n_maps,
                                              gboolean           normalise,
                                              float             *maps,
                                              GError           **error);

/* Stage 1 over @n_subjects subjects of @source (indices in @subjects, or
 * 0..n-1 when NULL), all with the same T. Writes each subject's T × m time
 * courses to @per_subject (n_subjects × T × m) when not NULL and their mean
 * over the subjects to @mean when not NULL; *@n_timepoints receives T. */
gboolean          sa_dual_regression_subjects (SaDualRegression      *dr,
                                               const SaSubjectSource *source,
                                               const int             *subjects,
                                               int                    n_subjects,
                                               float                 *per_subject,
                                               float                 *mean,
                                               int                   *n_timepoints,
                                               const SaProgress      *progress,
                                               GCancellable          *cancellable,
                                               GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaDualRegression, sa_dual_regression_free)

G_END_DECLS
