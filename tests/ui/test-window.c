#include "config.h"

#include <gtk/gtk.h>

#include "app/application.h"
#include "ui/window.h"

static void
wait_for_draw (GtkWidget *widget)
{
  gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end && !gtk_widget_get_mapped (widget))
    g_main_context_iteration (NULL, FALSE);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_window_structure (void)
{
  g_autoptr(SaApplication) app = sa_application_new ();
  g_autoptr(GError) error = NULL;
  SaWindow *window;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  window = sa_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_draw (GTK_WIDGET (window));

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "SyncAct");
  g_assert_null (sa_window_get_dataset (window));

  /* Opening a folder switches to the workbench and shows its name. */
  g_autoptr(GFile) folder = g_file_new_for_path (g_get_tmp_dir ());
  sa_window_open_dataset (window, folder);
  g_assert_true (g_file_equal (sa_window_get_dataset (window), folder));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Xvfb has no session bus; GtkApplication warns about it and carries on. */
static gboolean
ignore_no_bus (const char     *log_domain,
               GLogLevelFlags  log_level,
               const char     *message,
               gpointer        user_data)
{
  return strstr (message, "session bus") == NULL;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (ignore_no_bus, NULL);
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }
  g_test_add_func ("/ui/window/structure", test_window_structure);
  return g_test_run ();
}
