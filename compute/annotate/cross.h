/* cross.h — cross-annotation (Sync-ACT §4.3): each pair of a pairs table with
 * the FBN's atlas label, the filter's label and the frames that drive it */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  const char   *pairs_tsv;    /* pairs.tsv: fbn, filter, r, p_fwer, significant, labels */
  const float  *acts;         /* T × K row-major, the activations the pairs came from */
  int           n_tr;
  int           n_units;
  const char   *movie;
  double        tr;
  int           top_k;        /* frames per filter; 5 */
  int           width, height;/* thumbnails; 128×90 */
  const char   *frames_dir;   /* thumbnails go here, shared by tables of one movie */
} SaCrossOptions;

/* Writes @json_path: {"Pairs": [{fbn, fbn_label, filter, filter_label, r,
 * p_fwer, significant, frames: [{tr, time, activation, thumbnail}]}]} with
 * thumbnail paths relative to the JSON's folder, and the thumbnails. */
gboolean sa_cross_annotation_write (const SaCrossOptions *options,
                                    const char           *json_path,
                                    GCancellable         *cancellable,
                                    GError              **error);

G_END_DECLS
