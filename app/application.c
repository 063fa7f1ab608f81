#include "config.h"

#include <glib/gi18n.h>

#include "app/application.h"
#include "ui/window.h"

struct _SaApplication {
  GtkApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (SaApplication, sa_application, GTK_TYPE_APPLICATION)

static void
sa_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  /* `syncact` alone: the demo, made on first use, so there is something
   * to look at before one has a dataset. */
  if (window == NULL)
    {
      window = GTK_WINDOW (sa_window_new (SA_APPLICATION (app)));
      sa_window_open_demo (SA_WINDOW (window), NULL);
    }
  gtk_window_present (window);
}

static void
sa_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      SaWindow *window = sa_window_new (SA_APPLICATION (app));
      sa_window_open_dataset (window, files[i]);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  const char *authors[] = { "The SyncAct developers", NULL };

  gtk_show_about_dialog (parent,
                         "program-name", "SyncAct",
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Couple the visual representations of deep networks "
                                       "with human brain function through synchronized activations."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         "website", "https://doi.org/10.1109/TETCI.2022.3174806",
                         "website-label", _("Method: Zhao et al. 2022, Sync-ACT"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { .name = "quit",  .activate = quit_activated },
  { .name = "about", .activate = about_activated },
};

static void
sa_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (sa_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
sa_application_class_init (SaApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = sa_application_activate;
  app_class->open = sa_application_open;
  app_class->startup = sa_application_startup;
}

static void
sa_application_init (SaApplication *self)
{
}

SaApplication *
sa_application_new (void)
{
  /* NON_UNIQUE: each invocation is its own process, so a second `syncact`
   * opened on another dataset never hands its work to the first. */
  return g_object_new (SA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       NULL);
}
