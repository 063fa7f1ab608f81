/* window.h — the main window: movie, brain and traces on one time cursor */
#pragma once

#include <gtk/gtk.h>

#include "app/application.h"

G_BEGIN_DECLS

#define SA_TYPE_WINDOW (sa_window_get_type ())
G_DECLARE_FINAL_TYPE (SaWindow, sa_window, SA, WINDOW, GtkApplicationWindow)

SaWindow *sa_window_new          (SaApplication *app);
void      sa_window_open_dataset (SaWindow      *self,
                                  GFile         *folder);
/* The dataset folder shown, or NULL. */
GFile    *sa_window_get_dataset  (SaWindow      *self);

G_END_DECLS
