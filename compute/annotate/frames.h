/* frames.h — the filter side of cross-annotation: the movie frames that
 * activate a filter most, as thumbnails (Sync-ACT §4.3) */
#pragma once

#include <gio/gio.h>

#include "compute/progress.h"

G_BEGIN_DECLS

/* The TRs (0-based) where filter @filter of @acts (T × K row-major) is
 * highest, most active first, at most @k, NaN skipped; returns how many. */
int       sa_frames_top_trs     (const float   *acts,
                                 int            n_tr,
                                 int            n_units,
                                 int            filter,
                                 int            k,
                                 int           *out);

/* An RGB24 image as PNG (FFmpeg's encoder), written atomically. */
gboolean  sa_png_write_rgb      (const char    *path,
                                 const guint8  *rgb,
                                 int            width,
                                 int            height,
                                 GError       **error);

/* The file name of TR @k's thumbnail inside a frames folder. */
char     *sa_frames_thumbnail_name (int k);

/* Decodes @movie once and writes @dir/tr-NNNN.png (width × height) for the
 * frame shown at the end of each TR in @trs that has no thumbnail yet. */
gboolean  sa_frames_thumbnails  (const char       *movie,
                                 double            tr,
                                 const int        *trs,
                                 int               n_trs,
                                 int               width,
                                 int               height,
                                 const char       *dir,
                                 GCancellable     *cancellable,
                                 GError          **error);

G_END_DECLS
