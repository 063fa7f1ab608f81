#include "config.h"

#include <glib/gi18n.h>

#include "compute/annotate/fbn-labels.h"

#include <stdlib.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/tsv.h"

static int
find_fbn (const char        *value,
          const char *const *fbn_names,
          int                m)
{
  char *end = NULL;
  gint64 number;

  for (int j = 0; j < m && fbn_names != NULL; j++)
    if (g_strcmp0 (fbn_names[j], value) == 0)
      return j;
  /* "fbn-007" or "7": ICA tools number components from 1. */
  if (g_str_has_prefix (value, "fbn-"))
    value += 4;
  number = g_ascii_strtoll (value, &end, 10);
  if (end == value || *end != '\0' || number < 1 || number > m)
    return -1;
  return (int) number - 1;
}

char **
sa_fbn_labels_read (const char        *path,
                    const char *const *fbn_names,
                    int                m,
                    GError           **error)
{
  g_autoptr(SaTsv) tsv = sa_tsv_read (path, error);
  char **labels;
  int col_fbn, col_label;

  if (tsv == NULL)
    return NULL;
  col_fbn = sa_tsv_column (tsv, "fbn");
  col_label = sa_tsv_column (tsv, "label");
  if (col_fbn < 0 || col_label < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("an FBN label table needs “fbn” and “label” columns"));
      return NULL;
    }
  labels = g_new0 (char *, m + 1);
  for (int j = 0; j < m; j++)
    labels[j] = g_strdup ("n/a");
  for (guint i = 0; i < tsv->rows->len; i++)
    {
      const char *name = sa_tsv_get (tsv, i, col_fbn);
      int j = find_fbn (name, fbn_names, m);

      if (j < 0)
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                        _("line %u names FBN “%s”, which the time courses do not have"),
                        i + 2, name);
          g_strfreev (labels);
          return NULL;
        }
      g_free (labels[j]);
      labels[j] = g_strdup (sa_tsv_get (tsv, i, col_label));
    }
  return labels;
}
