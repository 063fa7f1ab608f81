/* tsv.h — tab-separated tables with a header, as BIDS writes them
 *
 * BIDS TSV: first line the column names, tab separated; "n/a" for missing
 * values (read as NaN in numeric tables, written for non-finite values).
 * Writers go through g_file_set_contents_full (temporary file + rename), so
 * a failed write never leaves a partial table under the final name.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char      *path;
  GPtrArray *columns;   /* char* */
  GPtrArray *rows;      /* GStrv, each with columns->len fields */
} SaTsv;

/* Reads a text table. Rows with a different number of fields than the
 * header, or an empty file, are errors naming the file and the line. */
SaTsv       *sa_tsv_read          (const char   *path,
                                   GError      **error);
void         sa_tsv_free          (SaTsv        *tsv);
/* Index of @name in the header, or -1. */
int          sa_tsv_column        (const SaTsv  *tsv,
                                   const char   *name);
const char  *sa_tsv_get           (const SaTsv  *tsv,
                                   guint         row,
                                   int           column);

/* Reads an all-numeric table into row-major doubles (n_rows × n_cols).
 * "n/a" becomes NaN; any other non-number is an error naming the file,
 * line and column. */
gboolean     sa_tsv_read_matrix   (const char   *path,
                                   char       ***column_names,
                                   int          *n_rows,
                                   int          *n_cols,
                                   double      **values,
                                   GError      **error);

/* Writes a numeric table (row-major floats) with %.7g precision. */
gboolean     sa_tsv_write_matrix  (const char        *path,
                                   const char *const *column_names,
                                   const float       *values,
                                   int                n_rows,
                                   int                n_cols,
                                   GError           **error);

/* Builds a text table row by row, then writes it atomically. */
typedef struct _SaTsvWriter SaTsvWriter;

SaTsvWriter *sa_tsv_writer_new    (const char *const *column_names);
void         sa_tsv_writer_add    (SaTsvWriter       *writer,
                                   const char *const *fields);
gboolean     sa_tsv_writer_save   (SaTsvWriter       *writer,
                                   const char        *path,
                                   GError           **error);
void         sa_tsv_writer_free   (SaTsvWriter       *writer);

/* Formats a double for a table: %.6g, or "n/a" when not finite. */
char        *sa_tsv_format_double (double             value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaTsv, sa_tsv_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaTsvWriter, sa_tsv_writer_free)

G_END_DECLS
