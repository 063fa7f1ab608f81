/* checkpoint.h — the trainer's state after an epoch, in one file
 *
 * A line of magic, a JSON header (settings that a resume must match, epochs
 * done, losses, best epoch, blob size), then the model's opaque libtorch
 * state: current weights, Adam's moments and the best-on-validation weights. Written to a temporary name and renamed, so a run killed while
 * saving leaves the previous checkpoint intact.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char   *settings;      /* what must match to resume */
  int     epochs_done;
  GArray *train_loss;    /* double */
  GArray *val_loss;      /* double */
  int     best_epoch;    /* 0 = none yet */
  double  best_val_loss;
  GBytes *state;
} SaEmbedCheckpoint;

SaEmbedCheckpoint *sa_embed_checkpoint_new  (void);
gboolean           sa_embed_checkpoint_save (const SaEmbedCheckpoint *checkpoint,
                                             const char              *path,
                                             GError                 **error);
SaEmbedCheckpoint *sa_embed_checkpoint_load (const char              *path,
                                             GError                 **error);
void               sa_embed_checkpoint_free (SaEmbedCheckpoint       *checkpoint);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaEmbedCheckpoint, sa_embed_checkpoint_free)

G_END_DECLS
