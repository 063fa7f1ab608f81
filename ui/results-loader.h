/* results-loader.h — a dataset's SyncAct results as a workbench
 *
 * Reads one (FBN set, run, model, layer) combination of
 * DATASET/derivatives/syncact, as ui/results-index.h lists them (DESIGN
 * §2.3): the FBN components NIfTI, the run's mean mixing TSV, the filter
 * activations HDF5 and the fbn2filter pairs table with its labels; the
 * run's movie (from the BIDS events) for its frames; the ch2better template
 * under the maps. Loading is blocking and touches no GTK, so the window runs
 * it on its job runner's worker (ui/window.c load_job). The window and
 * `syncact figure` both load through here.
 */
#pragma once

#include <gio/gio.h>

#include "ui/results-index.h"
#include "ui/workbench.h"

G_BEGIN_DECLS

/* Width of the per-TR movie frames the loader decodes, and the most
 * memory they may take together (a long movie gets narrower frames). */
#define SA_RESULTS_FRAME_WIDTH  256
#define SA_RESULTS_FRAME_BUDGET (192.0 * 1024 * 1024)

typedef enum {
  SA_RESULTS_LOAD_DEFAULT = 0,
  SA_RESULTS_LOAD_FRAMES  = 1 << 0,   /* decode one movie frame per TR */
  SA_RESULTS_LOAD_NO_ANATOMY = 1 << 1, /* no template (traces, heat map, frames) */
} SaResultsLoadFlags;

/* What to load; NULL members pick the default (sa_results_index_get_default,
 * the "FBN" set). @root is the dataset, for the job that loads it. @shown,
 * when set (a reference), is the workbench of the same dataset shown now:
 * its template is reused rather than read again (the worker only reads it;
 * nothing replaces a shown workbench's data). */
typedef struct {
  char        *root;
  char        *fbn_set;
  char        *run;
  char        *model;
  char        *layer;
  SaWorkbench *shown;
} SaResultsChoice;

typedef struct {
  SaResultsIndex       *index;
  SaWorkbench          *workbench;
  const SaFbnSet       *fbn_set;  /* in @index: what was loaded */
  const SaResultsEntry *entry;
} SaResults;

/* TRUE when @dataset_root has SyncAct results to show (FBN components and
 * activations under derivatives/syncact). */
gboolean     sa_results_exist       (const char            *dataset_root);

/* The chosen combination as a new workbench (no one observes it yet, so it
 * may be built on any thread). The workbench's movie path is set when the
 * dataset names the run's movie. A missing or bad file is an error naming
 * it; an unknown run, model or layer an error listing what exists. */
SaResults   *sa_results_open        (const char            *dataset_root,
                                     const SaResultsChoice *choice,
                                     SaResultsLoadFlags     flags,
                                     GCancellable          *cancellable,
                                     GError               **error);
void         sa_results_free        (SaResults             *results);

/* The default combination with its frames. */
SaWorkbench *sa_results_load        (const char            *dataset_root,
                                     GCancellable          *cancellable,
                                     GError               **error);

/* Fills @wb from result files: FBN maps (4D NIfTI), the FBN time courses
 * (TSV, one column per FBN), the filter activations (HDF5 /activations
 * [T × K]), the pairs table (NULL: each FBN's argmax filter with its
 * parametric p) and the template (NULL: ch2better; none with
 * SA_RESULTS_LOAD_NO_ANATOMY). @tr ≤ 0 takes the activations' tr
 * attribute. */
gboolean     sa_results_fill        (SaWorkbench           *wb,
                                     SaResultsLoadFlags     flags,
                                     const char            *maps_path,
                                     const char            *mixing_path,
                                     const char            *acts_path,
                                     const char            *pairs_path,
                                     const char            *template_path,
                                     double                 tr,
                                     GCancellable          *cancellable,
                                     GError               **error);

/* Decodes only the @n_top frames where @filter is most active (figures
 * need no more) and sets @movie_path as the workbench's movie. */
gboolean     sa_results_load_top_frames (SaWorkbench       *wb,
                                         const char        *movie_path,
                                         int                filter,
                                         int                n_top,
                                         GError           **error);

SaResultsChoice *sa_results_choice_new  (const char      *root,
                                         const char      *fbn_set,
                                         const char      *run,
                                         const char      *model,
                                         const char      *layer);
void             sa_results_choice_free (SaResultsChoice *choice);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaResults, sa_results_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaResultsChoice, sa_results_choice_free)

G_END_DECLS
