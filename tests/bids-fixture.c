#include "config.h"

#include "tests/bids-fixture.h"
#include "tests/testutil.h"

char *
sa_test_make_dataset (const char *const *options)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *root = g_build_filename (dir, "ds", NULL);

  g_strv_builder_add (b, "make");
  g_strv_builder_add (b, root);
  for (int i = 0; options != NULL && options[i] != NULL; i++)
    g_strv_builder_add (b, options[i]);
  argv = g_strv_builder_end (b);
  out = sa_test_python ("tests/py/bids_ref.py", (const char *const *) argv);
  return out != NULL ? g_steal_pointer (&root) : NULL;
}

guint8 *
sa_test_reference (const char        *command,
                   const char *const *args,
                   gsize             *len)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "ref.bin", NULL);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_strv_builder_add (b, command);
  if (g_str_equal (command, "epimask"))
    g_strv_builder_add (b, path);
  for (int i = 0; args[i] != NULL; i++)
    g_strv_builder_add (b, args[i]);
  if (!g_str_equal (command, "epimask"))
    g_strv_builder_add (b, path);
  argv = g_strv_builder_end (b);
  out = sa_test_python ("tests/py/bids_ref.py", (const char *const *) argv);
  if (out == NULL)
    return NULL;
  g_assert_true (g_file_get_contents (path, &data, len, &error));
  g_assert_no_error (error);
  return (guint8 *) data;
}
