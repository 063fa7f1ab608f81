#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "compute/error.h"
#include "compute/io/tsv.h"

struct _SaTsvWriter {
  guint    n_cols;
  GString *text;
};

static void
strip_cr (char *line)
{
  gsize n = strlen (line);
  if (n > 0 && line[n - 1] == '\r')
    line[n - 1] = '\0';
}

SaTsv *
sa_tsv_read (const char  *path,
             GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(SaTsv) tsv = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, NULL, &local))
    {
      sa_set_error (error, g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                             ? SA_ERROR_NOT_FOUND : SA_ERROR_IO,
                    path, _("cannot read: %s"), local->message);
      return NULL;
    }
  if (!g_utf8_validate (contents, -1, NULL))
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("not UTF-8 text"));
      return NULL;
    }

  lines = g_strsplit (contents, "\n", -1);
  tsv = g_new0 (SaTsv, 1);
  tsv->path = g_strdup (path);
  tsv->columns = g_ptr_array_new_with_free_func (g_free);
  tsv->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  if (lines[0] == NULL || lines[0][0] == '\0')
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("empty table (no header line)"));
      return NULL;
    }
  strip_cr (lines[0]);
  {
    g_auto(GStrv) names = g_strsplit (lines[0], "\t", -1);
    for (int i = 0; names[i] != NULL; i++)
      g_ptr_array_add (tsv->columns, g_strdup (g_strstrip (names[i])));
  }

  for (int l = 1; lines[l] != NULL; l++)
    {
      GStrv fields;

      strip_cr (lines[l]);
      if (lines[l][0] == '\0')
        continue;
      fields = g_strsplit (lines[l], "\t", -1);
      if (g_strv_length (fields) != tsv->columns->len)
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                        _("line %d has %u fields, the header has %u"),
                        l + 1, g_strv_length (fields), tsv->columns->len);
          g_strfreev (fields);
          return NULL;
        }
      g_ptr_array_add (tsv->rows, fields);
    }
  return g_steal_pointer (&tsv);
}

void
sa_tsv_free (SaTsv *tsv)
{
  if (tsv == NULL)
    return;
  g_free (tsv->path);
  g_ptr_array_unref (tsv->columns);
  g_ptr_array_unref (tsv->rows);
  g_free (tsv);
}

int
sa_tsv_column (const SaTsv *tsv,
               const char  *name)
{
  g_return_val_if_fail (tsv != NULL, -1);
  for (guint i = 0; i < tsv->columns->len; i++)
    if (g_str_equal (g_ptr_array_index (tsv->columns, i), name))
      return (int) i;
  return -1;
}

const char *
sa_tsv_get (const SaTsv *tsv,
            guint        row,
            int          column)
{
  g_return_val_if_fail (tsv != NULL, NULL);
  if (row >= tsv->rows->len || column < 0 || (guint) column >= tsv->columns->len)
    return NULL;
  return ((GStrv) g_ptr_array_index (tsv->rows, row))[column];
}

gboolean
sa_tsv_read_matrix (const char   *path,
                    char       ***column_names,
                    int          *n_rows,
                    int          *n_cols,
                    double      **values,
                    GError      **error)
{
  g_autoptr(SaTsv) tsv = sa_tsv_read (path, error);
  g_autofree double *out = NULL;
  guint nc, nr;

  if (tsv == NULL)
    return FALSE;
  nc = tsv->columns->len;
  nr = tsv->rows->len;
  if (nr == 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("the table has a header but no rows"));
      return FALSE;
    }
  out = g_new (double, (gsize) nr * nc);
  for (guint r = 0; r < nr; r++)
    for (guint c = 0; c < nc; c++)
      {
        const char *s = sa_tsv_get (tsv, r, (int) c);
        char *end = NULL;
        double v;

        while (g_ascii_isspace (*s))
          s++;
        if (g_str_equal (s, "n/a") || g_ascii_strcasecmp (s, "nan") == 0)
          v = NAN;
        else
          {
            errno = 0;
            v = g_ascii_strtod (s, &end);
            while (end != NULL && g_ascii_isspace (*end))
              end++;
            if (end == s || (end != NULL && *end != '\0') || errno == ERANGE)
              {
                sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                              _("line %u, column “%s”: “%s” is not a number"),
                              r + 2, (char *) g_ptr_array_index (tsv->columns, c), s);
                return FALSE;
              }
          }
        out[(gsize) r * nc + c] = v;
      }

  if (column_names != NULL)
    {
      char **names = g_new0 (char *, nc + 1);
      for (guint c = 0; c < nc; c++)
        names[c] = g_strdup (g_ptr_array_index (tsv->columns, c));
      *column_names = names;
    }
  if (n_rows != NULL)
    *n_rows = (int) nr;
  if (n_cols != NULL)
    *n_cols = (int) nc;
  if (values != NULL)
    *values = g_steal_pointer (&out);
  return TRUE;
}

static gboolean
save_atomically (const char *path,
                 GString    *text,
                 GError    **error)
{
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents_full (path, text->str, (gssize) text->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      sa_set_error (error, SA_ERROR_IO, path, _("cannot write: %s"), local->message);
      return FALSE;
    }
  return TRUE;
}

char *
sa_tsv_format_double (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return g_strdup ("n/a");
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g", value));
}

gboolean
sa_tsv_write_matrix (const char        *path,
                     const char *const *column_names,
                     const float       *values,
                     int                n_rows,
                     int                n_cols,
                     GError           **error)
{
  g_autoptr(GString) text = g_string_sized_new ((gsize) (n_rows + 1) * n_cols * 12);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (path != NULL && column_names != NULL, FALSE);
  g_return_val_if_fail (n_rows >= 0 && n_cols > 0, FALSE);

  for (int c = 0; c < n_cols; c++)
    {
      if (c > 0)
        g_string_append_c (text, '\t');
      g_string_append (text, column_names[c]);
    }
  g_string_append_c (text, '\n');
  for (int r = 0; r < n_rows; r++)
    {
      for (int c = 0; c < n_cols; c++)
        {
          float v = values[(gsize) r * n_cols + c];
          if (c > 0)
            g_string_append_c (text, '\t');
          if (isfinite (v))
            g_string_append (text, g_ascii_formatd (buf, sizeof buf, "%.7g", v));
          else
            g_string_append (text, "n/a");
        }
      g_string_append_c (text, '\n');
    }
  return save_atomically (path, text, error);
}

SaTsvWriter *
sa_tsv_writer_new (const char *const *column_names)
{
  SaTsvWriter *writer = g_new0 (SaTsvWriter, 1);

  writer->text = g_string_new (NULL);
  for (guint c = 0; column_names[c] != NULL; c++)
    {
      if (c > 0)
        g_string_append_c (writer->text, '\t');
      g_string_append (writer->text, column_names[c]);
      writer->n_cols++;
    }
  g_string_append_c (writer->text, '\n');
  return writer;
}

void
sa_tsv_writer_add (SaTsvWriter       *writer,
                   const char *const *fields)
{
  for (guint c = 0; c < writer->n_cols; c++)
    {
      const char *f = fields[c] != NULL ? fields[c] : "n/a";
      if (c > 0)
        g_string_append_c (writer->text, '\t');
      /* A tab or newline inside a field would break the table. */
      for (const char *p = f; *p; p++)
        g_string_append_c (writer->text, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
    }
  g_string_append_c (writer->text, '\n');
}

gboolean
sa_tsv_writer_save (SaTsvWriter *writer,
                    const char  *path,
                    GError     **error)
{
  return save_atomically (path, writer->text, error);
}

void
sa_tsv_writer_free (SaTsvWriter *writer)
{
  if (writer == NULL)
    return;
  g_string_free (writer->text, TRUE);
  g_free (writer);
}
