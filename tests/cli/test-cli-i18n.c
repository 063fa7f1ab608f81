/* test-cli-i18n.c — syncact speaks Simplified Chinese from the build tree */
#include "config.h"

#include <glib.h>
#include <string.h>
#include <sys/wait.h>

#include "tests/testutil.h"

/* Runs syncact with LANGUAGE (NULL: unset) in a UTF-8 locale that exists on
 * every Debian machine; gettext honours LANGUAGE in any locale but "C". */
static int
run_in (const char        *language,
        const char        *locale_dir,
        const char *const *argv,
        char             **out,
        char             **err)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *exe = g_getenv ("SYNCACT_EXE");
  int status = 0;

  g_assert_nonnull (exe);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_unsetenv (env, "LANG");
  env = language ? g_environ_setenv (env, "LANGUAGE", language, TRUE)
                 : g_environ_unsetenv (env, "LANGUAGE");
  env = locale_dir ? g_environ_setenv (env, "SYNCACT_LOCALEDIR", locale_dir, TRUE)
                   : g_environ_unsetenv (env, "SYNCACT_LOCALEDIR");
  g_ptr_array_add (args, (gpointer) exe);
  for (int i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  if (!g_spawn_sync (NULL, (char **) args->pdata, env, 0, NULL, NULL,
                     out, err, &status, &error))
    g_error ("cannot run %s: %s", exe, error->message);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

static void
test_help (void)
{
  const char *argv[] = { "help", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *en_out = NULL, *en_err = NULL;

  g_assert_cmpint (run_in ("zh_CN", NULL, argv, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "用法：syncact [COMMAND] [OPTIONS…]"));
  g_assert_nonnull (strstr (out, "命令："));
  /* The command table's N_() summaries are translated where printed. */
  g_assert_nonnull (strstr (out, "显示此帮助"));
  g_assert_null (strstr (out, "Usage:"));

  g_assert_cmpint (run_in (NULL, NULL, argv, &en_out, &en_err), ==, 0);
  g_assert_nonnull (strstr (en_out, "Usage: syncact"));
  g_assert_null (strstr (en_out, "用法"));
}

static void
test_options_and_errors (void)
{
  const char *help[] = { "info", "--help", NULL };
  const char *missing[] = { "info", "/nonexistent/syncact-i18n.nii.gz", NULL };
  const char *unknown[] = { "no-such-command", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_autofree char *out3 = NULL, *err3 = NULL;

  /* GOption descriptions go through the syncact domain too. */
  g_assert_cmpint (run_in ("zh_CN", NULL, help, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "每个路径输出一个 JSON 对象"));

  /* An error keeps the file name and gains a Chinese reason. */
  g_assert_cmpint (run_in ("zh_CN", NULL, missing, &out2, &err2), !=, 0);
  g_assert_nonnull (strstr (err2, "/nonexistent/syncact-i18n.nii.gz"));
  g_assert_nonnull (strstr (err2, "没有此文件或文件夹"));

  g_assert_cmpint (run_in ("zh_CN", NULL, unknown, &out3, &err3), !=, 0);
  g_assert_nonnull (strstr (err3, "未知命令“no-such-command”"));
}

static void
test_info_columns (void)
{
  g_autofree char *nii = g_build_filename (MRICRON_TEMPLATES, "ch2better.nii.gz", NULL);
  const char *argv[] = { "info", nii, NULL };
  g_autofree char *out = NULL, *err = NULL;

  if (!g_file_test (nii, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no ch2better template (mricron-data)");
      return;
    }
  /* Labels are padded by screen cells, not bytes: a two-character Chinese
   * label (four cells) and "TR" both put their value in column 17. */
  g_assert_cmpint (run_in ("zh_CN", NULL, argv, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\n  格式          NIfTI-1\n"));
  g_assert_nonnull (strstr (out, "\n  TR            无（不是时间序列）\n"));
  g_assert_nonnull (strstr (out, "\n  体素大小      0.5 × 0.5 × 0.5 mm\n"));
}

static void
test_locale_dir_override (void)
{
  const char *argv[] = { "help", NULL };
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *out = NULL, *err = NULL;

  /* SYNCACT_LOCALEDIR wins over the build tree: an empty folder has no
   * catalog, so the English text comes back. */
  g_assert_cmpint (run_in ("zh_CN", dir, argv, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Usage: syncact"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/i18n/help", test_help);
  g_test_add_func ("/cli/i18n/options-and-errors", test_options_and_errors);
  g_test_add_func ("/cli/i18n/info-columns", test_info_columns);
  g_test_add_func ("/cli/i18n/locale-dir-override", test_locale_dir_override);
  return g_test_run ();
}
