/* slice-view-private.h — for benches only */
#pragma once

#include "ui/slice-view.h"

G_BEGIN_DECLS

/* Draw through sa_slices_draw_reference () with no cache, as the view did
 * before the fast renderer, so a bench times both in one run. */
void sa_slice_view_set_reference_renderer (SaSliceView *self,
                                           gboolean     reference);

G_END_DECLS
