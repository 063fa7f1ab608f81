/* slice-sampler.h — the fast slice renderer's sampling (render/ only)
 *
 * Per-pixel pieces are static inline so that render/slices.c's pixel loop
 * has no calls in it; what runs once per row, column or draw is in
 * slice-sampler.c. */
#pragma once

#include <math.h>

#include "render/slices.h"

G_BEGIN_DECLS

/* The fast path's view of one volume. World mm along a panel row or column
 * comes from tables filled once per draw, and the sampling below is inlined
 * with no per-pixel calls into libm. Coordinates, range tests and weights
 * are computed with the reference's expressions in its order, so a pixel
 * centre that lands exactly on the grid's edge (the layout puts the edges
 * on round numbers) falls on the same side in both paths. */
typedef struct {
  const float *d;
  long   nx, ny, nz;
  gsize  sy, sz;             /* element strides */
  gsize  ox, oy, oz;         /* the +1 neighbour along each axis; 0 if the axis has one voxel */
  long   mi, mj, mk;         /* largest lower corner along each axis */
  double inv[3][4];          /* world → voxel */
} SaSliceSampler;

/* Voxel coordinates of @world, as sa_slice_volume_world_to_voxel () has them. */
static inline void
sa_slice_sampler_voxel (const SaSliceSampler *s,
                        const double          world[3],
                        double                ijk[3])
{
  for (int r = 0; r < 3; r++)
    ijk[r] = s->inv[r][0] * world[0] + s->inv[r][1] * world[1] + s->inv[r][2] * world[2] + s->inv[r][3];
}

/* The trilinear sum around the voxel at @p with weights @fx, @fy, @fz
 * towards the next voxel along each axis. Corner order and the skipped zero
 * weights as in sample_voxel (): a NaN voxel with no weight must not poison
 * the sum. Inlined by force: as a call it cost a quarter of the fast path. */
static inline __attribute__ ((always_inline)) double
sa_slice_corners (const SaSliceSampler *s,
                  const float          *p,
                  double                fx,
                  double                fy,
                  double                fz)
{
  double gx = 1 - fx, gy = 1 - fy, gz = 1 - fz, w, acc = 0;

#define CORNER(wgt, off) w = (wgt); acc += w > 0 ? w * p[off] : 0.0
  CORNER (gx * gy * gz, 0);
  CORNER (fx * gy * gz, s->ox);
  CORNER (gx * fy * gz, s->oy);
  CORNER (fx * fy * gz, s->ox + s->oy);
  CORNER (gx * gy * fz, s->oz);
  CORNER (fx * gy * fz, s->ox + s->oz);
  CORNER (gx * fy * fz, s->oy + s->oz);
  CORNER (fx * fy * fz, s->ox + s->oy + s->oz);
#undef CORNER
  return acc;
}

static inline double
sa_slice_sampler_trilinear (const SaSliceSampler *s,
                            double                x,
                            double                y,
                            double                z)
{
  long i0, j0, k0;
  double fx, fy, fz;

  if (!(x >= -0.5 && y >= -0.5 && z >= -0.5 &&
        x <= s->nx - 0.5 && y <= s->ny - 0.5 && z <= s->nz - 0.5))
    return NAN;
  x = CLAMP (x, 0, s->nx - 1);
  y = CLAMP (y, 0, s->ny - 1);
  z = CLAMP (z, 0, s->nz - 1);
  i0 = MIN ((long) x, s->mi);
  j0 = MIN ((long) y, s->mj);
  k0 = MIN ((long) z, s->mk);
  fx = x - i0;
  fy = y - j0;
  fz = z - k0;
  return sa_slice_corners (s, s->d + i0 + j0 * s->sy + k0 * s->sz, fx, fy, fz);
}

/* lround () without the libm call: x - trunc (x) is exact in doubles. */
static inline long
sa_round_half_away (double x)
{
  long r = (long) x;
  double f = x - r;

  return f >= 0.5 ? r + 1 : f <= -0.5 ? r - 1 : r;
}

static inline double
sa_slice_sampler_nearest (const SaSliceSampler *s,
                          double                x,
                          double                y,
                          double                z)
{
  long i, j, k;

  /* Out of long's range (or NaN) rounds to garbage: reject it first. */
  if (!(x > -1.0 && y > -1.0 && z > -1.0 && x < s->nx && y < s->ny && z < s->nz))
    return NAN;
  i = sa_round_half_away (x);
  j = sa_round_half_away (y);
  k = sa_round_half_away (z);
  if (i < 0 || j < 0 || k < 0 || i >= s->nx || j >= s->ny || k >= s->nz)
    return NAN;
  return s->d[i + j * s->sy + k * s->sz];
}

/* Grids whose voxel axes each follow one world axis (the templates and
 * maps, in practice): a voxel coordinate then depends on one panel axis
 * only, so its index, weight and range test are tabled per column, per row
 * and once for the fixed axis, and a pixel is the eight-corner sum alone.
 * A zero matrix term adds an exact zero, so the tabled coordinate is the
 * one sa_slice_sampler_voxel () computes, to the bit. */
typedef struct {
  int     rh, rv, rf;           /* voxel axes along the panel's h, v and fixed world axes */
  gsize  *col_off, *row_off, fix_off;
  long   *col_idx;              /* voxel index along rh per column */
  long    idx_lo, idx_hi;       /* the range of col_idx over the columns in the grid */
  gsize   sh, oh, ov, of;       /* stride along rh; +1 neighbours along rh, rv and rf */
  double *col_f, *row_f, fix_f;
  guint8 *col_ok, *row_ok;
  gboolean fix_ok;
} SaSlicePlane;

/* Pixel (i, j) of an aligned plane; @f holds the row's weights along the
 * row and fixed axes (set by the caller once per row). */
static inline double
sa_slice_plane_sample (const SaSliceSampler *s,
                       const SaSlicePlane   *pl,
                       int                   i,
                       int                   j,
                       double                f[3],
                       gboolean              trilinear)
{
  const float *p;

  if (!pl->col_ok[i])
    return NAN;
  p = s->d + pl->col_off[i] + pl->row_off[j] + pl->fix_off;
  if (!trilinear)
    return *p;
  f[pl->rh] = pl->col_f[i];
  return sa_slice_corners (s, p, f[0], f[1], f[2]);
}

/* Separable trilinear on an aligned plane: along a row the weights on the
 * row's and the fixed axis do not change, so the four voxels of each cell
 * column collapse once per row into @line (one value per voxel index along
 * the row's axis, in idx_lo..idx_hi + 1), and a pixel is one lerp of two of
 * them. A term of zero weight is skipped at every step, as sample_voxel ()
 * skips a corner of zero weight, so NaN voxels stay where they would be. The
 * sums differ from the eight-corner one in the last bits only: a grey level
 * exactly between two steps may round the other way (one level of 255). */
static inline double
sa_lerp_skip (double a,
              double b,
              double f)
{
  double g = 1 - f;

  return (g > 0 ? g * a : 0.0) + (f > 0 ? f * b : 0.0);
}

static inline double
sa_slice_line_sample (const SaSlicePlane *pl,
                      const double       *line,
                      int                 i)
{
  long a;
  double f;

  if (!pl->col_ok[i])
    return NAN;
  a = pl->col_idx[i] - pl->idx_lo;
  f = pl->col_f[i];
  /* The +1 neighbour is read only with a weight: along a one-voxel axis
   * there is none. */
  return f > 0 ? sa_lerp_skip (line[a], line[a + 1], f) : line[a];
}

void
sa_slice_sampler_init (SaSliceSampler      *s,
                       const SaSliceVolume *vol,
                       const double         inv[4][4]);

gboolean
sa_slice_plane_init (SaSlicePlane         *pl,
                     const SaSliceSampler *s,
                     int                   wh,
                     int                   wv,
                     int                   wf,
                     const double         *col_u,
                     int                   iw,
                     const double         *row_v,
                     int                   ih,
                     double                fixed,
                     gboolean              trilinear);

void
sa_slice_plane_clear (SaSlicePlane *pl);

void
sa_slice_plane_line (const SaSliceSampler *s,
                     const SaSlicePlane   *pl,
                     int                   j,
                     double               *line);

G_END_DECLS
