/* main.c — syncact: a subcommand runs headless, no subcommand opens the window */
#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <stdlib.h>

#include "app/application.h"
#include "app/cli.h"

/* Translations come from LOCALEDIR once installed. Run from the build tree
 * (build/app/syncact, as the tests and developers do), the catalogs meson just
 * compiled under build/po are the right ones, so an uninstalled run is
 * translated too. SYNCACT_LOCALEDIR overrides both. */
static char *
find_locale_dir (void)
{
  const char *env = g_getenv ("SYNCACT_LOCALEDIR");
  if (env != NULL && *env != '\0')
    return g_strdup (env);

  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = exe ? g_path_get_dirname (exe) : NULL;
  /* realpath: /proc/self/exe is resolved, BUILD_ROOT may hold symlinks. */
  g_autofree char *build_app = realpath (BUILD_ROOT "/app", NULL);
  if (exe_dir != NULL && build_app != NULL && g_str_equal (exe_dir, build_app))
    return g_build_filename (BUILD_ROOT, "po", NULL);
  return g_strdup (LOCALEDIR);
}

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
  /* A LANG naming a locale this machine lacks (zh_CN.UTF-8 without the
   * locales package) would leave us in "C", where gettext ignores LANGUAGE:
   * C.UTF-8 keeps the text UTF-8 and LANGUAGE working. GTK must then leave
   * the locale alone, or gtk_init would fall back to "C" again. */
  if (setlocale (LC_ALL, "") == NULL)
    setlocale (LC_ALL, "C.UTF-8");
  gtk_disable_setlocale ();
  g_autofree char *locale_dir = find_locale_dir ();
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
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
