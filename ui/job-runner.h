/* job-runner.h — one long engine job at a time, on a worker thread
 *
 * The worker reports through an SaProgress from its own thread; the runner
 * keeps the newest report under a lock and hands it to the main loop with
 * at most one pending idle source, so a fast loop of reports costs one
 * redraw per main-loop turn. Properties (main thread): running, fraction,
 * text (message and ETA). Cancelling (sa_job_runner_cancel, or disposing
 * the runner when its window closes) cancels the worker's GCancellable; the
 * done callback then gets G_IO_ERROR_CANCELLED or SA_ERROR_CANCELLED.
 */
#pragma once

#include <gio/gio.h>

#include "compute/progress.h"

G_BEGIN_DECLS

#define SA_TYPE_JOB_RUNNER (sa_job_runner_get_type ())
G_DECLARE_FINAL_TYPE (SaJobRunner, sa_job_runner, SA, JOB_RUNNER, GObject)

/* Runs on the worker: returns the result (freed with the job's
 * @result_free when nobody takes it) or NULL with @error set. */
typedef gpointer (*SaJobFunc) (gpointer           data,
                               const SaProgress  *progress,
                               GCancellable      *cancellable,
                               GError           **error);

SaJobRunner *sa_job_runner_new        (void);

/* Starts a job; FALSE (nothing started) while another runs. @data is the
 * worker's own (copies, not widgets), freed with @data_free. @done runs on
 * the main loop with the runner as source object. */
gboolean     sa_job_runner_start      (SaJobRunner         *self,
                                       const char          *title,
                                       SaJobFunc            func,
                                       gpointer             data,
                                       GDestroyNotify       data_free,
                                       GDestroyNotify       result_free,
                                       GAsyncReadyCallback  done,
                                       gpointer             user_data);
gpointer     sa_job_runner_finish     (SaJobRunner         *self,
                                       GAsyncResult        *result,
                                       GError             **error);
void         sa_job_runner_cancel     (SaJobRunner         *self);

gboolean     sa_job_runner_get_running  (SaJobRunner       *self);
double       sa_job_runner_get_fraction (SaJobRunner       *self);
const char  *sa_job_runner_get_text     (SaJobRunner       *self);

/* Runs @func on the main loop at idle priority, after input and redraws
 * (coalescing nothing: each call is one idle),
 * for workers that hand over intermediate results (a training epoch's
 * maps). @data is freed with @data_free after @func, or without calling
 * it when the job was cancelled meanwhile. */
void         sa_job_runner_post       (SaJobRunner         *self,
                                       GSourceFunc          func,
                                       gpointer             data,
                                       GDestroyNotify       data_free);

/* "1 min 05 s left" style; @seconds < 0 gives NULL. */
char        *sa_job_format_eta        (double               seconds);

G_END_DECLS
