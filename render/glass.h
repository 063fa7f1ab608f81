/* glass.h — a "glass brain": the maximum-intensity projection of a signed map
 * over the template's silhouette, seen from any direction
 *
 * Building an SaGlass walks the volumes once and keeps only the points that
 * can show (supra-threshold map voxels, a thinned cloud of brain voxels), so
 * drawing a new rotation only projects those points: interactive in Cairo
 * and the same point list the GL view uploads. */
#pragma once

#include <cairo.h>

#include "render/colormap.h"
#include "render/slices.h"
#include "render/style.h"

G_BEGIN_DECLS

typedef struct _SaGlass SaGlass;

/* Classic views (azimuth, elevation in degrees). Front looks from behind the
 * head towards the nose, so the subject's left is on the screen's left
 * (neurological, as the slices); side puts anterior on the left, as the
 * sagittal slice; top looks down with anterior up. */
#define SA_GLASS_FRONT_AZIMUTH    0.0
#define SA_GLASS_FRONT_ELEVATION  0.0
#define SA_GLASS_SIDE_AZIMUTH   -90.0
#define SA_GLASS_SIDE_ELEVATION   0.0
#define SA_GLASS_TOP_AZIMUTH      0.0
#define SA_GLASS_TOP_ELEVATION   90.0

typedef struct {
  double     azimuth;         /* degrees, about the superior axis */
  double     elevation;       /* degrees, 90 = seen from above */
  double     zoom;            /* 1 = the whole brain fits whatever the rotation */
  double     vmax;            /* |value| at the colour map's end; 0 = the map's max */
  SaColormap colormap;        /* diverging: both signs; sequential: |value| */
  gboolean   show_colorbar;
  gboolean   show_outline;
} SaGlassParams;

typedef struct {
  float xyz[3];   /* world mm */
  float value;    /* signed map value (0 for outline points) */
} SaGlassPoint;

void     sa_glass_params_init (SaGlassParams       *params);

/* A template's silhouette: the costly part (a scan of every voxel), so it is
 * built once (in a worker thread: it only reads @volume) and shared by every
 * SaGlass drawn over that template. */
typedef struct _SaGlassOutline SaGlassOutline;

SaGlassOutline *sa_glass_outline_new   (const SaSliceVolume  *volume);
SaGlassOutline *sa_glass_outline_ref   (SaGlassOutline       *outline);
void            sa_glass_outline_unref (SaGlassOutline       *outline);
gsize           sa_glass_outline_get_n_points (const SaGlassOutline *outline);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaGlassOutline, sa_glass_outline_unref)

/* @map: the FBN's map (may be NULL: outline only). @outline: the template or
 * a brain mask (may be NULL); voxels above a fraction of its robust maximum
 * form the silhouette. Only |map| ≥ @threshold is kept. */
SaGlass *sa_glass_new         (const SaSliceVolume *map,
                               const SaSliceVolume *outline,
                               double               threshold);
/* As sa_glass_new with a silhouette built already (NULL: none yet). */
SaGlass *sa_glass_new_with_outline (const SaSliceVolume *map,
                                    SaGlassOutline      *outline,
                                    double               threshold);
/* Swaps the silhouette (NULL: none) and refits the bounds. */
void     sa_glass_set_outline (SaGlass             *glass,
                               SaGlassOutline      *outline);
void     sa_glass_free        (SaGlass             *glass);
/* Replaces the map points (another FBN, another threshold) and keeps the
 * silhouette, which is the costly part on a 1 mm template. */
void     sa_glass_set_map     (SaGlass             *glass,
                               const SaSliceVolume *map,
                               double               threshold);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaGlass, sa_glass_free)

double   sa_glass_get_threshold (const SaGlass *glass);
/* max |value| over the kept map points (0 when there are none). */
double   sa_glass_get_abs_max   (const SaGlass *glass);
const SaGlassPoint *sa_glass_get_map_points     (const SaGlass *glass,
                                                 gsize         *n_points);
const SaGlassPoint *sa_glass_get_outline_points (const SaGlass *glass,
                                                 gsize         *n_points);
/* Edge of the splat square of a map point, mm (the map's voxel size). */
double   sa_glass_get_map_voxel_mm     (const SaGlass *glass);
double   sa_glass_get_outline_voxel_mm (const SaGlass *glass);

/* Rotation centre (world mm) and radius of the sphere that holds every
 * point: the projection fits the sphere so rotating never changes scale. */
void     sa_glass_get_bounds  (const SaGlass *glass,
                               double         centre[3],
                               double        *radius);

/* Unit vectors of the screen's right and up, and of the view direction
 * (into the screen), in world coordinates. */
void     sa_glass_view_axes   (const SaGlassParams *params,
                               double               right[3],
                               double               up[3],
                               double               forward[3]);

/* The area the projection uses inside 0,0–width,height (the colour bar, when
 * shown, takes a strip on the right). */
void     sa_glass_project     (const SaGlass       *glass,
                               const SaGlassParams *params,
                               double               width,
                               double               height,
                               const double         world[3],
                               double              *x,
                               double              *y);

void     sa_glass_draw        (cairo_t             *cr,
                               const SaRenderStyle *style,
                               const SaGlass       *glass,
                               const SaGlassParams *params,
                               double               width,
                               double               height);

G_END_DECLS
