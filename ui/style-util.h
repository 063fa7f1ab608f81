/* style-util.h — render/ styles that follow the widget's theme */
#pragma once

#include <gtk/gtk.h>

#include "render/style.h"

G_BEGIN_DECLS

/* Screen style; dark when the widget's text colour is light. */
void sa_ui_render_style (GtkWidget     *widget,
                         SaRenderStyle *style);

/* Setters that leave an unchanged widget alone. GTK 4.8's list factories
 * rebind a row on every selection change, and each tooltip set asks the X
 * server where the pointer is (a round trip): 14 % of an FBN selection's
 * CPU time before this. */
void sa_ui_set_tooltip_text (GtkWidget  *widget,
                             const char *text);
void sa_ui_set_css_class    (GtkWidget  *widget,
                             const char *css_class,
                             gboolean    on);

/* Selects @position (GTK_INVALID_LIST_POSITION: none) in @selection with
 * *@syncing TRUE meanwhile, so the list's own selection handler does not
 * echo it back to the workbench, and scrolls @view to it when shown (the
 * row was chosen by another pane). Nothing when already selected. */
void sa_ui_column_view_select (GtkColumnView      *view,
                               GtkSingleSelection *selection,
                               guint               position,
                               gboolean           *syncing);

G_END_DECLS
