#include "config.h"

#include <glib.h>

#include "tests/testutil.h"

static void
test_version (void)
{
  g_autofree char *out = NULL;
  const char *argv[] = { "--version", NULL };

  g_assert_cmpint (sa_test_run_syncact (argv, &out, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "syncact " PACKAGE_VERSION "\n"));
  g_assert_nonnull (strstr (out, "libtorch 1."));
}

static void
test_help_lists_commands (void)
{
  g_autofree char *out = NULL;
  const char *argv[] = { "help", NULL };

  g_assert_cmpint (sa_test_run_syncact (argv, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Usage: syncact"));
  g_assert_nonnull (strstr (out, "version"));
}

static void
test_unknown_command (void)
{
  g_autofree char *err = NULL;
  const char *argv[] = { "frobnicate", NULL };

  g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "unknown command “frobnicate”"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/help", test_help_lists_commands);
  g_test_add_func ("/cli/unknown-command", test_unknown_command);
  return g_test_run ();
}
