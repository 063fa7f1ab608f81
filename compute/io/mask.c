#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/mask.h"

/* nilearn's compute_epi_mask defaults (lower_cutoff, upper_cutoff, opening). */
#define EPI_LOWER_CUTOFF 0.2
#define EPI_UPPER_CUTOFF 0.85
#define EPI_OPENING      2

void
sa_mask_free (SaMask *mask)
{
  if (mask == NULL)
    return;
  g_free (mask->in);
  g_free (mask->index);
  g_free (mask);
}

static gboolean
finish_mask (SaMask      *mask,
             const char  *path,
             GError     **error)
{
  gint64 n = (gint64) mask->nx * mask->ny * mask->nz;

  mask->n_in = 0;
  for (gint64 i = 0; i < n; i++)
    mask->n_in += mask->in[i] != 0;
  if (mask->n_in == 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("mask selects no voxel"));
      return FALSE;
    }
  g_free (mask->index);
  mask->index = g_new (gint64, mask->n_in);
  for (gint64 i = 0, k = 0; i < n; i++)
    if (mask->in[i])
      mask->index[k++] = i;
  return TRUE;
}

SaMask *
sa_mask_load (const char  *path,
              GError     **error)
{
  g_autoptr(SaVolume) volume = NULL;
  g_autoptr(SaMask) mask = NULL;
  gint64 n;

  g_return_val_if_fail (path != NULL, NULL);

  volume = sa_volume_load (path, NULL, NULL, error);
  if (volume == NULL)
    return NULL;
  if (volume->nt != 1)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("a mask must be one 3D volume (this file has %d volumes)"), volume->nt);
      return NULL;
    }
  mask = g_new0 (SaMask, 1);
  mask->nx = volume->nx;
  mask->ny = volume->ny;
  mask->nz = volume->nz;
  memcpy (mask->affine, volume->affine, sizeof mask->affine);
  n = (gint64) mask->nx * mask->ny * mask->nz;
  mask->in = g_new0 (guint8, n);
  for (gint64 i = 0; i < n; i++)
    mask->in[i] = volume->data[i] != 0 && !isnan (volume->data[i]);
  if (!finish_mask (mask, path, error))
    return NULL;
  return g_steal_pointer (&mask);
}

static gboolean
grids_agree (int          nx,
             int          ny,
             int          nz,
             const double a[4][4],
             int          mx,
             int          my,
             int          mz,
             const double b[4][4])
{
  if (nx != mx || ny != my || nz != mz)
    return FALSE;
  for (int j = 0; j < 4; j++)
    {
      double size = j < 3 ? sqrt (a[0][j] * a[0][j] + a[1][j] * a[1][j] + a[2][j] * a[2][j]) : 1;
      for (int r = 0; r < 3; r++)
        if (fabs (a[r][j] - b[r][j]) > 1e-3 * MAX (size, 1e-6))
          return FALSE;
    }
  return TRUE;
}

gboolean
sa_mask_matches_grid (const SaMask   *mask,
                      const SaVolume *header,
                      const char     *path,
                      GError        **error)
{
  g_return_val_if_fail (mask != NULL && header != NULL, FALSE);

  if (grids_agree (header->nx, header->ny, header->nz, header->affine,
                   mask->nx, mask->ny, mask->nz, mask->affine))
    return TRUE;
  sa_set_error (error, SA_ERROR_MISMATCH, path,
                _("grid %d×%d×%d does not match the mask's %d×%d×%d (or the affines differ)"),
                header->nx, header->ny, header->nz, mask->nx, mask->ny, mask->nz);
  return FALSE;
}

gboolean
sa_mask_save (const SaMask *mask,
              const char   *path,
              GError      **error)
{
  g_autoptr(SaVolume) volume = NULL;
  gint64 n;

  g_return_val_if_fail (mask != NULL && path != NULL, FALSE);

  volume = sa_volume_new (mask->nx, mask->ny, mask->nz, 1, mask->affine);
  n = (gint64) mask->nx * mask->ny * mask->nz;
  for (gint64 i = 0; i < n; i++)
    volume->data[i] = mask->in[i] ? 1.0f : 0.0f;
  return sa_volume_save (volume, path, FALSE, error);
}

/* Running statistics of one run, one volume at a time. */
typedef struct {
  SaVolume *header;
  int       nt;
  double   *sum;
  float    *lo;
  float    *hi;
  guint8   *finite;
  gint64    n;
} RunStats;

static gboolean
accumulate (int          t,
            const float *volume,
            gpointer     user_data)
{
  RunStats *s = user_data;

  if (s->sum == NULL)
    {
      s->n = (gint64) s->header->nx * s->header->ny * s->header->nz;
      s->sum = g_new0 (double, s->n);
      s->lo = g_new (float, s->n);
      s->hi = g_new (float, s->n);
      s->finite = g_new (guint8, s->n);
      memset (s->finite, 1, s->n);
      memcpy (s->lo, volume, s->n * sizeof (float));
      memcpy (s->hi, volume, s->n * sizeof (float));
    }
  for (gint64 i = 0; i < s->n; i++)
    {
      float v = volume[i];
      if (!isfinite (v))
        {
          s->finite[i] = 0;
          continue;
        }
      s->sum[i] += v;
      if (v < s->lo[i])
        s->lo[i] = v;
      if (v > s->hi[i])
        s->hi[i] = v;
    }
  s->nt++;
  return TRUE;
}

static void
run_stats_clear (RunStats *s)
{
  g_free (s->sum);
  g_free (s->lo);
  g_free (s->hi);
  g_free (s->finite);
}

/* scipy.ndimage.binary_erosion / binary_dilation with the 6-neighbour cross,
 * voxels outside the grid counting as 0 (scipy's border_value=0). */
static void
morph (guint8 *in,
       int     nx,
       int     ny,
       int     nz,
       gboolean erode,
       int     iterations)
{
  gint64 n = (gint64) nx * ny * nz;
  g_autofree guint8 *out = g_new (guint8, n);

  for (int it = 0; it < iterations; it++)
    {
      for (int z = 0; z < nz; z++)
        for (int y = 0; y < ny; y++)
          for (int x = 0; x < nx; x++)
            {
              gint64 i = x + (gint64) nx * (y + (gint64) ny * z);
              guint8 nb[6] = {
                x > 0 ? in[i - 1] : 0, x + 1 < nx ? in[i + 1] : 0,
                y > 0 ? in[i - nx] : 0, y + 1 < ny ? in[i + nx] : 0,
                z > 0 ? in[i - (gint64) nx * ny] : 0, z + 1 < nz ? in[i + (gint64) nx * ny] : 0,
              };
              guint8 v = in[i];
              for (int k = 0; k < 6; k++)
                v = erode ? (v && nb[k]) : (v || nb[k]);
              out[i] = v;
            }
      memcpy (in, out, n);
    }
}

/* Keeps the largest 6-connected component (nilearn's
 * largest_connected_component). */
static void
largest_component (guint8 *in,
                   int     nx,
                   int     ny,
                   int     nz)
{
  gint64 n = (gint64) nx * ny * nz;
  g_autofree gint32 *label = g_new0 (gint32, n);
  g_autofree gint64 *stack = g_new (gint64, n);
  gint32 best = 0, next = 0;
  gint64 best_size = 0;

  for (gint64 seed = 0; seed < n; seed++)
    {
      gint64 top = 0, size = 0;
      if (!in[seed] || label[seed] != 0)
        continue;
      label[seed] = ++next;
      stack[top++] = seed;
      while (top > 0)
        {
          gint64 i = stack[--top];
          int x = i % nx, y = (i / nx) % ny, z = i / ((gint64) nx * ny);
          gint64 nb[6];
          int m = 0;
          size++;
          if (x > 0) nb[m++] = i - 1;
          if (x + 1 < nx) nb[m++] = i + 1;
          if (y > 0) nb[m++] = i - nx;
          if (y + 1 < ny) nb[m++] = i + nx;
          if (z > 0) nb[m++] = i - (gint64) nx * ny;
          if (z + 1 < nz) nb[m++] = i + (gint64) nx * ny;
          for (int k = 0; k < m; k++)
            if (in[nb[k]] && label[nb[k]] == 0)
              {
                label[nb[k]] = next;
                stack[top++] = nb[k];
              }
        }
      if (size > best_size)
        {
          best_size = size;
          best = next;
        }
    }
  for (gint64 i = 0; i < n; i++)
    in[i] = best != 0 && label[i] == best;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* nilearn's compute_epi_mask on a mean image: the threshold sits in the
 * widest gap of the sorted intensities between the 20th and 85th
 * percentiles (background and brain separate there in EPI), then an
 * opening of 2 and the largest connected component. */
static void
epi_mask (const double *mean,
          guint8       *in,
          int           nx,
          int           ny,
          int           nz)
{
  gint64 n = (gint64) nx * ny * nz;
  g_autofree double *sorted = g_memdup2 (mean, n * sizeof (double));
  gint64 lower, upper, ia = 0;
  double best = -1, threshold;
  gboolean any = FALSE;

  qsort (sorted, n, sizeof (double), compare_doubles);
  lower = (gint64) floor (EPI_LOWER_CUTOFF * n);
  upper = MIN ((gint64) floor (EPI_UPPER_CUTOFF * n), n - 1);
  for (gint64 i = lower; i < upper; i++)
    if (sorted[i + 1] - sorted[i] > best)
      {
        best = sorted[i + 1] - sorted[i];
        ia = i;
      }
  threshold = 0.5 * (sorted[ia] + sorted[ia + 1]);
  for (gint64 i = 0; i < n; i++)
    in[i] = mean[i] >= threshold;

  morph (in, nx, ny, nz, TRUE, EPI_OPENING);
  for (gint64 i = 0; i < n && !any; i++)
    any = in[i];
  if (any)
    largest_component (in, nx, ny, nz);
  morph (in, nx, ny, nz, FALSE, 2 * EPI_OPENING);
  morph (in, nx, ny, nz, TRUE, EPI_OPENING);
}

SaMask *
sa_mask_compute (const char *const *bold_paths,
                 int                n_paths,
                 GCancellable      *cancellable,
                 GError           **error)
{
  g_autoptr(SaMask) mask = NULL;
  g_autofree double *mean = NULL;
  g_autofree guint8 *epi = NULL;
  const char *first = NULL;

  g_return_val_if_fail (bold_paths != NULL && n_paths > 0, NULL);

  for (int p = 0; p < n_paths; p++)
    {
      SaVolume header = { 0 };
      RunStats s = { .header = &header };
      gboolean baseline = TRUE, positive = FALSE;

      if (!sa_volume_stream (bold_paths[p], &header, accumulate, &s, cancellable, error))
        {
          run_stats_clear (&s);
          return NULL;
        }
      if (s.nt == 0)
        {
          run_stats_clear (&s);
          sa_set_error (error, SA_ERROR_INVALID_DATA, bold_paths[p], _("no volume"));
          return NULL;
        }
      if (mask == NULL)
        {
          mask = g_new0 (SaMask, 1);
          mask->nx = header.nx;
          mask->ny = header.ny;
          mask->nz = header.nz;
          memcpy (mask->affine, header.affine, sizeof mask->affine);
          mask->in = g_new (guint8, s.n);
          memset (mask->in, 1, s.n);
          mean = g_new (double, s.n);
          epi = g_new (guint8, s.n);
          first = bold_paths[p];
        }
      else if (!sa_mask_matches_grid (mask, &header, bold_paths[p], NULL))
        {
          sa_set_error (error, SA_ERROR_MISMATCH, bold_paths[p],
                        _("grid %d×%d×%d differs from %s (%d×%d×%d, or a different affine)"),
                        header.nx, header.ny, header.nz, first, mask->nx, mask->ny, mask->nz);
          run_stats_clear (&s);
          return NULL;
        }

      /* nilearn zeroes non-finite means (ensure_finite) before the rule. */
      for (gint64 i = 0; i < s.n; i++)
        {
          mean[i] = s.finite[i] ? s.sum[i] / s.nt : 0.0;
          if (mean[i] < 0)
            baseline = FALSE;
          if (mean[i] > 0)
            positive = TRUE;
        }
      /* Demeaned or z-scored data have no background/brain intensity
       * contrast to threshold; only finite, varying voxels are kept then. */
      if (baseline && positive)
        epi_mask (mean, epi, mask->nx, mask->ny, mask->nz);
      else
        for (gint64 i = 0; i < s.n; i++)
          epi[i] = 1;
      for (gint64 i = 0; i < s.n; i++)
        mask->in[i] &= s.finite[i] && s.hi[i] > s.lo[i] && epi[i];
      run_stats_clear (&s);
    }

  if (!finish_mask (mask, n_paths == 1 ? bold_paths[0] : first, error))
    return NULL;
  return g_steal_pointer (&mask);
}
