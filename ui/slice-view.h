/* slice-view.h — the selected FBN's map on the template, three slices */
#pragma once

#include <gtk/gtk.h>

#include "compute/annotate/atlas.h"
#include "ui/workbench.h"

G_BEGIN_DECLS

#define SA_TYPE_SLICE_VIEW (sa_slice_view_get_type ())
G_DECLARE_FINAL_TYPE (SaSliceView, sa_slice_view, SA, SLICE_VIEW, GtkWidget)

GtkWidget *sa_slice_view_new           (void);
void       sa_slice_view_set_workbench (SaSliceView  *self,
                                        SaWorkbench  *workbench);
/* Crosshair in world mm. */
void       sa_slice_view_get_cursor    (SaSliceView  *self,
                                        double        world[3]);
void       sa_slice_view_set_cursor    (SaSliceView  *self,
                                        const double  world[3]);
/* The region of the AAL or Harvard-Oxford atlas at the crosshair (the
 * cursor-text property names both), or NULL: outside every region, or the
 * atlases not loaded yet (they load on a worker once the view has an
 * anatomy; cursor-text is notified when they arrive). */
const char *sa_slice_view_get_region   (SaSliceView  *self,
                                        SaAtlasKind   kind);
gboolean   sa_slice_view_get_atlases_ready (SaSliceView *self);
/* The parameters the view draws with (for figure export: same picture). */
const SaSliceParams *sa_slice_view_get_params (SaSliceView *self);

G_END_DECLS
