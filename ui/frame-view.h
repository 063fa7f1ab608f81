/* frame-view.h — the movie frame under the time cursor
 *
 * With the workbench's movie at hand, the exact frame shown at the cursor
 * time, from a frame cache decoding on its own thread (compute/io/
 * frame-cache.h); until it is decoded, the nearest frame there is (a
 * cached one or the TR's frame from the workbench's strip). Without a
 * movie, the TR's frame.
 */
#pragma once

#include <gtk/gtk.h>

#include "compute/io/frame-cache.h"
#include "ui/workbench.h"

G_BEGIN_DECLS

#define SA_TYPE_FRAME_VIEW (sa_frame_view_get_type ())
G_DECLARE_FINAL_TYPE (SaFrameView, sa_frame_view, SA, FRAME_VIEW, GtkWidget)

GtkWidget *sa_frame_view_new             (void);
void       sa_frame_view_set_workbench   (SaFrameView *self,
                                          SaWorkbench *workbench);
/* Playing: the cache decodes ahead of the cursor rather than around it. */
void       sa_frame_view_set_playing     (SaFrameView *self,
                                          gboolean     playing);
/* The TR whose strip frame is shown, or -1 (none, or a movie frame). */
int        sa_frame_view_get_shown_index (SaFrameView *self);
/* The movie frame shown (borrowed), or NULL when a TR strip frame or
 * nothing is; @exact: it is the frame at the cursor time, not a stand-in. */
SaCachedFrame *sa_frame_view_get_movie_frame (SaFrameView *self,
                                              gboolean    *exact);
/* What is on screen, for tests. */
GdkTexture *sa_frame_view_get_texture    (SaFrameView *self);
/* NULL without a movie. */
SaFrameCache *sa_frame_view_get_cache    (SaFrameView *self);

G_END_DECLS
