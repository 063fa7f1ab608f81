/* results-selector.h — drop-downs choosing the run, model, layer and FBN
 * set the window shows
 *
 * Lists what a results index holds; changing one value picks the closest
 * combination that exists (sa_results_index_nearest) and emits ::changed
 * once; the window then reloads off the main thread. The FBN-set drop-down
 * shows only when there are several sets; a drop-down with one value is
 * insensitive.
 */
#pragma once

#include <gtk/gtk.h>

#include "ui/results-loader.h"

G_BEGIN_DECLS

#define SA_TYPE_RESULTS_SELECTOR (sa_results_selector_get_type ())
G_DECLARE_FINAL_TYPE (SaResultsSelector, sa_results_selector, SA, RESULTS_SELECTOR, GtkBox)

GtkWidget       *sa_results_selector_new        (void);

/* Takes @index (NULL: nothing to choose, hidden) and shows @fbn_set and
 * @entry (both in @index) as chosen, without emitting ::changed. */
void             sa_results_selector_set_index  (SaResultsSelector    *self,
                                                 SaResultsIndex       *index,
                                                 const SaFbnSet       *fbn_set,
                                                 const SaResultsEntry *entry);
const SaResultsIndex *sa_results_selector_get_index (SaResultsSelector *self);

/* Shows @choice again (after a failed switch), without ::changed. */
void             sa_results_selector_show       (SaResultsSelector     *self,
                                                 const SaResultsChoice *choice);

/* The combination shown now, with the index's dataset as root; NULL when
 * there is no index. */
SaResultsChoice *sa_results_selector_get_choice (SaResultsSelector    *self);

/* Chooses a combination as written in summary.tsv (model "builtin:democnn"
 * or "democnn", layer "features.10" or "features10", run "task-movie_run-1"
 * or "1"); emits ::changed when it differs from the shown one. FALSE when
 * the index has no such combination. */
gboolean         sa_results_selector_select     (SaResultsSelector    *self,
                                                 const char           *model,
                                                 const char           *layer,
                                                 const char           *run);

/* The drop-downs, for tests and accessibility checks: "fbn-set", "run",
 * "model" or "layer". */
GtkDropDown     *sa_results_selector_get_dropdown (SaResultsSelector  *self,
                                                   const char         *key);

G_END_DECLS
