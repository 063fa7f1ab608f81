/* results-loader.h — a dataset's SyncAct results as a workbench
 *
 * Reads DATASET/derivatives/syncact as `syncact train` / `syncact run`
 * write it (DESIGN §2.3): the FBN components NIfTI, the run's mean mixing
 * TSV, the filter activations HDF5 and the fbn2filter pairs table with its
 * labels; the run's movie (from the BIDS events) for one frame per TR; the
 * ch2better template under the maps. Loading is blocking and touches no
 * GTK, so it runs on a worker thread; the async form is what the window
 * uses.
 */
#pragma once

#include <gio/gio.h>

#include "ui/workbench.h"

G_BEGIN_DECLS

/* Width of the per-TR movie frames the loader decodes, and the most
 * memory they may take together (a long movie gets narrower frames). */
#define SA_RESULTS_FRAME_WIDTH  256
#define SA_RESULTS_FRAME_BUDGET (192.0 * 1024 * 1024)

/* TRUE when @dataset_root has SyncAct results to show (a components file
 * under derivatives/syncact). */
gboolean     sa_results_exist       (const char           *dataset_root);

/* A new workbench (no one observes it yet, so it may be built on any
 * thread). A missing or bad file is an error naming it. */
SaWorkbench *sa_results_load        (const char           *dataset_root,
                                     GCancellable         *cancellable,
                                     GError              **error);

void         sa_results_load_async  (const char           *dataset_root,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
SaWorkbench *sa_results_load_finish (GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
