#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "tests/testutil.h"

static GPtrArray *tmpdirs;

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) en =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (en != NULL)
    {
      GFileInfo *info;
      while ((info = g_file_enumerator_next_file (en, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));
          remove_tree (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

static void
remove_tmpdirs (void)
{
  if (g_getenv ("SYNCACT_KEEP_TMP") != NULL)
    return;
  for (guint i = 0; tmpdirs != NULL && i < tmpdirs->len; i++)
    {
      g_autoptr(GFile) f = g_file_new_for_path (g_ptr_array_index (tmpdirs, i));
      remove_tree (f);
    }
}

char *
sa_test_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("syncact-test-XXXXXX", &error);

  g_assert_no_error (error);
  if (tmpdirs == NULL)
    {
      tmpdirs = g_ptr_array_new_with_free_func (g_free);
      atexit (remove_tmpdirs);
    }
  g_ptr_array_add (tmpdirs, g_strdup (dir));
  return dir;
}

char *
sa_test_source_path (const char *relative)
{
  const char *root = g_getenv ("SYNCACT_SOURCE_ROOT");
  return g_build_filename (root ? root : SOURCE_ROOT, relative, NULL);
}

char *
sa_test_python (const char         *script,
                const char *const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  /* The oracles (nibabel, scipy, torch) are Debian's packages: use Debian's
   * interpreter even when another python3 comes first on PATH. */
  g_ptr_array_add (args, g_strdup (g_getenv ("SYNCACT_PYTHON") ? g_getenv ("SYNCACT_PYTHON")
                                                               : "/usr/bin/python3"));
  g_ptr_array_add (args, sa_test_source_path (script));
  for (int i = 0; argv != NULL && argv[i] != NULL; i++)
    g_ptr_array_add (args, g_strdup (argv[i]));
  g_ptr_array_add (args, NULL);

  if (!g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_SEARCH_PATH,
                     NULL, NULL, &out, &err, &status, &error))
    {
      g_test_skip_printf ("python3 not runnable: %s", error->message);
      return NULL;
    }
  if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
    {
      g_test_skip_printf ("%s: %s", script, err);
      return NULL;
    }
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", script, error->message, err);
  return g_steal_pointer (&out);
}

int
sa_test_run_syncact (const char *const *argv,
                     char              **out,
                     char              **err)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *exe = g_getenv ("SYNCACT_EXE");
  int status = 0;

  g_assert_nonnull (exe);
  g_ptr_array_add (args, (gpointer) exe);
  for (int i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  if (!g_spawn_sync (NULL, (char **) args->pdata, NULL, 0, NULL, NULL,
                     out, err, &status, &error))
    g_error ("cannot run %s: %s", exe, error->message);
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 128 + (WIFSIGNALED (status) ? WTERMSIG (status) : 0);
}
