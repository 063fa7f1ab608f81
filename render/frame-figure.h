/* frame-figure.h — the movie pane exported: one frame with its time
 *
 * The frame at the time cursor, at the size it was decoded (the movie's
 * own), fitted into the figure with its aspect ratio kept, and a caption
 * under it ("t = 12.0 s · TR 6") in the figure's font. In SVG/PDF the
 * frame is embedded at its own resolution and the caption stays text.
 */
#pragma once

#include "render/gallery.h"

G_BEGIN_DECLS

typedef struct {
  SaFrame     frame;    /* its time and caption fields are not drawn */
  const char *caption;  /* under the frame; may be NULL */
} SaFrameFigure;

/* "t = 12.0 s · TR 6" (TR counted from 0, as the other panes do). */
char *sa_frame_figure_caption     (double               time,
                                   int                  tr_index);

/* Where the frame lands in a @width × @height drawing: x, y, w, h. */
void  sa_frame_figure_image_rect  (const SaRenderStyle *style,
                                   const SaFrameFigure *fig,
                                   double               width,
                                   double               height,
                                   double               rect[4]);

void  sa_frame_figure_draw        (cairo_t             *cr,
                                   const SaRenderStyle *style,
                                   double               width,
                                   double               height,
                                   gpointer             frame_figure);

G_END_DECLS
