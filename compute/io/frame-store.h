/* frame-store.h — decoded movie frames by the time they are shown, least
 * recently used first out when over a byte budget
 *
 * The frame cache's storage (compute/io/frame-cache.h), used under its
 * lock: not thread-safe itself. Frames are SaCachedFrame: [start, end)
 * intervals that do not overlap.
 */
#pragma once

#include "compute/io/frame-cache.h"

G_BEGIN_DECLS

typedef struct _SaFrameStore SaFrameStore;

SaFrameStore  *sa_frame_store_new     (gsize          budget);
void           sa_frame_store_free    (SaFrameStore  *store);
gsize          sa_frame_store_get_budget (SaFrameStore *store);

/* The frame shown at @t (borrowed), or NULL; @use marks it used. */
SaCachedFrame *sa_frame_store_lookup  (SaFrameStore  *store,
                                       double         t,
                                       gboolean       use);
/* The frame closest in time to @t (borrowed), or NULL when empty. */
SaCachedFrame *sa_frame_store_nearest (SaFrameStore  *store,
                                       double         t);
/* Adds @frame (a reference is taken) as the most recently used, unless one
 * is already stored at its time. Then, while over budget, removes the
 * least recently used frames, sparing those overlapping [@keep_from,
 * @keep_to) as long as others remain, and never @frame itself. */
void           sa_frame_store_insert  (SaFrameStore  *store,
                                       SaCachedFrame *frame,
                                       double         keep_from,
                                       double         keep_to);
void           sa_frame_store_clear   (SaFrameStore  *store);
guint          sa_frame_store_get_n_frames (SaFrameStore *store);
gsize          sa_frame_store_get_bytes    (SaFrameStore *store);

G_END_DECLS
