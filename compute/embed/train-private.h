/* train-private.h — shared by train.c, split.c and infer.c, never public */
#pragma once

#include "compute/embed/train.h"

G_BEGIN_DECLS

/* One training window: TRs [start, start + window) of a subject's run. */
typedef struct {
  guint subject;
  guint run;
  int   start;
} Window;

/* split.c */
GRand    *sa_embed_rand          (guint64           seed,
                                  guint32           stream);
void      sa_embed_shuffle       (GRand            *rand,
                                  guint            *items,
                                  guint             n);
GArray   *sa_embed_windows       (SaEmbedSource    *source,
                                  GArray           *subjects,
                                  int               window,
                                  GError          **error);
int       sa_embed_shortest_run  (SaEmbedSource    *source,
                                  GArray           *a,
                                  GArray           *b);

/* infer.c */
gboolean  sa_embed_check_finite  (const float      *data,
                                  gsize             n,
                                  gint64            n_voxels,
                                  int               first_tr,
                                  const SaEmbedRun *run,
                                  GError          **error);
gboolean  sa_embed_torch_ok      (SaTorchStatus     status,
                                  char             *message,
                                  GError          **error);
void      sa_embed_courses_free  (gpointer          data);
float    *sa_embed_encode_run    (SaTorchEmbed     *model,
                                  SaEmbedSource    *source,
                                  guint             s,
                                  guint             r,
                                  int               m,
                                  double           *sse,
                                  double           *sst,
                                  GError          **error);
gboolean  sa_embed_infer         (SaEmbedResult    *result,
                                  SaEmbedSource    *source,
                                  GArray           *test,
                                  GCancellable     *cancellable,
                                  GError          **error);
void      sa_embed_report_epoch  (const SaEmbedOptions *options,
                                  SaTorchEmbed     *model,
                                  SaEmbedSource    *source,
                                  GArray           *test,
                                  int               epoch,
                                  double            train_loss,
                                  double            val_loss,
                                  gboolean          best);

G_END_DECLS
