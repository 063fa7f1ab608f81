/* fbn-labels.h — one label per FBN, read from a table (fbn, label)
 *
 * The atlas annotation writes such a table; `syncact pair --fbn-labels`
 * reads it to fill the fbn_label column of pairs.tsv. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Reads a TSV (or CSV) with a header holding "fbn" and "label" columns; "fbn"
 * is the FBN's column name (fbn-001) or its 1-based number. Returns @m labels
 * in the order of @fbn_names ("n/a" for FBNs the table does not name),
 * NULL-terminated; an error names the file and the line for an FBN not
 * among @fbn_names. */
char **sa_fbn_labels_read (const char        *path,
                           const char *const *fbn_names,
                           int                m,
                           GError           **error);

G_END_DECLS
