/* slices.h — three orthogonal slices of a template with an overlay map */
#pragma once

#include <cairo.h>

#include "render/colormap.h"
#include "render/style.h"

G_BEGIN_DECLS

/* A 3D float volume with its voxel → world (mm) affine. The layout is the one
 * of compute/io/nifti.h's SaVolume (x fastest), so a loaded volume is passed
 * as { v->nx, v->ny, v->nz, v->data, v->affine }. Not owned. */
typedef struct {
  int          nx, ny, nz;
  const float *data;
  double       affine[4][4];
} SaSliceVolume;

typedef enum {
  SA_SLICE_SAGITTAL,  /* x fixed; anterior to the left, as FSLeyes shows it */
  SA_SLICE_CORONAL,   /* y fixed */
  SA_SLICE_AXIAL,     /* z fixed; anterior up */
  SA_N_SLICES
} SaSliceAxis;

typedef struct {
  const SaSliceVolume *anatomy;     /* required: sets the field of view */
  const SaSliceVolume *overlay;     /* optional, on its own grid */
  double     cursor[3];             /* crosshair, world mm */
  double     anatomy_min, anatomy_max; /* grey window; equal = auto (robust range) */
  double     overlay_max;           /* |value| at the colour map's end; 0 = auto */
  double     threshold;             /* |value| below this is transparent */
  double     opacity;               /* 0..1 */
  SaColormap colormap;              /* diverging: both signs; sequential: positive only */
  gboolean   trilinear;             /* overlay sampling; anatomy is always trilinear */
  /* Neurological (default): the subject's left on the left of the screen.
   * Radiological: mirrored, the subject's right on the left. */
  gboolean   radiological;
  gboolean   show_crosshair;
  gboolean   show_labels;
  double     zoom;                  /* 1 = whole brain fits */
  double     pan[2];                /* mm, shifts every panel's centre */
} SaSliceParams;

void     sa_slice_params_init  (SaSliceParams       *params,
                                const SaSliceVolume *anatomy);

/* Draws sagittal, coronal and axial panels side by side in 0,0–width,height. */
void     sa_slices_draw        (cairo_t             *cr,
                                const SaRenderStyle *style,
                                const SaSliceParams *params,
                                double               width,
                                double               height);

/* The template's grey levels per panel, kept between draws so that a new
 * FBN map, threshold or colour map, or a crosshair move along one panel's
 * plane, re-samples only what changed. Not thread-safe: one per widget.
 * Clear it when the template's data change in place. */
typedef struct _SaSliceCache SaSliceCache;

SaSliceCache *sa_slice_cache_new   (void);
void          sa_slice_cache_clear (SaSliceCache *cache);
void          sa_slice_cache_free  (SaSliceCache *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaSliceCache, sa_slice_cache_free)

/* sa_slices_draw () reusing and refreshing @cache. */
void     sa_slices_draw_cached (cairo_t             *cr,
                                const SaRenderStyle *style,
                                const SaSliceParams *params,
                                double               width,
                                double               height,
                                SaSliceCache        *cache);

/* Widget pixel → panel and world mm (the panel's fixed axis keeps the cursor's
 * value). FALSE when (x, y) is outside every panel. */
gboolean sa_slices_pick        (const SaSliceParams *params,
                                double               width,
                                double               height,
                                double               x,
                                double               y,
                                SaSliceAxis         *axis,
                                double               world[3]);

/* World mm → widget pixel within @axis's panel (for tests and hit marks). */
void     sa_slices_project     (const SaSliceParams *params,
                                double               width,
                                double               height,
                                SaSliceAxis          axis,
                                const double         world[3],
                                double              *x,
                                double              *y);

/* Which world axis runs along the panel's screen x (with @hsign = +1 when
 * screen x grows with it) and screen y (up), and which one is fixed. */
void     sa_slices_panel_axes  (SaSliceAxis          axis,
                                gboolean             radiological,
                                int                 *h,
                                double              *hsign,
                                int                 *v,
                                int                 *fixed);
/* Widget units per mm in every panel (zoom included). */
double   sa_slices_get_scale   (const SaSliceParams *params,
                                double               width,
                                double               height);

/* Sampling through the affine; NaN outside the grid. */
double   sa_slice_volume_sample (const SaSliceVolume *volume,
                                 const double         world[3],
                                 gboolean             trilinear);
/* World mm of the voxel centre nearest to @world, and its index. */
gboolean sa_slice_volume_world_to_voxel (const SaSliceVolume *volume,
                                         const double         world[3],
                                         double               voxel[3]);

G_END_DECLS
