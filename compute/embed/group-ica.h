/* group-ica.h — spatial group ICA (MELODIC / CanICA) and ICA rotation of maps
 *
 * The recipe (Calhoun et al. 2001; Beckmann & Smith 2004; Varoquaux et al.
 * 2010): each subject's data is reduced by a temporal PCA, the reduced data
 * of all subjects is concatenated in time and reduced again to m
 * components by a group PCA, and FastICA on those m spatial eigenmaps, with
 * voxels as samples, gives m spatially independent maps.
 *
 * Memory. A subject's T × n data is read once through an SaSubjectSource
 * (only one subject at a time). Its PCA works in time: the T × T Gram
 * Y Yᵀ is eigen-decomposed (never the n × n covariance: n is ~28,000), and
 * the reduced data R = Uᵀ Y (k1 × n, rows √λ·vᵀ) is all that is kept. The
 * group PCA of the concatenation [R_1; …; R_S] is done incrementally,
 * MIGP-style (Smith et al. 2014, MELODIC's default for large groups): a
 * running k2 × n matrix G is stacked with the next R_s, and G becomes the
 * top k2 principal directions (scaled by their singular values) of the
 * stack, found through its (k2 + k1)² Gram. Peak memory is one subject plus
 * about (2·k2 + 2·k1) × n floats, whatever the number of subjects.
 * Measured against the exact PCA of the concatenated data (test
 * /compute/group-ica/migp: 4 subjects × 100 TRs, planted networks at snr
 * 0.5, 95% of the variance noise), the overlap of the top-m subspaces is
 * 1.0000 with nothing truncated, 0.99 with k1 = k2 = 8m and 0.91 with the
 * defaults k1 = k2 = 2m; the planted networks are recovered either way
 * (the noise directions are what differ). Raise k1 and k2 for more
 * fidelity at (k1 + k2)-proportional cost.
 *
 * Output maps are n × m (column j = FBN j), z-scored over voxels, the sign
 * set so each map's largest-magnitude voxel is positive, ordered by the
 * variance they explain. Time courses come from dual regression
 * (compute/embed/dual-regression.h).
 */
#pragma once

#include <gio/gio.h>

#include "compute/embed/fastica.h"
#include "compute/embed/subject-source.h"
#include "compute/progress.h"

G_BEGIN_DECLS

typedef struct {
  int              n_components;        /* m; 64 */
  int              subject_components;  /* k1; 0 = 2m (at most T) */
  int              group_components;    /* k2; 0 = max(2m, k1) */
  SaFastIcaParams  ica;                 /* its n_components is ignored (= m) */
} SaGroupIcaParams;

typedef struct {
  gint64         n_voxels;
  int            n_components;
  float         *maps;                  /* n × m row-major */
  double         explained;             /* share of the data's variance in the
                                           m-dimensional group subspace */
  SaFastIcaInfo  ica;                   /* converged FALSE: warn the user */
} SaGroupIca;

void        sa_group_ica_params_init  (SaGroupIcaParams       *params);

/* Runs on subjects @subjects[0..n_subjects) of @source (0..n-1 when NULL);
 * subjects may differ in T. */
SaGroupIca *sa_group_ica_run          (const SaSubjectSource  *source,
                                       const int              *subjects,
                                       int                     n_subjects,
                                       const SaGroupIcaParams *params,
                                       const SaProgress       *progress,
                                       GCancellable           *cancellable,
                                       GError                **error);
void        sa_group_ica_free         (SaGroupIca             *ica);

/* The group PCA step alone: the m × n group eigenmaps (rows, scaled by
 * their singular values, largest first) and, in @explained, the share of
 * the data's variance they hold. */
float      *sa_group_pca              (const SaSubjectSource  *source,
                                       const int              *subjects,
                                       int                     n_subjects,
                                       const SaGroupIcaParams *params,
                                       double                 *explained,
                                       const SaProgress       *progress,
                                       GCancellable           *cancellable,
                                       GError                **error);

/* `--rotate ica`: the m maps in @maps (n × m, e.g. an autoencoder's W) are
 * replaced by the m spatially independent maps in their span, in the same
 * form as group ICA's (z-scored, peak positive, by variance explained).
 * Time courses then come from dual regression onto @rotated. */
gboolean    sa_ica_rotate_maps        (const float            *maps,
                                       gint64                  n_voxels,
                                       int                     n_maps,
                                       const SaFastIcaParams  *params,
                                       float                  *rotated,
                                       SaFastIcaInfo          *info,
                                       GCancellable           *cancellable,
                                       GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaGroupIca, sa_group_ica_free)

G_END_DECLS
