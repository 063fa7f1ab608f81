/* train-job.h — training the embedding in the window, watching pairs form
 *
 * Trains Sync-ACT's embedding for the open dataset on the window's job
 * runner (a worker thread, in this process, through the engine's C API).
 * After each epoch the FBN maps (W on the data's grid), the epoch's time
 * courses (the mean over the test subjects of the run whose movie is
 * shown), their correlation with the loaded filter courses and each FBN's
 * best filter with its parametric p — provisional: no surrogate null yet —
 * replace what the window shows, keeping the selected FBN. A snapshot the
 * main loop has not taken yet is replaced by the next one, so a slow main
 * loop holds at most one. At the end the derivatives are written as
 * `syncact train` writes them, every run is paired again with the
 * surrogate null (train-save.h), and the window reloads the run, model and
 * layer it shows (sa_window_reload_results), keeping the FBN and time: it
 * ends as it would on opening the dataset after `syncact run`.
 *
 * Cancelling (the job's stop button, or closing the window) stops at the
 * next batch and writes nothing, so the derivatives on disk stay as they
 * were; the window shows them again. Once training has finished, its
 * results are saved even if the window closes meanwhile (the application
 * is held until they are).
 */
#pragma once

#include <gtk/gtk.h>

#include "compute/torch/sa-torch-embed.h"
#include "ui/window.h"

G_BEGIN_DECLS

typedef struct {
  SaTorchEmbedArch arch;    /* msa */
  int              m;       /* 64 FBNs */
  int              epochs;  /* 100 */
  guint64          seed;    /* 0 */
  const char      *device;  /* NULL: auto */
} SaTrainParams;

/* DESIGN §3's defaults. */
void      sa_train_params_init         (SaTrainParams        *params);

/* Starts training on @window's job runner; FALSE and @error when no
 * dataset with results is open, or another job is running. */
gboolean  sa_train_job_start           (SaWindow             *window,
                                        const SaTrainParams  *params,
                                        GError              **error);

/* Epoch snapshots shown so far by the running (or last) training of
 * @window; for tests and the status line. */
int       sa_train_job_get_epochs_shown (SaWindow            *window);

/* Installs win.train (Ctrl+T): the dialog asking for the parameters, then
 * sa_train_job_start. Called from the window's class_init. */
void      sa_train_job_install_action  (GtkWidgetClass       *widget_class);

G_END_DECLS
