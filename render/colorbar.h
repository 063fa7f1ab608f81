/* colorbar.h — a colour map's scale with its value ticks */
#pragma once

#include "render/colormap.h"
#include "render/style.h"

G_BEGIN_DECLS

/* Vertical bar in x,y,w,h (bar plus tick labels to its right). @vmin at the
 * bottom; ticks at vmin, the middle and vmax; @label above. When @threshold
 * > 0 on a diverging map, the band -threshold..threshold is greyed out, as the
 * slices leave it transparent. */
void sa_colorbar_draw (cairo_t             *cr,
                       const SaRenderStyle *style,
                       SaColormap           map,
                       double               vmin,
                       double               vmax,
                       double               threshold,
                       const char          *label,
                       double               x,
                       double               y,
                       double               w,
                       double               h);

G_END_DECLS
