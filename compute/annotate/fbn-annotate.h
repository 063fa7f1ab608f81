/* fbn-annotate.h — every FBN of a components file described by the atlases
 *
 * Writes two tables beside the components: PREFIX_desc-FBN_atlas.tsv (fbn,
 * atlas, rank, region, share, description: the top regions per atlas) and
 * PREFIX_desc-FBN_labels.tsv (fbn, label: the top AAL region and Brodmann
 * area, which `pair --fbn-labels` puts in pairs.tsv). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* @components: a 4D NIfTI, one volume per FBN. @atlas_dir: NULL for
 * SA_ATLAS_DIR. @top_k regions per atlas and FBN. */
gboolean sa_annotate_fbns (const char  *components,
                           const char  *atlas_dir,
                           int          top_k,
                           const char  *atlas_tsv,
                           const char  *labels_tsv,
                           GError     **error);

G_END_DECLS
