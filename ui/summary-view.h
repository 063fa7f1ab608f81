/* summary-view.h — the results table: mean r per model × layer × run
 *
 * summary.tsv (DESIGN §2.3) as a read-only column view, one row per model ×
 * layer × run × direction, the paper's Tables 1, 3 and 8. Activating a row
 * (double click, Enter) emits ::row-activated with its model, layer and
 * run, which the window shows.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SA_TYPE_SUMMARY_VIEW (sa_summary_view_get_type ())
G_DECLARE_FINAL_TYPE (SaSummaryView, sa_summary_view, SA, SUMMARY_VIEW, GtkBox)

/* The columns shown, in order; any the file lacks are left out. */
extern const char *const sa_summary_view_columns[];

/* A view of @path's rows, or NULL with @error naming the file. */
GtkWidget  *sa_summary_view_new        (const char    *path,
                                        GError       **error);
guint       sa_summary_view_get_n_rows (SaSummaryView *self);
/* The text shown in @row's @column ("mean_r", …): numbers rounded to three
 * decimals; NULL when the file has no such column. */
char       *sa_summary_view_dup_cell   (SaSummaryView *self,
                                        guint          row,
                                        const char    *column);
GtkColumnView *sa_summary_view_get_column_view (SaSummaryView *self);

G_END_DECLS
