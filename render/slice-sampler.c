#include "config.h"

#include "render/slice-sampler.h"

#include <string.h>

void
sa_slice_sampler_init (SaSliceSampler      *s,
                       const SaSliceVolume *vol,
                       const double         inv[4][4])
{
  s->d = vol->data;
  s->nx = vol->nx;
  s->ny = vol->ny;
  s->nz = vol->nz;
  s->sy = vol->nx;
  s->sz = (gsize) vol->nx * vol->ny;
  s->ox = vol->nx > 1 ? 1 : 0;
  s->oy = vol->ny > 1 ? s->sy : 0;
  s->oz = vol->nz > 1 ? s->sz : 0;
  s->mi = MAX (vol->nx - 2, 0);
  s->mj = MAX (vol->ny - 2, 0);
  s->mk = MAX (vol->nz - 2, 0);
  memcpy (s->inv, inv, sizeof s->inv);
}

static gboolean
grid_axes (const double inv[3][4],
           int          vox_of_world[3])
{
  int seen = 0;

  for (int r = 0; r < 3; r++)
    {
      int n = 0, wa = 0;

      for (int c = 0; c < 3; c++)
        if (inv[r][c] != 0)
          {
            n++;
            wa = c;
          }
      if (n != 1 || (seen & (1 << wa)))
        return FALSE;
      seen |= 1 << wa;
      vox_of_world[wa] = r;
    }
  return TRUE;
}

/* Index offset, weight and range test along voxel axis @r at world @w on
 * world axis @wa, as sa_slice_sampler_trilinear () or _nearest () has them. */
static void
axis_entry (const SaSliceSampler *s,
            int                   r,
            int                   wa,
            double                w,
            gboolean              trilinear,
            gsize                *off,
            double               *f,
            gboolean             *ok)
{
  long n = r == 0 ? s->nx : r == 1 ? s->ny : s->nz;
  long m = r == 0 ? s->mi : r == 1 ? s->mj : s->mk;
  gsize stride = r == 0 ? 1 : r == 1 ? s->sy : s->sz;
  double c = s->inv[r][wa] * w + s->inv[r][3];

  *off = 0;
  *f = 0;
  if (trilinear)
    {
      long i0;

      *ok = c >= -0.5 && c <= n - 0.5;
      if (!*ok)
        return;
      c = CLAMP (c, 0, n - 1);
      i0 = MIN ((long) c, m);
      *f = c - i0;
      *off = i0 * stride;
    }
  else
    {
      long i;

      *ok = c > -1.0 && c < n;
      if (!*ok)
        return;
      i = sa_round_half_away (c);
      *ok = i >= 0 && i < n;
      *off = *ok ? i * stride : 0;
    }
}

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
                     gboolean              trilinear)
{
  int vox_of_world[3];

  if (!grid_axes ((const double (*)[4]) s->inv, vox_of_world))
    return FALSE;
  pl->rh = vox_of_world[wh];
  pl->rv = vox_of_world[wv];
  pl->rf = vox_of_world[wf];
  pl->col_off = g_new (gsize, iw);
  pl->col_f = g_new (double, iw);
  pl->col_ok = g_new (guint8, iw);
  pl->col_idx = g_new (long, iw);
  pl->row_off = g_new (gsize, ih);
  pl->row_f = g_new (double, ih);
  pl->row_ok = g_new (guint8, ih);
  for (int i = 0; i < iw; i++)
    {
      gboolean ok;

      axis_entry (s, pl->rh, wh, col_u[i], trilinear, &pl->col_off[i], &pl->col_f[i], &ok);
      pl->col_ok[i] = ok;
    }
  {
    gsize stride[3] = { 1, s->sy, s->sz }, next[3] = { s->ox, s->oy, s->oz };

    pl->sh = stride[pl->rh];
    pl->oh = next[pl->rh];
    pl->ov = next[pl->rv];
    pl->of = next[pl->rf];
  }
  pl->idx_lo = G_MAXLONG;
  pl->idx_hi = -1;
  for (int i = 0; i < iw; i++)
    {
      pl->col_idx[i] = (long) (pl->col_off[i] / pl->sh);
      if (pl->col_ok[i])
        {
          pl->idx_lo = MIN (pl->idx_lo, pl->col_idx[i]);
          pl->idx_hi = MAX (pl->idx_hi, pl->col_idx[i]);
        }
    }
  for (int j = 0; j < ih; j++)
    {
      gboolean ok;

      axis_entry (s, pl->rv, wv, row_v[j], trilinear, &pl->row_off[j], &pl->row_f[j], &ok);
      pl->row_ok[j] = ok;
    }
  axis_entry (s, pl->rf, wf, fixed, trilinear, &pl->fix_off, &pl->fix_f, &pl->fix_ok);
  return TRUE;
}

void
sa_slice_plane_clear (SaSlicePlane *pl)
{
  g_free (pl->col_off);
  g_free (pl->col_f);
  g_free (pl->col_ok);
  g_free (pl->col_idx);
  g_free (pl->row_off);
  g_free (pl->row_f);
  g_free (pl->row_ok);
}

void
sa_slice_plane_line (const SaSliceSampler *s,
                     const SaSlicePlane   *pl,
                     int                   j,
                     double               *line)
{
  double fv = pl->row_f[j], ff = pl->fix_f;
  long hi = MIN (pl->idx_hi + 1, (pl->rh == 0 ? s->nx : pl->rh == 1 ? s->ny : s->nz) - 1);

  for (long a = pl->idx_lo; a <= hi; a++)
    {
      const float *p = s->d + a * pl->sh + pl->row_off[j] + pl->fix_off;

      line[a - pl->idx_lo] = sa_lerp_skip (sa_lerp_skip (p[0], p[pl->ov], fv),
                                        sa_lerp_skip (p[pl->of], p[pl->ov + pl->of], fv), ff);
    }
}
