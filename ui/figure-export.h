/* figure-export.h — the window's figures drawn off-screen by render/ */
#pragma once

#include "render/figure.h"
#include "render/glass.h"
#include "ui/workbench.h"

G_BEGIN_DECLS

typedef enum {
  SA_EXPORT_PAIR,     /* map + traces + top frames, like the paper's Fig. 4 */
  SA_EXPORT_SLICES,
  SA_EXPORT_TRACES,
  SA_EXPORT_HEATMAP,
  SA_EXPORT_GLASS,    /* the map's maximum-intensity projection(s) */
  SA_EXPORT_FRAMES,   /* the paired filter's top-activating frames */
  SA_EXPORT_FRAME,    /* the movie frame at the time cursor */
  SA_N_EXPORT_KINDS
} SaExportKind;

/* Draws the selected FBN's figure from @workbench. @slices are the brain
 * view's settings (threshold, colour map, crosshair) and @glass the 3D
 * view's rotation, so the export shows what the screen shows; NULL uses
 * defaults (for the glass brain: the side, back and top views). Sizes in
 * points. SA_EXPORT_FRAME draws the frame at the workbench's time, decoded
 * from its movie at the movie's own size (without a movie: the TR's frame
 * from the workbench's strip); it needs no FBN. */
gboolean sa_export_figure (SaWorkbench          *workbench,
                           const SaSliceParams  *slices,
                           const SaGlassParams  *glass,
                           SaExportKind          kind,
                           SaFigureFormat        format,
                           double                width_pt,
                           double                height_pt,
                           double                dpi,
                           const char           *path,
                           GError              **error);

/* "pair", "slices", "traces", "heatmap", "glass", "frames", "frame". */
gboolean    sa_export_kind_parse  (const char   *name,
                                   SaExportKind *kind);
const char *sa_export_kind_name   (SaExportKind  kind);
/* For people: "Pair figure (map, traces, frames)", … */
const char *sa_export_kind_label  (SaExportKind  kind);
/* A journal double column (183 mm) tall enough for @kind, in mm. */
double      sa_export_kind_height_mm (SaExportKind kind,
                                      gboolean     with_frames);

G_END_DECLS
