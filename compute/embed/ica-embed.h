/* ica-embed.h — group ICA and dual regression on an embedding source
 *
 * What `train --arch ica`, `--rotate ica` and `--maps` need, on the same
 * SaEmbedSource the autoencoder trains from (compute/embed/source.h): every
 * run of the chosen subjects is one unit of group ICA's per-run PCA, read
 * once through acquire/release, so memory stays at one run; dual regression
 * gives each run's FBN time courses and, per run key, their mean over the
 * subjects, as SaEmbedCourses in the order SaEmbedResult uses (each
 * subject's runs, then one mean per run key with subject NULL).
 */
#pragma once

#include <gio/gio.h>

#include "compute/embed/group-ica.h"
#include "compute/embed/source.h"
#include "compute/embed/train.h"

G_BEGIN_DECLS

/* Group ICA over every run of @subjects (guint indices into @source; NULL:
 * all subjects). */
SaGroupIca *sa_group_ica_run_source     (SaEmbedSource          *source,
                                         GArray                 *subjects,
                                         const SaGroupIcaParams *params,
                                         const SaProgress       *progress,
                                         GCancellable           *cancellable,
                                         GError                **error);

/* Stage-1 dual regression of every run of @subjects (NULL: all) onto @maps
 * (n × m). Returns a GPtrArray of SaEmbedCourses* (it frees them). */
GPtrArray  *sa_dual_regression_source   (const float            *maps,
                                         int                     m,
                                         SaEmbedSource          *source,
                                         GArray                 *subjects,
                                         const SaProgress       *progress,
                                         GCancellable           *cancellable,
                                         GError                **error);

G_END_DECLS
