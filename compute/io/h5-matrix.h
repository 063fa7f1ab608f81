/* h5-matrix.h — a 2D float dataset from an HDF5 file
 *
 * The minimal reader `syncact pair --activations ACTS.h5` needs for the
 * activation cache of DESIGN §2.3 (/activations, float32 [T × K] with
 * string attributes model, layer, …). The full cache API lives in
 * compute/ann; this reads any such file without it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reads @dataset (e.g. "/activations") as row-major doubles. A missing
 * file or dataset, a rank other than 2, or a non-numeric type is an error
 * naming the file. */
gboolean sa_h5_read_matrix     (const char  *path,
                                const char  *dataset,
                                int         *n_rows,
                                int         *n_cols,
                                double     **values,
                                GError     **error);

/* A string attribute of @dataset (or, failing that, of the file's root
 * group), or NULL when there is none. */
char    *sa_h5_read_string_attr (const char *path,
                                 const char *dataset,
                                 const char *name);

G_END_DECLS
