/* slices-private.h — for tests and benches only */
#pragma once

#include "render/slices.h"

G_BEGIN_DECLS

/* sa_slices_draw () through the first, per-pixel-affine path: the reference
 * the fast path is pinned to (tests/render) and timed against (bench/). */
void sa_slices_draw_reference (cairo_t             *cr,
                               const SaRenderStyle *style,
                               const SaSliceParams *params,
                               double               width,
                               double               height);

/* How many panels were drawn from the cache's grey levels so far. */
guint sa_slice_cache_get_hits (const SaSliceCache *cache);

G_END_DECLS
