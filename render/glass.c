#include "config.h"

#include "render/glass.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/colorbar.h"

/* Enough silhouette points for a smooth edge at screen size while rotation
 * stays well under a frame's time. */
#define OUTLINE_TARGET_POINTS 120000
/* Template voxels above this fraction of its robust maximum are "brain";
 * low enough to include grey matter on T1, and any value of a 0/1 mask. */
#define OUTLINE_FRACTION 0.2

struct _SaGlass {
  GArray *map;          /* SaGlassPoint */
  GArray *outline;      /* SaGlassPoint */
  double  threshold;
  double  abs_max;
  double  map_voxel_mm;
  double  outline_voxel_mm;
  double  centre[3];
  double  radius;
};

void
sa_glass_params_init (SaGlassParams *params)
{
  g_return_if_fail (params != NULL);

  memset (params, 0, sizeof *params);
  params->azimuth = SA_GLASS_FRONT_AZIMUTH;
  params->elevation = SA_GLASS_FRONT_ELEVATION;
  params->zoom = 1.0;
  params->colormap = SA_COLORMAP_RDBU;
  params->show_colorbar = TRUE;
  params->show_outline = TRUE;
}

static void
voxel_to_world (const SaSliceVolume *v,
                double               i,
                double               j,
                double               k,
                float                out[3])
{
  for (int r = 0; r < 3; r++)
    out[r] = v->affine[r][0] * i + v->affine[r][1] * j + v->affine[r][2] * k + v->affine[r][3];
}

/* Geometric mean of the three column lengths: one number for a splat. */
static double
voxel_mm (const SaSliceVolume *v)
{
  double prod = 1.0;

  for (int c = 0; c < 3; c++)
    prod *= sqrt (v->affine[0][c] * v->affine[0][c] + v->affine[1][c] * v->affine[1][c]
                  + v->affine[2][c] * v->affine[2][c]);
  return prod > 0 ? cbrt (prod) : 1.0;
}

static int
cmp_float (const void *a,
           const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return (x > y) - (x < y);
}

/* 98th percentile of the positive values, from a strided sample: a few hot
 * voxels (vessels, scaling artefacts) must not set the brain's level. */
static double
robust_max (const SaSliceVolume *v)
{
  gsize n = (gsize) v->nx * v->ny * v->nz, stride = MAX (1, n / 200000);
  g_autoptr(GArray) s = g_array_new (FALSE, FALSE, sizeof (float));

  for (gsize i = 0; i < n; i += stride)
    if (v->data[i] > 0 && isfinite (v->data[i]))
      g_array_append_val (s, v->data[i]);
  if (s->len == 0)
    return 0;
  qsort (s->data, s->len, sizeof (float), cmp_float);
  return g_array_index (s, float, (gsize) (0.98 * (s->len - 1)));
}

struct _SaGlassOutline {
  gatomicrefcount ref;
  GArray         *points;     /* SaGlassPoint */
  double          voxel_mm;
};

/* Reads only @v: safe in a worker thread while the main thread draws. */
SaGlassOutline *
sa_glass_outline_new (const SaSliceVolume *v)
{
  SaGlassOutline *outline = g_new0 (SaGlassOutline, 1);
  double level;
  gsize n_in = 0;
  int stride;

  g_atomic_ref_count_init (&outline->ref);
  outline->points = g_array_new (FALSE, FALSE, sizeof (SaGlassPoint));
  outline->voxel_mm = 1.0;
  if (v == NULL || v->data == NULL || v->nx <= 0 || v->ny <= 0 || v->nz <= 0)
    return outline;
  level = OUTLINE_FRACTION * robust_max (v);
  if (level <= 0)
    return outline;
  for (gsize i = 0, n = (gsize) v->nx * v->ny * v->nz; i < n; i++)
    n_in += v->data[i] > level;
  stride = MAX (1, (int) ceil (cbrt ((double) n_in / OUTLINE_TARGET_POINTS)));
  outline->voxel_mm = voxel_mm (v) * stride;

  for (int k = 0; k < v->nz; k += stride)
    for (int j = 0; j < v->ny; j += stride)
      for (int i = 0; i < v->nx; i += stride)
        {
          float x = v->data[((gsize) k * v->ny + j) * v->nx + i];
          SaGlassPoint p = { { 0 }, 0 };

          if (!(x > level))
            continue;
          voxel_to_world (v, i, j, k, p.xyz);
          g_array_append_val (outline->points, p);
        }
  return outline;
}

SaGlassOutline *
sa_glass_outline_ref (SaGlassOutline *outline)
{
  g_return_val_if_fail (outline != NULL, NULL);
  g_atomic_ref_count_inc (&outline->ref);
  return outline;
}

void
sa_glass_outline_unref (SaGlassOutline *outline)
{
  if (outline == NULL || !g_atomic_ref_count_dec (&outline->ref))
    return;
  g_array_unref (outline->points);
  g_free (outline);
}

gsize
sa_glass_outline_get_n_points (const SaGlassOutline *outline)
{
  g_return_val_if_fail (outline != NULL, 0);
  return outline->points->len;
}

static void
collect_map (SaGlass             *glass,
             const SaSliceVolume *v)
{
  glass->map_voxel_mm = voxel_mm (v);
  for (int k = 0; k < v->nz; k++)
    for (int j = 0; j < v->ny; j++)
      for (int i = 0; i < v->nx; i++)
        {
          float x = v->data[((gsize) k * v->ny + j) * v->nx + i];
          SaGlassPoint p;

          /* threshold 0 would keep the whole zero background. */
          if (!isfinite (x) || x == 0 || fabsf (x) < glass->threshold)
            continue;
          voxel_to_world (v, i, j, k, p.xyz);
          p.value = x;
          glass->abs_max = MAX (glass->abs_max, fabsf (x));
          g_array_append_val (glass->map, p);
        }
}

static void
compute_bounds (SaGlass *glass)
{
  GArray *src = glass->outline->len > 0 ? glass->outline : glass->map;
  double lo[3] = { G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE };
  double hi[3] = { -G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  double r2 = 0;

  if (src->len == 0)
    {
      memset (glass->centre, 0, sizeof glass->centre);
      glass->radius = 100;
      return;
    }
  for (guint i = 0; i < src->len; i++)
    for (int c = 0; c < 3; c++)
      {
        lo[c] = MIN (lo[c], g_array_index (src, SaGlassPoint, i).xyz[c]);
        hi[c] = MAX (hi[c], g_array_index (src, SaGlassPoint, i).xyz[c]);
      }
  for (int c = 0; c < 3; c++)
    glass->centre[c] = 0.5 * (lo[c] + hi[c]);
  for (guint i = 0; i < src->len; i++)
    {
      const float *p = g_array_index (src, SaGlassPoint, i).xyz;
      double d2 = 0;

      for (int c = 0; c < 3; c++)
        d2 += (p[c] - glass->centre[c]) * (p[c] - glass->centre[c]);
      r2 = MAX (r2, d2);
    }
  glass->radius = MAX (1.0, sqrt (r2) + MAX (glass->outline_voxel_mm, glass->map_voxel_mm));
}

SaGlass *
sa_glass_new_with_outline (const SaSliceVolume *map,
                           SaGlassOutline      *outline,
                           double               threshold)
{
  SaGlass *glass = g_new0 (SaGlass, 1);

  glass->map = g_array_new (FALSE, FALSE, sizeof (SaGlassPoint));
  glass->threshold = MAX (0, threshold);
  glass->map_voxel_mm = 1.0;
  if (outline)
    {
      /* Shared, never written after it is built. */
      glass->outline = g_array_ref (outline->points);
      glass->outline_voxel_mm = outline->voxel_mm;
    }
  else
    {
      glass->outline = g_array_new (FALSE, FALSE, sizeof (SaGlassPoint));
      glass->outline_voxel_mm = 1.0;
    }
  if (map && map->data && map->nx > 0 && map->ny > 0 && map->nz > 0)
    collect_map (glass, map);
  compute_bounds (glass);
  return glass;
}

SaGlass *
sa_glass_new (const SaSliceVolume *map,
              const SaSliceVolume *outline,
              double               threshold)
{
  SaGlassOutline *points = outline ? sa_glass_outline_new (outline) : NULL;
  SaGlass *glass = sa_glass_new_with_outline (map, points, threshold);

  sa_glass_outline_unref (points);
  return glass;
}

void
sa_glass_set_outline (SaGlass        *glass,
                      SaGlassOutline *outline)
{
  g_return_if_fail (glass != NULL);

  g_array_unref (glass->outline);
  if (outline)
    {
      glass->outline = g_array_ref (outline->points);
      glass->outline_voxel_mm = outline->voxel_mm;
    }
  else
    {
      glass->outline = g_array_new (FALSE, FALSE, sizeof (SaGlassPoint));
      glass->outline_voxel_mm = 1.0;
    }
  compute_bounds (glass);
}

void
sa_glass_set_map (SaGlass             *glass,
                  const SaSliceVolume *map,
                  double               threshold)
{
  g_return_if_fail (glass != NULL);

  g_array_set_size (glass->map, 0);
  glass->abs_max = 0;
  glass->threshold = MAX (0, threshold);
  if (map && map->data && map->nx > 0 && map->ny > 0 && map->nz > 0)
    collect_map (glass, map);
  /* Without a silhouette the map points set the bounds. */
  if (glass->outline->len == 0)
    compute_bounds (glass);
}

void
sa_glass_free (SaGlass *glass)
{
  if (glass == NULL)
    return;
  g_array_unref (glass->map);
  g_array_unref (glass->outline);
  g_free (glass);
}

double
sa_glass_get_threshold (const SaGlass *glass)
{
  g_return_val_if_fail (glass != NULL, 0);
  return glass->threshold;
}

double
sa_glass_get_abs_max (const SaGlass *glass)
{
  g_return_val_if_fail (glass != NULL, 0);
  return glass->abs_max;
}

const SaGlassPoint *
sa_glass_get_map_points (const SaGlass *glass,
                         gsize         *n_points)
{
  g_return_val_if_fail (glass != NULL, NULL);
  *n_points = glass->map->len;
  return (const SaGlassPoint *) glass->map->data;
}

const SaGlassPoint *
sa_glass_get_outline_points (const SaGlass *glass,
                             gsize         *n_points)
{
  g_return_val_if_fail (glass != NULL, NULL);
  *n_points = glass->outline->len;
  return (const SaGlassPoint *) glass->outline->data;
}

double
sa_glass_get_map_voxel_mm (const SaGlass *glass)
{
  g_return_val_if_fail (glass != NULL, 1);
  return glass->map_voxel_mm;
}

double
sa_glass_get_outline_voxel_mm (const SaGlass *glass)
{
  g_return_val_if_fail (glass != NULL, 1);
  return glass->outline_voxel_mm;
}

void
sa_glass_get_bounds (const SaGlass *glass,
                     double         centre[3],
                     double        *radius)
{
  g_return_if_fail (glass != NULL);
  memcpy (centre, glass->centre, sizeof glass->centre);
  *radius = glass->radius;
}

void
sa_glass_view_axes (const SaGlassParams *params,
                    double               right[3],
                    double               up[3],
                    double               forward[3])
{
  double a = params->azimuth * G_PI / 180, e = params->elevation * G_PI / 180;

  /* Azimuth 0: looking along +y (from behind), right = +x, up = +z; the
   * azimuth turns about z, the elevation tilts the eye up about "right". */
  right[0] = cos (a);           right[1] = sin (a);           right[2] = 0;
  up[0] = -sin (a) * sin (e);   up[1] = cos (a) * sin (e);    up[2] = cos (e);
  forward[0] = -sin (a) * cos (e); forward[1] = cos (a) * cos (e); forward[2] = -sin (e);
}

typedef struct {
  double right[3], up[3];
  double centre[3];
  double cx, cy, scale;
  double plot_w, plot_h;
} Projection;

static double
colorbar_width (const SaGlassParams *params,
                double               width)
{
  return params->show_colorbar ? MIN (70.0, 0.2 * width) : 0;
}

static void
projection_init (Projection          *pr,
                 const SaGlass       *glass,
                 const SaGlassParams *params,
                 double               width,
                 double               height)
{
  double forward[3];

  sa_glass_view_axes (params, pr->right, pr->up, forward);
  memcpy (pr->centre, glass->centre, sizeof pr->centre);
  pr->plot_w = MAX (1, width - colorbar_width (params, width));
  pr->plot_h = MAX (1, height);
  pr->cx = 0.5 * pr->plot_w;
  pr->cy = 0.5 * pr->plot_h;
  pr->scale = (params->zoom > 0 ? params->zoom : 1.0) * 0.5 * MIN (pr->plot_w, pr->plot_h)
              / glass->radius;
}

static inline void
project (const Projection *pr,
         const float       p[3],
         double           *x,
         double           *y)
{
  double d[3] = { p[0] - pr->centre[0], p[1] - pr->centre[1], p[2] - pr->centre[2] };

  *x = pr->cx + pr->scale * (d[0] * pr->right[0] + d[1] * pr->right[1] + d[2] * pr->right[2]);
  *y = pr->cy - pr->scale * (d[0] * pr->up[0] + d[1] * pr->up[1] + d[2] * pr->up[2]);
}

void
sa_glass_project (const SaGlass       *glass,
                  const SaGlassParams *params,
                  double               width,
                  double               height,
                  const double         world[3],
                  double              *x,
                  double              *y)
{
  Projection pr;
  float p[3] = { world[0], world[1], world[2] };

  g_return_if_fail (glass != NULL && params != NULL);
  projection_init (&pr, glass, params, width, height);
  project (&pr, p, x, y);
}

/* Splat half-width in pixels: a rotated voxel's footprint is up to √2 wider
 * than its edge; 0.6 of the edge closes the gaps between neighbours. */
static int
splat_radius (double voxel,
              double scale)
{
  return MAX (0, (int) floor (0.6 * voxel * scale));
}

static guint32
premultiply (const double rgb[3],
             double       alpha)
{
  guint32 a = (guint32) lround (alpha * 255);

  return a << 24 | (guint32) lround (rgb[0] * alpha * 255) << 16
         | (guint32) lround (rgb[1] * alpha * 255) << 8 | (guint32) lround (rgb[2] * alpha * 255);
}

/* Device pixels per user unit for the raster part, capped so a huge
 * export stays within 64 Mpixels. */
static double
pixel_scale (cairo_t *cr,
             double   w,
             double   h)
{
  double dx = 1, dy = 0, s;

  cairo_user_to_device_distance (cr, &dx, &dy);
  s = hypot (dx, dy);
  switch (cairo_surface_get_type (cairo_get_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_SVG:
    case CAIRO_SURFACE_TYPE_PS:
      s = MAX (s, 300.0 / 72.0);
      break;
    default:
      break;
    }
  if (!(s > 0))
    s = 1;
  if (w * h * s * s > 64e6)
    s = sqrt (64e6 / (w * h));
  return MAX (s, 1e-3);
}

void
sa_glass_draw (cairo_t             *cr,
               const SaRenderStyle *style,
               const SaGlass       *glass,
               const SaGlassParams *params,
               double               width,
               double               height)
{
  Projection pr;
  cairo_surface_t *img;
  int iw, ih, stride, rad;
  g_autofree guint8 *occ = NULL;
  g_autofree float *best = NULL;
  guint32 *pix;
  double vmax, px;
  gboolean diverging;

  g_return_if_fail (cr != NULL && style != NULL && glass != NULL && params != NULL);
  if (width < 2 || height < 2)
    return;
  projection_init (&pr, glass, params, width, height);
  /* The projection is raster: build it at the device's resolution (a
   * 300 dpi PNG export gets 300 dpi voxels), and at about 300 dpi for
   * vector surfaces, where cairo embeds it as an image. */
  px = pixel_scale (cr, pr.plot_w, pr.plot_h);
  pr.plot_w *= px;
  pr.plot_h *= px;
  pr.cx *= px;
  pr.cy *= px;
  pr.scale *= px;
  iw = (int) ceil (pr.plot_w);
  ih = (int) ceil (pr.plot_h);
  occ = g_malloc0 ((gsize) iw * ih);
  best = g_malloc0 ((gsize) iw * ih * sizeof (float));
  vmax = params->vmax > 0 ? params->vmax : glass->abs_max > 0 ? glass->abs_max : 1.0;
  diverging = sa_colormap_is_diverging (params->colormap);

  if (params->show_outline)
    {
      rad = splat_radius (glass->outline_voxel_mm, pr.scale);
      for (guint n = 0; n < glass->outline->len; n++)
        {
          double x, y;
          int px, py;

          project (&pr, g_array_index (glass->outline, SaGlassPoint, n).xyz, &x, &y);
          px = (int) floor (x);
          py = (int) floor (y);
          for (int yy = MAX (0, py - rad); yy <= MIN (ih - 1, py + rad); yy++)
            memset (occ + (gsize) yy * iw + MAX (0, px - rad), 1,
                    MAX (0, MIN (iw - 1, px + rad) - MAX (0, px - rad) + 1));
        }
    }

  /* The MIP of |value|, keeping the sign of the winner. */
  rad = splat_radius (glass->map_voxel_mm, pr.scale);
  for (guint n = 0; n < glass->map->len; n++)
    {
      const SaGlassPoint *p = &g_array_index (glass->map, SaGlassPoint, n);
      double x, y;
      int px, py;

      project (&pr, p->xyz, &x, &y);
      px = (int) floor (x);
      py = (int) floor (y);
      for (int yy = MAX (0, py - rad); yy <= MIN (ih - 1, py + rad); yy++)
        for (int xx = MAX (0, px - rad); xx <= MIN (iw - 1, px + rad); xx++)
          {
            float *b = best + (gsize) yy * iw + xx;

            if (fabsf (p->value) > fabsf (*b))
              *b = p->value;
          }
    }

  img = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, iw, ih);
  stride = cairo_image_surface_get_stride (img);
  pix = (guint32 *) cairo_image_surface_get_data (img);
  for (int y = 0; y < ih; y++)
    for (int x = 0; x < iw; x++)
      {
        gsize i = (gsize) y * iw + x;
        guint32 *out = (guint32 *) ((guint8 *) pix + (gsize) y * stride) + x;

        if (best[i] != 0)
          {
            double rgb[3], t = diverging ? 0.5 + 0.5 * best[i] / vmax : fabs (best[i]) / vmax;

            sa_colormap_sample (params->colormap, t, rgb);
            *out = premultiply (rgb, 1.0);
          }
        else if (occ[i])
          {
            gboolean edge = x == 0 || y == 0 || x == iw - 1 || y == ih - 1
                            || !occ[i - 1] || !occ[i + 1] || !occ[i - iw] || !occ[i + iw];

            /* Faint fill, stronger rim: the silhouette reads as glass. */
            *out = premultiply (style->fg, edge ? 0.6 : 0.12);
          }
        else
          *out = 0;
      }
  cairo_surface_mark_dirty (img);

  cairo_save (cr);
  sa_render_set_rgb (cr, style->bg);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  cairo_scale (cr, 1 / px, 1 / px);
  cairo_set_source_surface (cr, img, 0, 0);
  /* Nearest keeps voxel edges crisp when the cairo_t scales (exports). */
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_rectangle (cr, 0, 0, iw, ih);
  cairo_fill (cr);
  cairo_restore (cr);
  cairo_surface_destroy (img);

  if (params->show_colorbar)
    {
      double cbw = colorbar_width (params, width);

      sa_colorbar_draw (cr, style, params->colormap, diverging ? -vmax : 0, vmax,
                        glass->threshold, NULL, pr.plot_w / px + 0.1 * cbw, 0.1 * height,
                        0.25 * cbw, 0.8 * height);
    }
}
