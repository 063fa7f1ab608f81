/* filter-list.h — the filters with their best FBN (filter → FBN), sortable
 *
 * The filter → FBN direction's counterpart of the FBN list: one row per
 * filter of the layer with its label, its best FBN, r and a significance
 * badge. Choosing a row selects the filter, and through it its FBN, in the
 * workbench; the row follows the workbench's selected filter.
 */
#pragma once

#include <gtk/gtk.h>

#include "ui/workbench.h"

G_BEGIN_DECLS

#define SA_TYPE_FILTER_LIST (sa_filter_list_get_type ())
G_DECLARE_FINAL_TYPE (SaFilterList, sa_filter_list, SA, FILTER_LIST, GtkBox)

GtkWidget *sa_filter_list_new           (void);
void       sa_filter_list_set_workbench (SaFilterList *self,
                                         SaWorkbench  *workbench);
/* Rows as shown (after sorting). */
guint      sa_filter_list_get_n_rows    (SaFilterList *self);
/* Filter index of the row at display @position, or -1. */
int        sa_filter_list_get_filter_at (SaFilterList *self,
                                         guint         position);
/* Display position of the selected row, or GTK_INVALID_LIST_POSITION. */
guint      sa_filter_list_get_selected  (SaFilterList *self);
/* What choosing the row at display @position does (click, Enter). */
void       sa_filter_list_activate_row  (SaFilterList *self,
                                         guint         position);
/* Sort by a column ("filter", "fbn", "r", "significant"). */
void       sa_filter_list_sort_by       (SaFilterList *self,
                                         const char   *column,
                                         gboolean      descending);

G_END_DECLS
