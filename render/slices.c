#include "config.h"

#include "render/slices.h"
#include "render/slices-private.h"
#include "render/slice-sampler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compute/io/nifti.h"

/* Which world axes a panel shows: horizontal axis (with a sign so that the
 * screen's x grows with it) and vertical axis (screen up). */
typedef struct {
  int    h, v, fixed;
  double hsign;
} PanelAxes;

typedef struct {
  double x0, y0, w, h;   /* panel rectangle, widget units */
  double scale;          /* widget units per mm */
  double cu, cv;         /* world (signed u, v) at the panel centre */
  PanelAxes axes;
} Panel;

static PanelAxes
panel_axes (SaSliceAxis axis,
            gboolean    radiological)
{
  double lr = radiological ? -1.0 : 1.0;

  switch (axis)
    {
    case SA_SLICE_SAGITTAL:
      return (PanelAxes) { 1, 2, 0, -1.0 };
    case SA_SLICE_CORONAL:
      return (PanelAxes) { 0, 2, 1, lr };
    case SA_SLICE_AXIAL:
    case SA_N_SLICES:
    default:
      return (PanelAxes) { 0, 1, 2, lr };
    }
}

static void
volume_bounds (const SaSliceVolume *vol,
               double               lo[3],
               double               hi[3])
{
  for (int a = 0; a < 3; a++)
    {
      lo[a] = INFINITY;
      hi[a] = -INFINITY;
    }
  for (int corner = 0; corner < 8; corner++)
    {
      double ijk[3] = {
        (corner & 1) ? vol->nx - 0.5 : -0.5,
        (corner & 2) ? vol->ny - 0.5 : -0.5,
        (corner & 4) ? vol->nz - 0.5 : -0.5,
      };
      for (int a = 0; a < 3; a++)
        {
          double w = vol->affine[a][3];
          for (int b = 0; b < 3; b++)
            w += vol->affine[a][b] * ijk[b];
          lo[a] = MIN (lo[a], w);
          hi[a] = MAX (hi[a], w);
        }
    }
}

static void
layout (const SaSliceParams *p,
        double               width,
        double               height,
        Panel                panels[SA_N_SLICES])
{
  double lo[3], hi[3], ext[3], gap = width * 0.015;
  double total_w = 0, max_h = 0, s0, x;

  volume_bounds (p->anatomy, lo, hi);
  for (int a = 0; a < 3; a++)
    ext[a] = MAX (hi[a] - lo[a], 1e-6);

  for (int i = 0; i < SA_N_SLICES; i++)
    {
      PanelAxes ax = panel_axes ((SaSliceAxis) i, p->radiological);
      total_w += ext[ax.h];
      max_h = MAX (max_h, ext[ax.v]);
    }
  s0 = MIN ((width - 2 * gap) / total_w, height / max_h);
  s0 = MAX (s0, 1e-6);

  x = (width - (total_w * s0 + 2 * gap)) / 2;
  for (int i = 0; i < SA_N_SLICES; i++)
    {
      Panel *pan = &panels[i];
      double zoom = p->zoom > 0 ? p->zoom : 1.0;

      pan->axes = panel_axes ((SaSliceAxis) i, p->radiological);
      pan->w = ext[pan->axes.h] * s0;
      pan->h = max_h * s0;
      pan->x0 = x;
      pan->y0 = (height - pan->h) / 2;
      pan->scale = s0 * zoom;
      pan->cu = pan->axes.hsign * (lo[pan->axes.h] + hi[pan->axes.h]) / 2 + p->pan[0];
      pan->cv = (lo[pan->axes.v] + hi[pan->axes.v]) / 2 + p->pan[1];
      x += pan->w + gap;
    }
}

static void
panel_to_world (const Panel         *pan,
                const SaSliceParams *p,
                double               x,
                double               y,
                double               world[3])
{
  double u = pan->cu + (x - (pan->x0 + pan->w / 2)) / pan->scale;
  double v = pan->cv - (y - (pan->y0 + pan->h / 2)) / pan->scale;

  world[pan->axes.fixed] = p->cursor[pan->axes.fixed];
  world[pan->axes.h] = u * pan->axes.hsign;
  world[pan->axes.v] = v;
}

static void
world_to_panel (const Panel  *pan,
                const double  world[3],
                double       *x,
                double       *y)
{
  double u = world[pan->axes.h] * pan->axes.hsign;
  double v = world[pan->axes.v];

  *x = pan->x0 + pan->w / 2 + (u - pan->cu) * pan->scale;
  *y = pan->y0 + pan->h / 2 - (v - pan->cv) * pan->scale;
}

/* Inverse of the affine's upper 3×3 and translation: world → voxel. */
static double
sample_voxel (const SaSliceVolume *vol,
              const double         ijk[3],
              gboolean             trilinear)
{
  const float *d = vol->data;
  gsize sx = 1, sy = vol->nx, sz = (gsize) vol->nx * vol->ny;

  if (!trilinear)
    {
      long i = lround (ijk[0]), j = lround (ijk[1]), k = lround (ijk[2]);

      if (i < 0 || j < 0 || k < 0 || i >= vol->nx || j >= vol->ny || k >= vol->nz)
        return NAN;
      return d[i * sx + j * sy + k * sz];
    }
  else
    {
      /* Clamp to the edge voxel centres within half a voxel of the grid. */
      double x = ijk[0], y = ijk[1], z = ijk[2];
      long i0, j0, k0;
      double fx, fy, fz, acc = 0;

      if (x < -0.5 || y < -0.5 || z < -0.5 ||
          x > vol->nx - 0.5 || y > vol->ny - 0.5 || z > vol->nz - 0.5)
        return NAN;
      x = CLAMP (x, 0, vol->nx - 1);
      y = CLAMP (y, 0, vol->ny - 1);
      z = CLAMP (z, 0, vol->nz - 1);
      i0 = MIN ((long) x, vol->nx - 2 >= 0 ? vol->nx - 2 : 0);
      j0 = MIN ((long) y, vol->ny - 2 >= 0 ? vol->ny - 2 : 0);
      k0 = MIN ((long) z, vol->nz - 2 >= 0 ? vol->nz - 2 : 0);
      fx = vol->nx > 1 ? x - i0 : 0;
      fy = vol->ny > 1 ? y - j0 : 0;
      fz = vol->nz > 1 ? z - k0 : 0;
      for (int c = 0; c < 8; c++)
        {
          long i = i0 + ((c & 1) && vol->nx > 1);
          long j = j0 + ((c & 2) && vol->ny > 1);
          long k = k0 + ((c & 4) && vol->nz > 1);
          double w = ((c & 1) ? fx : 1 - fx) * ((c & 2) ? fy : 1 - fy) * ((c & 4) ? fz : 1 - fz);
          float val = d[i * sx + j * sy + k * sz];

          if (w > 0)
            acc += w * val;
        }
      return acc;
    }
}

gboolean
sa_slice_volume_world_to_voxel (const SaSliceVolume *volume,
                                const double         world[3],
                                double               voxel[3])
{
  double inv[4][4];

  g_return_val_if_fail (volume != NULL, FALSE);
  if (!sa_affine_invert (volume->affine, inv))
    return FALSE;
  for (int r = 0; r < 3; r++)
    voxel[r] = inv[r][0] * world[0] + inv[r][1] * world[1] + inv[r][2] * world[2] + inv[r][3];
  return TRUE;
}

double
sa_slice_volume_sample (const SaSliceVolume *volume,
                        const double         world[3],
                        gboolean             trilinear)
{
  double ijk[3];

  g_return_val_if_fail (volume != NULL && volume->data != NULL, NAN);
  if (!sa_slice_volume_world_to_voxel (volume, world, ijk))
    return NAN;
  return sample_voxel (volume, ijk, trilinear);
}

static int
cmp_float (const void *a, const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;
  return (x > y) - (x < y);
}

void
sa_slice_params_init (SaSliceParams       *params,
                      const SaSliceVolume *anatomy)
{
  double lo[3], hi[3];
  gsize n, stride, count = 0;
  g_autofree float *sample = NULL;

  g_return_if_fail (params != NULL && anatomy != NULL);

  *params = (SaSliceParams) {
    .anatomy = anatomy,
    .opacity = 0.85,
    .colormap = SA_COLORMAP_RDBU,
    .trilinear = TRUE,
    .show_crosshair = TRUE,
    .show_labels = TRUE,
    .zoom = 1.0,
  };
  volume_bounds (anatomy, lo, hi);
  for (int a = 0; a < 3; a++)
    params->cursor[a] = CLAMP (0.0, lo[a], hi[a]);

  /* Robust grey window from a strided sample of the non-zero voxels, so a
   * few bright voxels do not wash the template out. */
  n = (gsize) anatomy->nx * anatomy->ny * anatomy->nz;
  stride = MAX (n / 65536, 1);
  sample = g_new (float, n / stride + 1);
  for (gsize i = 0; i < n; i += stride)
    if (anatomy->data[i] != 0 && !isnan (anatomy->data[i]))
      sample[count++] = anatomy->data[i];
  if (count > 0)
    {
      qsort (sample, count, sizeof (float), cmp_float);
      params->anatomy_min = 0.0;
      params->anatomy_max = sample[(gsize) ((count - 1) * 0.995)];
    }
  if (params->anatomy_max <= params->anatomy_min)
    params->anatomy_max = params->anatomy_min + 1.0;
}

static double
overlay_abs_max (const SaSliceVolume *vol)
{
  gsize n = (gsize) vol->nx * vol->ny * vol->nz;
  double m = 0;

  for (gsize i = 0; i < n; i++)
    if (fabs (vol->data[i]) > m)
      m = fabs (vol->data[i]);
  return m > 0 ? m : 1.0;
}

/* The grey level of an anatomy sample: black outside the template. */
static inline double
grey_of (double a,
         double amin,
         double arange)
{
  return isnan (a) ? 0.0 : CLAMP ((a - amin) / arange, 0.0, 1.0);
}

/* The colour of one pixel from its grey level and overlay sample. */
static inline guint32
shade (const SaSliceParams *p,
       double               g,
       double               v,
       double               omax,
       gboolean             diverging,
       gboolean             exact)
{
  double rgb[3] = { g, g, g }, t = -1, c[3];

  if (!isnan (v) && fabs (v) >= p->threshold && v != 0)
    {
      if (diverging)
        t = 0.5 + 0.5 * v / omax;
      else if (v > 0)
        t = v / omax;
    }
  if (t >= 0)
    {
      sa_colormap_sample (p->colormap, t, c);
      for (int k = 0; k < 3; k++)
        rgb[k] = (1 - p->opacity) * rgb[k] + p->opacity * c[k];
    }
  if (exact)
    return 0xff000000u |
           (guint32) lround (rgb[0] * 255) << 16 |
           (guint32) lround (rgb[1] * 255) << 8 |
           (guint32) lround (rgb[2] * 255);
  return 0xff000000u |
         (guint32) sa_round_half_away (rgb[0] * 255) << 16 |
         (guint32) sa_round_half_away (rgb[1] * 255) << 8 |
         (guint32) sa_round_half_away (rgb[2] * 255);
}

/* The first version: world and voxel coordinates per pixel through both
 * affines and a sampling call each. Kept as the reference the fast path is
 * tested and benchmarked against (sa_slices_draw_reference ()). */
static void
fill_reference (const SaSliceParams *p,
                const Panel         *pan,
                const double         ainv[4][4],
                const double         oinv[4][4],
                gboolean             have_overlay,
                double               omax,
                int                  iw,
                int                  ih,
                guint32             *pix,
                int                  stride)
{
  double amin = p->anatomy_min, arange = p->anatomy_max - p->anatomy_min;
  gboolean diverging = sa_colormap_is_diverging (p->colormap);

  if (arange <= 0)
    arange = 1.0;
  for (int j = 0; j < ih; j++)
    for (int i = 0; i < iw; i++)
      {
        double world[3], ijk[3], a, v = NAN;

        panel_to_world (pan, p,
                        pan->x0 + (i + 0.5) * pan->w / iw,
                        pan->y0 + (j + 0.5) * pan->h / ih, world);
        for (int r = 0; r < 3; r++)
          ijk[r] = ainv[r][0] * world[0] + ainv[r][1] * world[1] + ainv[r][2] * world[2] + ainv[r][3];
        a = sample_voxel (p->anatomy, ijk, TRUE);
        if (have_overlay)
          {
            for (int r = 0; r < 3; r++)
              ijk[r] = oinv[r][0] * world[0] + oinv[r][1] * world[1] + oinv[r][2] * world[2] + oinv[r][3];
            v = sample_voxel (p->overlay, ijk, p->trilinear);
          }
        pix[j * stride + i] = shade (p, grey_of (a, amin, arange), v, omax, diverging, TRUE);
      }
}

/* What a panel's grey levels depend on, and them: the anatomy under an
 * FBN map stays put while the map, threshold or colours change, and a click
 * in one panel leaves that panel's slice where it was. */
typedef struct {
  const float *data;
  int          nx, ny, nz;
  double       affine[4][4];
  double       amin, amax;
  double       fixed;           /* the cursor along the panel's fixed axis */
  int          iw, ih;
  Panel        pan;
} GreyKey;

typedef struct {
  GreyKey key;
  double *grey;                 /* iw × ih, NULL until filled */
} GreyCache;

struct _SaSliceCache {
  GreyCache panels[SA_N_SLICES];
  guint     hits;
};

static gboolean
grey_key_equal (const GreyKey *a,
                const GreyKey *b)
{
  return a->data == b->data && a->nx == b->nx && a->ny == b->ny && a->nz == b->nz &&
         memcmp (a->affine, b->affine, sizeof a->affine) == 0 &&
         a->amin == b->amin && a->amax == b->amax && a->fixed == b->fixed &&
         a->iw == b->iw && a->ih == b->ih &&
         a->pan.x0 == b->pan.x0 && a->pan.y0 == b->pan.y0 &&
         a->pan.w == b->pan.w && a->pan.h == b->pan.h && a->pan.scale == b->pan.scale &&
         a->pan.cu == b->pan.cu && a->pan.cv == b->pan.cv &&
         a->pan.axes.h == b->pan.axes.h && a->pan.axes.v == b->pan.axes.v &&
         a->pan.axes.fixed == b->pan.axes.fixed && a->pan.axes.hsign == b->pan.axes.hsign;
}

SaSliceCache *
sa_slice_cache_new (void)
{
  return g_new0 (SaSliceCache, 1);
}

void
sa_slice_cache_clear (SaSliceCache *cache)
{
  g_return_if_fail (cache != NULL);
  for (int i = 0; i < SA_N_SLICES; i++)
    g_clear_pointer (&cache->panels[i].grey, g_free);
}

void
sa_slice_cache_free (SaSliceCache *cache)
{
  if (cache == NULL)
    return;
  sa_slice_cache_clear (cache);
  g_free (cache);
}

guint
sa_slice_cache_get_hits (const SaSliceCache *cache)
{
  g_return_val_if_fail (cache != NULL, 0);
  return cache->hits;
}

static void
fill_fast (const SaSliceParams *p,
           const Panel         *pan,
           const double         ainv[4][4],
           const double         oinv[4][4],
           gboolean             have_overlay,
           double               omax,
           int                  iw,
           int                  ih,
           guint32             *pix,
           int                  stride,
           SaSliceCache        *slice_cache,
           int                  index)
{
  GreyCache *cache = slice_cache ? &slice_cache->panels[index] : NULL;
  double amin = p->anatomy_min, arange = p->anatomy_max - p->anatomy_min;
  gboolean diverging = sa_colormap_is_diverging (p->colormap);
  g_autofree double *col_u = g_new (double, iw);
  g_autofree double *row_v = g_new (double, ih);
  double *grey = NULL;
  gboolean have_grey = FALSE, a_plane, o_plane;
  SaSliceSampler as, os;
  SaSlicePlane apl, opl;
  g_autofree double *a_line = NULL, *o_line = NULL;

  if (arange <= 0)
    arange = 1.0;
  if (cache)
    {
      GreyKey key = {
        .data = p->anatomy->data, .nx = p->anatomy->nx, .ny = p->anatomy->ny, .nz = p->anatomy->nz,
        .amin = p->anatomy_min, .amax = p->anatomy_max, .fixed = p->cursor[pan->axes.fixed],
        .iw = iw, .ih = ih, .pan = *pan,
      };

      memcpy (key.affine, p->anatomy->affine, sizeof key.affine);
      have_grey = cache->grey != NULL && grey_key_equal (&cache->key, &key);
      if (have_grey)
        slice_cache->hits++;
      else
        {
          g_free (cache->grey);
          cache->grey = g_new (double, (gsize) iw * ih);
          cache->key = key;
        }
      grey = cache->grey;
    }

  /* World mm along the panel's axes per column and per row, exactly as
   * panel_to_world () gives them for each pixel centre. */
  for (int i = 0; i < iw; i++)
    {
      double world[3];

      panel_to_world (pan, p, pan->x0 + (i + 0.5) * pan->w / iw, pan->y0, world);
      col_u[i] = world[pan->axes.h];
    }
  for (int j = 0; j < ih; j++)
    {
      double world[3];

      panel_to_world (pan, p, pan->x0, pan->y0 + (j + 0.5) * pan->h / ih, world);
      row_v[j] = world[pan->axes.v];
    }
  sa_slice_sampler_init (&as, p->anatomy, ainv);
  if (have_overlay)
    sa_slice_sampler_init (&os, p->overlay, oinv);
  a_plane = !have_grey &&
            sa_slice_plane_init (&apl, &as, pan->axes.h, pan->axes.v, pan->axes.fixed,
                                 col_u, iw, row_v, ih, p->cursor[pan->axes.fixed], TRUE);
  o_plane = have_overlay &&
            sa_slice_plane_init (&opl, &os, pan->axes.h, pan->axes.v, pan->axes.fixed,
                                 col_u, iw, row_v, ih, p->cursor[pan->axes.fixed], p->trilinear);

  if (a_plane)
    a_line = g_new (double, MAX (apl.idx_hi - apl.idx_lo, 0) + 2);
  if (o_plane && p->trilinear)
    o_line = g_new (double, MAX (opl.idx_hi - opl.idx_lo, 0) + 2);

  for (int j = 0; j < ih; j++)
    {
      guint32 *row = pix + (gsize) j * stride;
      double *grow = grey ? grey + (gsize) j * iw : NULL;
      double world[3], of[3] = { 0, 0, 0 };
      gboolean a_row = FALSE, o_row = FALSE;

      world[pan->axes.fixed] = p->cursor[pan->axes.fixed];
      world[pan->axes.v] = row_v[j];
      if (a_plane)
        {
          a_row = apl.row_ok[j] && apl.fix_ok;
          if (a_row)
            sa_slice_plane_line (&as, &apl, j, a_line);
        }
      if (o_plane)
        {
          o_row = opl.row_ok[j] && opl.fix_ok;
          of[opl.rv] = opl.row_f[j];
          of[opl.rf] = opl.fix_f;
          if (o_row && o_line)
            sa_slice_plane_line (&os, &opl, j, o_line);
        }
      for (int i = 0; i < iw; i++)
        {
          double g, v = NAN, ijk[3];

          world[pan->axes.h] = col_u[i];
          if (have_grey)
            g = grow[i];
          else
            {
              if (a_plane)
                g = a_row ? sa_slice_line_sample (&apl, a_line, i) : NAN;
              else
                {
                  sa_slice_sampler_voxel (&as, world, ijk);
                  g = sa_slice_sampler_trilinear (&as, ijk[0], ijk[1], ijk[2]);
                }
              g = grey_of (g, amin, arange);
              if (grow)
                grow[i] = g;
            }
          if (o_plane)
            v = !o_row ? NAN : o_line ? sa_slice_line_sample (&opl, o_line, i)
                                      : sa_slice_plane_sample (&os, &opl, i, j, of, FALSE);
          else if (have_overlay)
            {
              sa_slice_sampler_voxel (&os, world, ijk);
              v = p->trilinear ? sa_slice_sampler_trilinear (&os, ijk[0], ijk[1], ijk[2])
                               : sa_slice_sampler_nearest (&os, ijk[0], ijk[1], ijk[2]);
            }
          row[i] = shade (p, g, v, omax, diverging, FALSE);
        }
    }
  if (a_plane)
    sa_slice_plane_clear (&apl);
  if (o_plane)
    sa_slice_plane_clear (&opl);
}

static void
draw_panel_image (cairo_t             *cr,
                  const SaSliceParams *p,
                  const Panel         *pan,
                  double               omax,
                  gboolean             reference,
                  SaSliceCache        *cache,
                  int                  index)
{
  double dx = pan->w, dy = pan->h, res;
  int iw, ih, stride;
  cairo_surface_t *img;
  guint32 *pix;
  double ainv[4][4], oinv[4][4];
  gboolean have_overlay = p->overlay != NULL && p->overlay->data != NULL &&
                          sa_affine_invert (p->overlay->affine, oinv);

  if (!sa_affine_invert (p->anatomy->affine, ainv))
    return;

  /* One image pixel per device pixel; vector targets get 300 dpi. */
  cairo_user_to_device_distance (cr, &dx, &dy);
  res = fabs (dx) / pan->w;
  if (cairo_surface_get_type (cairo_get_target (cr)) != CAIRO_SURFACE_TYPE_IMAGE)
    res = MAX (res, 300.0 / 72.0);
  iw = CLAMP ((int) ceil (pan->w * res), 1, 2048);
  ih = CLAMP ((int) ceil (pan->h * res), 1, 2048);

  img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, iw, ih);
  cairo_surface_flush (img);
  pix = (guint32 *) cairo_image_surface_get_data (img);
  stride = cairo_image_surface_get_stride (img) / 4;
  if (reference)
    fill_reference (p, pan, ainv, oinv, have_overlay, omax, iw, ih, pix, stride);
  else
    fill_fast (p, pan, ainv, oinv, have_overlay, omax, iw, ih, pix, stride, cache, index);
  cairo_surface_mark_dirty (img);

  cairo_save (cr);
  cairo_rectangle (cr, pan->x0, pan->y0, pan->w, pan->h);
  cairo_clip (cr);
  cairo_translate (cr, pan->x0, pan->y0);
  cairo_scale (cr, pan->w / iw, pan->h / ih);
  cairo_set_source_surface (cr, img, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (img);
}

static void
draw_panel_overlay (cairo_t             *cr,
                    const SaRenderStyle *style,
                    const SaSliceParams *p,
                    const Panel         *pan,
                    SaSliceAxis          axis)
{
  static const char axis_name[3] = { 'x', 'y', 'z' };
  double cx, cy, pad = style->font_size * 0.3;

  cairo_save (cr);
  cairo_rectangle (cr, pan->x0, pan->y0, pan->w, pan->h);
  cairo_clip (cr);

  if (p->show_crosshair)
    {
      world_to_panel (pan, p->cursor, &cx, &cy);
      cairo_set_line_width (cr, style->line_width);
      cairo_set_source_rgba (cr, 0.2, 0.9, 0.2, 0.8);
      cairo_move_to (cr, pan->x0, cy);
      cairo_line_to (cr, pan->x0 + pan->w, cy);
      cairo_move_to (cr, cx, pan->y0);
      cairo_line_to (cr, cx, pan->y0 + pan->h);
      cairo_stroke (cr);
    }

  if (p->show_labels)
    {
      g_autofree char *coord = NULL;
      const char *left, *right;

      if (axis == SA_SLICE_SAGITTAL)
        {
          left = "A";
          right = "P";
        }
      else
        {
          left = p->radiological ? "R" : "L";
          right = p->radiological ? "L" : "R";
        }
      cairo_set_source_rgb (cr, 1, 1, 1);
      sa_render_text (cr, style, left, 1.0, pan->x0 + pad, pan->y0 + pan->h / 2, 0, 0.5);
      sa_render_text (cr, style, right, 1.0, pan->x0 + pan->w - pad, pan->y0 + pan->h / 2, 1, 0.5);
      coord = g_strdup_printf ("%c = %.0f", axis_name[pan->axes.fixed], p->cursor[pan->axes.fixed]);
      sa_render_text (cr, style, coord, 1.0, pan->x0 + pad, pan->y0 + pan->h - pad, 0, 1);
    }
  cairo_restore (cr);
}

static void
draw_slices (cairo_t             *cr,
             const SaRenderStyle *style,
             const SaSliceParams *params,
             double               width,
             double               height,
             gboolean             reference,
             SaSliceCache        *cache)
{
  Panel panels[SA_N_SLICES];
  double omax;

  g_return_if_fail (cr != NULL && style != NULL && params != NULL);
  g_return_if_fail (params->anatomy != NULL && params->anatomy->data != NULL);

  if (width <= 0 || height <= 0)
    return;
  layout (params, width, height, panels);
  omax = params->overlay_max > 0 ? params->overlay_max
         : params->overlay && params->overlay->data ? overlay_abs_max (params->overlay) : 1.0;

  for (int i = 0; i < SA_N_SLICES; i++)
    {
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_rectangle (cr, panels[i].x0, panels[i].y0, panels[i].w, panels[i].h);
      cairo_fill (cr);
      draw_panel_image (cr, params, &panels[i], omax, reference, cache, i);
      draw_panel_overlay (cr, style, params, &panels[i], (SaSliceAxis) i);
    }
}

void
sa_slices_draw (cairo_t             *cr,
                const SaRenderStyle *style,
                const SaSliceParams *params,
                double               width,
                double               height)
{
  draw_slices (cr, style, params, width, height, FALSE, NULL);
}

void
sa_slices_draw_cached (cairo_t             *cr,
                       const SaRenderStyle *style,
                       const SaSliceParams *params,
                       double               width,
                       double               height,
                       SaSliceCache        *cache)
{
  draw_slices (cr, style, params, width, height, FALSE, cache);
}

void
sa_slices_draw_reference (cairo_t             *cr,
                          const SaRenderStyle *style,
                          const SaSliceParams *params,
                          double               width,
                          double               height)
{
  draw_slices (cr, style, params, width, height, TRUE, NULL);
}

gboolean
sa_slices_pick (const SaSliceParams *params,
                double               width,
                double               height,
                double               x,
                double               y,
                SaSliceAxis         *axis,
                double               world[3])
{
  Panel panels[SA_N_SLICES];

  g_return_val_if_fail (params != NULL && params->anatomy != NULL, FALSE);

  layout (params, width, height, panels);
  for (int i = 0; i < SA_N_SLICES; i++)
    {
      const Panel *pan = &panels[i];

      if (x >= pan->x0 && x < pan->x0 + pan->w && y >= pan->y0 && y < pan->y0 + pan->h)
        {
          if (axis)
            *axis = (SaSliceAxis) i;
          panel_to_world (pan, params, x, y, world);
          return TRUE;
        }
    }
  return FALSE;
}

void
sa_slices_project (const SaSliceParams *params,
                   double               width,
                   double               height,
                   SaSliceAxis          axis,
                   const double         world[3],
                   double              *x,
                   double              *y)
{
  Panel panels[SA_N_SLICES];

  g_return_if_fail (params != NULL && axis < SA_N_SLICES);

  layout (params, width, height, panels);
  world_to_panel (&panels[axis], world, x, y);
}

void
sa_slices_panel_axes (SaSliceAxis  axis,
                      gboolean     radiological,
                      int         *h,
                      double      *hsign,
                      int         *v,
                      int         *fixed)
{
  PanelAxes ax = panel_axes (axis, radiological);

  if (h)
    *h = ax.h;
  if (hsign)
    *hsign = ax.hsign;
  if (v)
    *v = ax.v;
  if (fixed)
    *fixed = ax.fixed;
}

double
sa_slices_get_scale (const SaSliceParams *params,
                     double               width,
                     double               height)
{
  Panel panels[SA_N_SLICES];

  g_return_val_if_fail (params != NULL && params->anatomy != NULL, 1.0);
  layout (params, width, height, panels);
  return panels[0].scale;
}
