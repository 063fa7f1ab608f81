/* info.h — `syncact info`: what SyncAct reads in a file or a dataset
 *
 * Each describer appends a human-readable report (or, with @json, one JSON
 * object) to @out and returns FALSE with @error set when the path cannot be
 * read as what it claims to be.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean sa_info_nifti   (const char *path, gboolean json, GString *out, GError **error);
gboolean sa_info_movie   (const char *path, gboolean json, GString *out, GError **error);
gboolean sa_info_dataset (const char *path, gboolean json, GString *out, GError **error);

void     sa_info_append_label (GString *out, const char *label, int columns);

G_END_DECLS
