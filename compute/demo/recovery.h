/* recovery.h — how well an FBN set finds the planted networks
 *
 * The figures the identifiable-FBN evidence reports, for any embedding
 * (group ICA, an autoencoder with or without ICA rotation, user maps):
 * - per planted network k, the single FBN whose time course matches it
 *   best (|Pearson r|) and how far that FBN map's peak (its voxel of
 *   largest magnitude) lies from the planted centre, in voxels;
 * - per planted network, the subspace R²: the share of its time course's
 *   variance that a least-squares combination of all m FBN time courses
 *   (with an intercept) explains. With m close to T this is inflated by
 *   chance (expected ≈ m / (T − 1) for unrelated courses), so the adjusted
 *   R² is given too.
 * - whether every network has its own best FBN (no FBN is best for two).
 */
#pragma once

#include "compute/demo/planted.h"

G_BEGIN_DECLS

typedef struct {
  int     n_networks;
  int    *best;            /* K: index of the best FBN */
  double *best_r;          /* K: |r| of that FBN's time course */
  double *peak_distance;   /* K: voxels from the planted centre */
  double *subspace_r2;     /* K */
  double *subspace_r2_adj; /* K */
  gboolean distinct;       /* each network's best FBN is different */
} SaRecovery;

/* @maps: n × m (planted->n_voxels rows), @time_courses: T × m (T the
 * planted length), e.g. the mean over test subjects. Fails when m ≥ T − 1. */
SaRecovery *sa_recovery_new   (const SaPlanted  *planted,
                               const float      *maps,
                               const float      *time_courses,
                               int               m,
                               GError          **error);
void        sa_recovery_free  (SaRecovery       *recovery);

/* e.g. "best |r| 0.86-0.91, peak <= 1.4 voxels, subspace R2 0.93-0.97, one FBN
 * per network" (ASCII: it goes to logs and test output). */
char       *sa_recovery_describe (const SaRecovery *recovery);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaRecovery, sa_recovery_free)

G_END_DECLS
