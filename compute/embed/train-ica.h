/* train-ica.h — identifiable FBNs in `syncact train` (DESIGN §3, issue 7)
 *
 * The autoencoder (compute/embed/train.h) fixes the FBN subspace, not its
 * basis. This puts the three ways to get one network per FBN behind the
 * same split, the same SaEmbedResult and the same output files:
 * - SA_FBN_METHOD_GROUP_ICA (`--arch ica`): spatial group ICA over every run
 *   of the training and validation subjects (validation has no role in ICA,
 *   so it is data), time courses of the test subjects by dual regression;
 * - SA_FBN_METHOD_AUTOENCODER with rotate_ica (`--rotate ica`): the
 *   trained W gives each fitting run's courses (dual regression stage 1 on
 *   W) and from them its spatial patterns (stage 2); the mean pattern maps,
 *   which span what W's courses see, are rotated to spatial independence
 *   by FastICA, then the test subjects' courses come by dual regression onto
 *   the rotated maps. Rotating W's columns themselves fails: they are the
 *   encoder's filters, not the networks' patterns (measured on 8 planted
 *   networks: best |r| 0.53-0.92 on filters, 0.96-0.98 on patterns). The
 *   autoencoder's own maps and courses are kept as the unrotated set;
 * - SA_FBN_METHOD_MAPS (`--maps FILE`): a 4D NIfTI of maps on the data's
 *   grid, then dual regression.
 *
 * Files (sa_fbn_write_outputs), beside outputs.h's desc-FBN set:
 *   <prefix>_desc-FBN_*            the FBNs to use: rotated / ICA / user maps
 *   <prefix>_desc-FBNunrotated_*   with --rotate ica: the autoencoder's own W
 *                                  and its encoder's time courses (every file
 *                                  of the desc-FBN set, same layout)
 * The desc-FBN sidecar gains "FBNMethod": {"Method", "Architecture",
 * "Rotation", "MapsFile", "ICA": {"Converged", "Iterations",
 * "ExplainedVariance"}, "TimeCourses", "Unrotated"}; with --arch ica and
 * --maps, Parameters.arch says "ica" / "maps" and the training-only fields
 * (epochs, losses, ...) are left out.
 */
#pragma once

#include <gio/gio.h>

#include "compute/embed/fastica.h"
#include "compute/embed/outputs.h"
#include "compute/embed/source.h"
#include "compute/embed/train.h"
#include "compute/io/mask.h"
#include "compute/progress.h"

G_BEGIN_DECLS

typedef enum {
  SA_FBN_METHOD_AUTOENCODER,
  SA_FBN_METHOD_GROUP_ICA,
  SA_FBN_METHOD_MAPS,
} SaFbnMethod;

typedef struct {
  SaFbnMethod   method;
  gboolean      rotate_ica;   /* autoencoder only */
  const char   *maps_path;    /* SA_FBN_METHOD_MAPS */
  const SaMask *mask;         /* SA_FBN_METHOD_MAPS: the data's grid */
} SaFbnChoice;

typedef struct {
  SaFbnMethod    method;
  gboolean       rotated;
  char          *maps_path;
  SaEmbedResult *result;      /* the FBNs to use (desc-FBN) */
  SaEmbedResult *unrotated;   /* --rotate ica: the autoencoder's own; else NULL */
  gboolean       has_ica;     /* group ICA or rotation ran */
  SaFastIcaInfo  ica;
  double         explained;   /* group ICA: variance share of the group subspace; else NAN */
} SaFbnRun;

const char *sa_fbn_method_name    (SaFbnMethod           method);

/* Options as for sa_embed_train (split, m, seed; the training fields only
 * for the autoencoder). */
SaFbnRun   *sa_fbn_train          (SaEmbedSource        *source,
                                   const SaEmbedOptions *options,
                                   const SaFbnChoice    *choice,
                                   const SaProgress     *progress,
                                   GCancellable         *cancellable,
                                   GError              **error);
void        sa_fbn_run_free       (SaFbnRun             *run);

/* Writes the unrotated set first (when there is one), then the desc-FBN
 * components image, TSVs and sidecar; the sidecar is last, as in outputs.h. */
gboolean    sa_fbn_write_outputs  (const SaEmbedOutputs *outputs,
                                   SaFbnRun             *run,
                                   const SaMask         *mask,
                                   GError              **error);

/* One line for the CLI and logs: method, rotation, ICA convergence. */
char       *sa_fbn_run_describe   (const SaFbnRun       *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaFbnRun, sa_fbn_run_free)

G_END_DECLS
