/* glass-figure.h — glass-brain projections and a filter's frames as figures
 *
 * The 3D pane exported: one or more maximum-intensity projections of an
 * FBN's map side by side (the window's current view, or the classic side,
 * front and top views, as nilearn's glass brain), one shared colour bar,
 * a title. The filter pane exported: its top-activating frames under a
 * title. Text, colour bar and frames' captions stay vector in SVG/PDF; the
 * projections and frames are images.
 */
#pragma once

#include "render/gallery.h"
#include "render/glass.h"

G_BEGIN_DECLS

#define SA_GLASS_FIGURE_MAX_VIEWS 4

typedef struct {
  const char    *title;            /* may be NULL */
  const SaGlass *glass;
  SaGlassParams  views[SA_GLASS_FIGURE_MAX_VIEWS];  /* colormap, vmax from views[0] */
  const char    *view_labels[SA_GLASS_FIGURE_MAX_VIEWS];
  int            n_views;
  const char    *colorbar_label;   /* NULL: "loading" */
} SaGlassFigure;

/* Fills views with the side, front and top views (@colormap, zoom 1). */
void sa_glass_figure_init_classic (SaGlassFigure       *fig,
                                   const SaGlass       *glass,
                                   SaColormap           colormap);

void sa_glass_figure_draw         (cairo_t             *cr,
                                   const SaRenderStyle *style,
                                   double               width,
                                   double               height,
                                   gpointer             glass_figure);

typedef struct {
  const char    *title;
  const SaFrame *frames;
  int            n_frames;
} SaFramesFigure;

void sa_frames_figure_draw        (cairo_t             *cr,
                                   const SaRenderStyle *style,
                                   double               width,
                                   double               height,
                                   gpointer             frames_figure);

G_END_DECLS
