/* style-util.h — render/ styles that follow the widget's theme */
#pragma once

#include <gtk/gtk.h>

#include "render/style.h"

G_BEGIN_DECLS

/* Screen style; dark when the widget's text colour is light. */
void sa_ui_render_style (GtkWidget     *widget,
                         SaRenderStyle *style);

G_END_DECLS
