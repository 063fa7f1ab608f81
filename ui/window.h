/* window.h — the main window: movie, brain and traces on one time cursor */
#pragma once

#include <gtk/gtk.h>

#include "app/application.h"
#include "ui/figure-export.h"
#include "ui/job-runner.h"
#include "ui/workbench.h"

G_BEGIN_DECLS

#define SA_TYPE_WINDOW (sa_window_get_type ())
G_DECLARE_FINAL_TYPE (SaWindow, sa_window, SA, WINDOW, GtkApplicationWindow)

SaWindow    *sa_window_new           (SaApplication *app);
void         sa_window_open_dataset  (SaWindow      *self,
                                      GFile         *folder);
/* The built-in demo: generated into @cache_dir/syncact/demo (NULL: the
 * user cache folder) on first use, its results computed, then shown. */
void         sa_window_open_demo     (SaWindow      *self,
                                      const char    *cache_dir);
/* The dataset folder shown, or NULL. */
/* Reloads the shown run, model and layer from disk, off the main thread
 * (emits ::dataset-loaded when done). */
void         sa_window_reload_results (SaWindow *self);
/* The run/model/layer drop-downs (a SaResultsSelector). */
GtkWidget   *sa_window_get_results_selector (SaWindow *self);
GFile       *sa_window_get_dataset   (SaWindow      *self);

/* The results every pane shows; setting one switches to the workbench. */
SaWorkbench *sa_window_get_workbench (SaWindow      *self);
void         sa_window_set_workbench (SaWindow      *self,
                                      SaWorkbench   *workbench);
gboolean     sa_window_get_playing   (SaWindow      *self);
/* Runs the window's engine work (loading, the pipeline); cancelled when
 * the window closes. Emits ::dataset-loaded (gboolean ok) after each open. */
SaJobRunner *sa_window_get_job_runner (SaWindow     *self);

/* The line under the title: the dataset, or what a job is doing;
 * @tooltip (or NULL) says more. */
void         sa_window_set_subtitle   (SaWindow     *self,
                                       const char   *text,
                                       const char   *tooltip);

/* The results table (summary.tsv) in a window of its own; NULL and
 * @error naming the file when there is none. */
GtkWidget   *sa_window_show_summary  (SaWindow      *self,
                                      GError       **error);

/* What Ctrl+E's dialog does once a file is chosen: the figure at a
 * journal's double-column width (183 mm), 300 dpi for PNG. */
gboolean     sa_window_export        (SaWindow      *self,
                                      SaExportKind   kind,
                                      const char    *path,
                                      GError       **error);

G_END_DECLS
