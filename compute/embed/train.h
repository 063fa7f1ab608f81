/* train.h — training Sync-ACT's fMRI embedding and running it on test subjects
 *
 * Subjects are split 60/10/30 into train/validation/test, shuffled by the
 * seed (or listed by the caller). Training runs are cut into windows of a
 * fixed length, shuffled each epoch by (seed, epoch), batched; the
 * validation loss is computed after each epoch and the weights with the
 * lowest one are kept. Each epoch ends with a checkpoint (written
 * atomically); a run resumed from it reaches the weights an uninterrupted
 * run with the same seed reaches. Test subjects' whole runs are then encoded:
 * their FBN time courses and the mean over subjects per run key.
 */
#pragma once

#include <gio/gio.h>

#include "compute/embed/source.h"
#include "compute/progress.h"
#include "compute/torch/sa-torch-embed.h"

G_BEGIN_DECLS

typedef struct {
  int     epoch;          /* 1-based, just finished */
  int     epochs;
  double  train_loss;
  double  val_loss;
  gboolean best;          /* this epoch has the lowest validation loss so far */
  gint64  n_voxels;
  int     m;
  float  *w;              /* n_voxels × m; the receiver owns it (g_free) */
  float  *l;              /* l_t × m, owned (g_free): see SaEmbedOptions.epoch_run_key */
  int     l_t;
  const char *run_key;    /* the run @l is of (borrowed, valid during the call) */
  int     l_subjects;     /* how many test subjects @l is the mean of */
} SaEmbedEpoch;

typedef void (*SaEmbedEpochFunc) (const SaEmbedEpoch *epoch,
                                  gpointer            user_data);

typedef struct {
  int               m;              /* 64 */
  SaTorchEmbedArch  arch;           /* msa */
  int               heads;          /* 4 */
  int               epochs;         /* 100 */
  int               window;         /* TRs per training window; 0 = the shortest run */
  int               batch;          /* 16 */
  double            lr;             /* 0.01 */
  double            l1;             /* 0 */
  guint64           seed;           /* 0 */
  const char       *device;         /* NULL = auto */
  /* Explicit split (NULL-terminated subject names); all NULL = from the seed. */
  const char *const *train_subjects;
  const char *const *val_subjects;
  const char *const *test_subjects;
  const char       *checkpoint;     /* file; NULL = none */
  gboolean          resume;         /* continue from @checkpoint when it exists */
  SaEmbedEpochFunc  epoch_func;
  gpointer          epoch_data;
  /* The run whose L epoch_func gets: the mean over the test subjects that
   * have this run key (over the shortest of their lengths, as the final
   * means); NULL, or a key no test subject has: the first test subject's
   * first run alone. */
  const char       *epoch_run_key;
} SaEmbedOptions;

typedef struct {
  char   *subject;        /* NULL for the mean over test subjects */
  char   *run_key;
  int     n_timepoints;
  float  *l;              /* n_timepoints × m */
} SaEmbedCourses;

typedef struct {
  gint64        n_voxels;
  int           m;
  SaTorchEmbedArch arch;
  int           window;
  float        *w;            /* n_voxels × m, the best-on-validation weights */
  int           epochs_run;   /* total, counting those before a resume */
  int           resumed_from; /* epochs already done when resumed; 0 otherwise */
  int           best_epoch;
  double        best_val_loss;
  GArray       *train_loss;   /* double, one per epoch */
  GArray       *val_loss;
  GPtrArray    *train;        /* char*, subject names */
  GPtrArray    *val;
  GPtrArray    *test;
  GPtrArray    *courses;      /* SaEmbedCourses*: each test subject's runs, then means */
  double        test_r2;      /* reconstruction R² over the test subjects' runs */
  char         *device;
  SaTorchEmbed *model;        /* holding the best weights */
} SaEmbedResult;

void           sa_embed_options_init       (SaEmbedOptions   *options);
const char    *sa_embed_arch_name          (SaTorchEmbedArch  arch);
gboolean       sa_embed_arch_parse         (const char       *name,
                                            SaTorchEmbedArch *arch);

/* Subject indices for each part, from the seed: 60/10/30, at least one
 * subject in each (so at least 3 subjects). */
gboolean       sa_embed_split              (SaEmbedSource    *source,
                                            const SaEmbedOptions *options,
                                            GArray          **train,
                                            GArray          **val,
                                            GArray          **test,
                                            GError          **error);

SaEmbedResult *sa_embed_train              (SaEmbedSource    *source,
                                            const SaEmbedOptions *options,
                                            const SaProgress *progress,
                                            GCancellable     *cancellable,
                                            GError          **error);
void           sa_embed_result_free        (SaEmbedResult    *result);

/* Mean over test subjects for @run_key (NULL: the first), or NULL. */
const SaEmbedCourses *sa_embed_result_mean (SaEmbedResult    *result,
                                            const char       *run_key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaEmbedResult, sa_embed_result_free)

G_END_DECLS
