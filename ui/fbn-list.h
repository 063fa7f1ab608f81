/* fbn-list.h — the FBNs with their best r and significance, sortable */
#pragma once

#include <gtk/gtk.h>

#include "ui/workbench.h"

G_BEGIN_DECLS

#define SA_TYPE_FBN_LIST (sa_fbn_list_get_type ())
G_DECLARE_FINAL_TYPE (SaFbnList, sa_fbn_list, SA, FBN_LIST, GtkBox)

GtkWidget *sa_fbn_list_new           (void);
void       sa_fbn_list_set_workbench (SaFbnList   *self,
                                      SaWorkbench *workbench);
/* Rows as shown (after sorting). */
guint      sa_fbn_list_get_n_rows    (SaFbnList   *self);
/* FBN index of the row at display @position, or -1. */
int        sa_fbn_list_get_fbn_at    (SaFbnList   *self,
                                      guint        position);
/* Display position of the selected row, or GTK_INVALID_LIST_POSITION. */
guint      sa_fbn_list_get_selected  (SaFbnList   *self);
/* Sort by a column ("fbn", "filter", "r", "significant"). */
void       sa_fbn_list_sort_by       (SaFbnList   *self,
                                      const char  *column,
                                      gboolean     descending);

G_END_DECLS
