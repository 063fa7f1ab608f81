/* main.c — syncact: a subcommand runs headless, no subcommand opens the window */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "app/application.h"
#include "app/cli.h"

static gboolean
is_gui_invocation (int argc, char **argv)
{
  if (argc < 2)
    return TRUE;
  if (g_str_equal (argv[1], "gui"))
    return TRUE;
  /* "syncact DATASET" opens the window on a dataset folder. */
  if (argv[1][0] != '-' && sa_cli_find (argv[1]) == NULL &&
      g_file_test (argv[1], G_FILE_TEST_IS_DIR))
    return TRUE;
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!is_gui_invocation (argc, argv))
    return sa_cli_run (argc, argv);

  g_autoptr(SaApplication) app = sa_application_new ();
  /* Drop a leading "gui" so GApplication sees only files. */
  if (argc >= 2 && g_str_equal (argv[1], "gui"))
    {
      argv[1] = argv[0];
      return g_application_run (G_APPLICATION (app), argc - 1, argv + 1);
    }
  return g_application_run (G_APPLICATION (app), argc, argv);
}
