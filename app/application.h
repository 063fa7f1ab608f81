/* application.h — the GtkApplication: one window per dataset */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SA_TYPE_APPLICATION (sa_application_get_type ())
G_DECLARE_FINAL_TYPE (SaApplication, sa_application, SA, APPLICATION, GtkApplication)

SaApplication *sa_application_new (void);

G_END_DECLS
