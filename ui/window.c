#include "config.h"

#include <glib/gi18n.h>

#include "ui/window.h"

struct _SaWindow {
  GtkApplicationWindow parent_instance;

  GFile     *dataset;

  GtkLabel  *subtitle;
  GtkStack  *content_stack;
  GtkWidget *movie_pane;
  GtkWidget *brain_pane;
  GtkWidget *traces_pane;
  GtkWidget *fbn_list;
};

G_DEFINE_FINAL_TYPE (SaWindow, sa_window, GTK_TYPE_APPLICATION_WINDOW)

static void
open_response (GtkNativeDialog *dialog,
               int              response,
               gpointer         user_data)
{
  SaWindow *self = SA_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      sa_window_open_dataset (self, folder);
    }
  g_object_unref (dialog);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SaWindow *self = SA_WINDOW (widget);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Open a BIDS Dataset"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                 _("_Open"), _("_Cancel"));

  g_signal_connect (chooser, "response", G_CALLBACK (open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
sa_window_dispose (GObject *object)
{
  SaWindow *self = SA_WINDOW (object);

  g_clear_object (&self->dataset);
  G_OBJECT_CLASS (sa_window_parent_class)->dispose (object);
}

static void
sa_window_class_init (SaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/syncact/SyncAct/ui/window.ui");
  gtk_widget_class_bind_template_child (widget_class, SaWindow, subtitle);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, movie_pane);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, brain_pane);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, traces_pane);
  gtk_widget_class_bind_template_child (widget_class, SaWindow, fbn_list);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
}

static void
sa_window_init (SaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SaWindow *
sa_window_new (SaApplication *app)
{
  return g_object_new (SA_TYPE_WINDOW, "application", app, NULL);
}

void
sa_window_open_dataset (SaWindow *self,
                        GFile    *folder)
{
  g_autofree char *name = NULL;

  g_return_if_fail (SA_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (folder));

  g_set_object (&self->dataset, folder);
  name = g_file_get_basename (folder);
  gtk_label_set_label (self->subtitle, name);
  gtk_stack_set_visible_child_name (self->content_stack, "workbench");
}

GFile *
sa_window_get_dataset (SaWindow *self)
{
  g_return_val_if_fail (SA_IS_WINDOW (self), NULL);
  return self->dataset;
}
