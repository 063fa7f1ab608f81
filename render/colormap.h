/* colormap.h — perceptually uniform, colour-blind-safe colour maps */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  SA_COLORMAP_GREY,     /* template anatomy */
  SA_COLORMAP_VIRIDIS,  /* sequential: |value|, heat maps of r ≥ 0 */
  SA_COLORMAP_CIVIDIS,  /* sequential, optimised for colour-vision deficiency */
  SA_COLORMAP_RDBU,     /* diverging: signed loadings and signed r */
  SA_N_COLORMAPS
} SaColormap;

/* @t in 0..1 (clamped; NaN gives the low end). */
void        sa_colormap_sample      (SaColormap  map,
                                     double      t,
                                     double      rgb[3]);
/* Premultiplied-free 0xAARRGGBB with alpha 0xff, as CAIRO_FORMAT_RGB24 wants. */
guint32     sa_colormap_sample_rgb24 (SaColormap map,
                                      double     t);
gboolean    sa_colormap_is_diverging (SaColormap map);
const char *sa_colormap_get_name    (SaColormap  map);
gboolean    sa_colormap_from_name   (const char *name,
                                     SaColormap *map);

G_END_DECLS
