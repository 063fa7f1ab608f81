/* summary-view.h — the results table: mean r per model × layer × run
 *
 * summary.tsv (DESIGN §2.3) as a read-only grid, one row per model ×
 * layer × run × direction, the paper's Tables 1, 3 and 8.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The columns shown, in order; any the file lacks are left out. */
extern const char *const sa_summary_view_columns[];

/* A scrolled grid of @path's rows, or NULL with @error naming the file. */
GtkWidget *sa_summary_view_new (const char  *path,
                                GError     **error);

G_END_DECLS
