#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "app/cli.h"
#include "app/info.h"
#include "compute/error.h"

static gboolean
is_nifti_name (const char *path)
{
  return g_str_has_suffix (path, ".nii") || g_str_has_suffix (path, ".nii.gz");
}

/* Indents and pads a report label to @columns terminal cells. printf's %-13s
 * counts bytes, which misaligns translated labels (a CJK character is three
 * bytes wide in UTF-8 but two cells on screen). */
void
sa_info_append_label (GString    *out,
                      const char *label,
                      int         columns)
{
  int used = 0;

  for (const char *c = label; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);
      if (!g_unichar_iszerowidth (u))
        used += g_unichar_iswide (u) ? 2 : 1;
    }
  g_string_append (out, "  ");
  g_string_append (out, label);
  for (int i = used; i < columns; i++)
    g_string_append_c (out, ' ');
  g_string_append_c (out, ' ');
}

int
sa_cli_info (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per path"), NULL },
    { NULL }
  };
  g_autoptr(GString) out = g_string_new (NULL);

  if (!sa_cli_parse ("info", _("PATH…"), entries, &argc, &argv))
    return 2;
  if (argc < 2)
    {
      fprintf (stderr, "syncact info: %s\n", _("give a NIfTI file, a movie or a dataset folder"));
      return 2;
    }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *path = argv[i];
      gboolean ok;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          sa_set_error (&error, SA_ERROR_NOT_FOUND, path, _("no such file or folder"));
          return sa_cli_fail ("info", error);
        }
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        ok = sa_info_dataset (path, json, out, &error);
      else if (is_nifti_name (path))
        ok = sa_info_nifti (path, json, out, &error);
      else
        ok = sa_info_movie (path, json, out, &error);
      if (!ok)
        return sa_cli_fail ("info", error);
    }
  fputs (out->str, stdout);
  return 0;
}
