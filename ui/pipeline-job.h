/* pipeline-job.h — results for a dataset that has none, as a window job
 *
 * Runs the engine's own commands as child processes: `syncact demo` into
 * the user cache folder for the first start, then `syncact run` (train
 * with --arch ica, extract with builtin:democnn, pair) when the dataset
 * has no derivatives yet. A child process gives a clean cancel (it is
 * killed, and the commands write their outputs atomically, so nothing
 * half-written is left) and keeps a crash in the engine out of the window.
 * Progress comes from the commands' plain progress lines.
 */
#pragma once

#include <gio/gio.h>

#include "compute/progress.h"

G_BEGIN_DECLS

typedef struct {
  char *exe;        /* the syncact executable */
  char *dataset;    /* NULL: the demo, in @cache_dir/syncact/demo */
  char *cache_dir;  /* NULL: g_get_user_cache_dir () */
  char *model;      /* NULL: builtin:democnn */
  char *layer;      /* NULL: conv3, where the demo plants its networks */
  char *arch;       /* NULL: ica */
} SaPipelineRequest;

SaPipelineRequest *sa_pipeline_request_new  (const char *dataset);
void               sa_pipeline_request_free (SaPipelineRequest *request);

/* The syncact executable: $SYNCACT_EXE, else this process's own. */
char              *sa_pipeline_find_exe     (void);

/* An SaJobFunc: makes the demo when asked, runs the pipeline when the
 * dataset has no results, returns the dataset root (g_free). */
gpointer           sa_pipeline_job          (gpointer            request,
                                             const SaProgress   *progress,
                                             GCancellable       *cancellable,
                                             GError            **error);

/* Fraction of one progress line of `syncact run`: "run: 40% …" (its one
 * bar, piped) is the share of the whole run, and from then on the only
 * fraction; otherwise "[2/5] …" sets the stage, "title: 40%" the share of
 * it. FALSE when the line has none. @stage/@n_stages carry the state
 * across lines (start both at 0). */
gboolean           sa_pipeline_parse_line   (const char         *line,
                                             int                *stage,
                                             int                *n_stages,
                                             double             *fraction);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaPipelineRequest, sa_pipeline_request_free)

G_END_DECLS
