/* figure-export.h — the window's figures drawn off-screen by render/ */
#pragma once

#include "render/figure.h"
#include "ui/workbench.h"

G_BEGIN_DECLS

typedef enum {
  SA_EXPORT_PAIR,     /* map + traces + top frames, like the paper's Fig. 4 */
  SA_EXPORT_SLICES,
  SA_EXPORT_TRACES,
  SA_EXPORT_HEATMAP,
} SaExportKind;

/* Draws the selected FBN's figure from @workbench. @slices are the brain
 * view's settings (threshold, colour map, crosshair), so the export shows
 * what the screen shows; NULL uses defaults. Sizes in points. */
gboolean sa_export_figure (SaWorkbench          *workbench,
                           const SaSliceParams  *slices,
                           SaExportKind          kind,
                           SaFigureFormat        format,
                           double                width_pt,
                           double                height_pt,
                           double                dpi,
                           const char           *path,
                           GError              **error);

/* "pair", "slices", "traces", "heatmap". */
gboolean sa_export_kind_parse (const char   *name,
                               SaExportKind *kind);

G_END_DECLS
