/* glass-view.h — the selected FBN's map as a rotatable glass brain
 *
 * Draws with GL (GtkGLArea, a depth-tested point cloud whose depth is
 * 1 − |value|, so the nearest fragment is the maximum-intensity one and keeps
 * its sign) and falls back to render/glass.c's Cairo drawing when GL cannot
 * be realized or GL is not allowed (GSK_RENDERER=cairo by default). Drag
 * rotates, the wheel zooms, a double click resets. */
#pragma once

#include <gtk/gtk.h>

#include "render/glass.h"
#include "ui/workbench.h"

G_BEGIN_DECLS

#define SA_TYPE_GLASS_VIEW (sa_glass_view_get_type ())
G_DECLARE_FINAL_TYPE (SaGlassView, sa_glass_view, SA, GLASS_VIEW, GtkWidget)

GtkWidget *sa_glass_view_new           (void);
void       sa_glass_view_set_workbench (SaGlassView *self,
                                        SaWorkbench *workbench);
/* Back to the front view at zoom 1. */
void       sa_glass_view_reset         (SaGlassView *self);
/* Whether the GL area is the one drawing now. */
gboolean   sa_glass_view_get_using_gl  (SaGlassView *self);
/* The parameters the view draws with, and its point set (NULL before data). */
const SaGlassParams *sa_glass_view_get_params (SaGlassView *self);
const SaGlass       *sa_glass_view_get_glass  (SaGlassView *self);

G_END_DECLS
