#include "config.h"

#include <math.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "compute/demo/planted.h"
#include "compute/error.h"

/* xoshiro256** seeded through splitmix64: GRand takes 32-bit seeds and is
 * slower; subjects need independent streams derived from (seed, subject). */
typedef struct {
  guint64 s[4];
  double  spare;
  gboolean has_spare;
} Rng;

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static void
rng_init (Rng     *rng,
          guint64  seed,
          guint64  stream)
{
  guint64 x = seed ^ (stream * 0xD1B54A32D192ED03ull);
  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&x);
  rng->has_spare = FALSE;
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
rng_next (Rng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* Uniform in (0, 1): never 0, so log() is safe. */
static inline double
rng_uniform (Rng *rng)
{
  return ((rng_next (rng) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static inline double
rng_normal (Rng *rng)
{
  double u, v, r;

  if (rng->has_spare)
    {
      rng->has_spare = FALSE;
      return rng->spare;
    }
  u = rng_uniform (rng);
  v = rng_uniform (rng);
  r = sqrt (-2.0 * log (u));
  rng->spare = r * sin (2 * G_PI * v);
  rng->has_spare = TRUE;
  return r * cos (2 * G_PI * v);
}

void
sa_planted_params_init (SaPlantedParams *params)
{
  g_return_if_fail (params != NULL);

  memset (params, 0, sizeof *params);
  params->nx = 24;
  params->ny = 28;
  params->nz = 24;
  params->n_subjects = 4;
  params->n_timepoints = 200;
  params->tr = 2.0;
  params->n_networks = 8;
  params->blob_sigma = 2.0;
  params->min_separation = 6.0;
  params->max_correlation = 0.2;
  params->amplitude_sd = 0.15;
  params->jitter = 0.5;
  params->snr = 0.5;
  params->structured_fraction = 0.3;
  params->noise_ar = 0.5;
  params->noise_sigma = 1.0;
  params->seed = 1;
}

void
sa_planted_free (SaPlanted *planted)
{
  if (planted == NULL)
    return;
  g_free (planted->mask);
  g_free (planted->index);
  g_free (planted->maps);
  g_free (planted->time_courses);
  g_free (planted->centres);
  g_free (planted);
}

static double
gamma_pdf (double x,
           double shape)
{
  if (x <= 0)
    return 0;
  return exp ((shape - 1) * log (x) - x - lgamma (shape));
}

int
sa_planted_hrf (double    tr,
                double  **out)
{
  int n = (int) floor (32.0 / tr) + 1;
  double *h = g_new (double, n);
  double sum = 0;

  for (int i = 0; i < n; i++)
    {
      double t = i * tr;
      h[i] = gamma_pdf (t, 6.0) - gamma_pdf (t, 16.0) / 6.0;
      sum += h[i];
    }
  for (int i = 0; i < n; i++)
    h[i] /= sum;
  *out = h;
  return n;
}

/* z-scores column @k of a T × K row-major matrix; FALSE when constant. */
static gboolean
zscore_column (float *x,
               int    n_rows,
               int    n_cols,
               int    k)
{
  double mean = 0, var = 0;

  for (int t = 0; t < n_rows; t++)
    mean += x[(gsize) t * n_cols + k];
  mean /= n_rows;
  for (int t = 0; t < n_rows; t++)
    {
      double d = x[(gsize) t * n_cols + k] - mean;
      var += d * d;
    }
  var /= n_rows;
  if (!(var > 1e-20))
    return FALSE;
  for (int t = 0; t < n_rows; t++)
    x[(gsize) t * n_cols + k] = (x[(gsize) t * n_cols + k] - mean) / sqrt (var);
  return TRUE;
}

static double
column_correlation (const float *x,
                    int          n_rows,
                    int          n_cols,
                    int          a,
                    int          b)
{
  /* Columns are z-scored: r is the mean product. */
  double s = 0;
  for (int t = 0; t < n_rows; t++)
    s += (double) x[(gsize) t * n_cols + a] * x[(gsize) t * n_cols + b];
  return s / n_rows;
}

/* One drive: sparse events (the moments a stimulus engages the network)
 * over a slow wander, through the HRF; a burn-in of the HRF's length keeps
 * the start free of a convolution edge. */
static void
generate_time_course (Rng          *rng,
                      const double *hrf,
                      int           n_hrf,
                      int           n_rows,
                      int           n_cols,
                      int           k,
                      float        *out)
{
  int n = n_rows + n_hrf;
  g_autofree double *drive = g_new (double, n);
  double slow = 0;

  for (int i = 0; i < n; i++)
    {
      slow = 0.8 * slow + 0.6 * rng_normal (rng);
      drive[i] = 0.3 * slow;
      if (rng_uniform (rng) < 0.12)
        drive[i] += 1.0 + fabs (rng_normal (rng));
    }
  for (int t = 0; t < n_rows; t++)
    {
      int i = t + n_hrf;
      double s = 0;
      for (int j = 0; j < n_hrf; j++)
        s += hrf[j] * drive[i - j];
      out[(gsize) t * n_cols + k] = (float) s;
    }
}

/* Löwdin's symmetric orthogonalisation: the set closest to the drawn one
 * with zero correlations, used only when resampling cannot meet the bound
 * (short runs). */
static gboolean
decorrelate (float   *x,
             int      n_rows,
             int      n_cols,
             GError **error)
{
  g_autofree double *c = g_new0 (double, (gsize) n_cols * n_cols);
  g_autofree double *w = g_new (double, n_cols);
  g_autofree double *s = g_new0 (double, (gsize) n_cols * n_cols);
  g_autofree float *row = g_new (float, n_cols);

  for (int a = 0; a < n_cols; a++)
    for (int b = 0; b < n_cols; b++)
      c[a * n_cols + b] = column_correlation (x, n_rows, n_cols, a, b);
  if (LAPACKE_dsyev (LAPACK_ROW_MAJOR, 'V', 'U', n_cols, c, n_cols, w) != 0 || w[0] < 1e-8)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    "planted time courses are linearly dependent");
      return FALSE;
    }
  /* S = V diag(w^-1/2) V^T */
  for (int a = 0; a < n_cols; a++)
    for (int b = 0; b < n_cols; b++)
      {
        double v = 0;
        for (int j = 0; j < n_cols; j++)
          v += c[a * n_cols + j] * c[b * n_cols + j] / sqrt (w[j]);
        s[a * n_cols + b] = v;
      }
  for (int t = 0; t < n_rows; t++)
    {
      for (int b = 0; b < n_cols; b++)
        {
          double v = 0;
          for (int a = 0; a < n_cols; a++)
            v += x[(gsize) t * n_cols + a] * s[a * n_cols + b];
          row[b] = (float) v;
        }
      memcpy (x + (gsize) t * n_cols, row, sizeof (float) * n_cols);
    }
  for (int k = 0; k < n_cols; k++)
    zscore_column (x, n_rows, n_cols, k);
  return TRUE;
}

static gboolean
make_time_courses (SaPlanted       *planted,
                   const float     *given,
                   GError         **error)
{
  const SaPlantedParams *p = &planted->params;
  int T = p->n_timepoints, K = p->n_networks;
  g_autofree double *hrf = NULL;
  int n_hrf;
  Rng rng;
  gboolean met = TRUE;

  planted->time_courses = g_new (float, (gsize) T * K);
  if (given != NULL)
    {
      memcpy (planted->time_courses, given, sizeof (float) * T * K);
      for (int k = 0; k < K; k++)
        if (!zscore_column (planted->time_courses, T, K, k))
          {
            sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                          "planted time course %d is constant", k);
            return FALSE;
          }
      return TRUE;
    }

  n_hrf = sa_planted_hrf (p->tr, &hrf);
  rng_init (&rng, p->seed, 0x7C);
  for (int k = 0; k < K; k++)
    {
      gboolean ok = FALSE;
      for (int attempt = 0; attempt < 500 && !ok; attempt++)
        {
          generate_time_course (&rng, hrf, n_hrf, T, K, k, planted->time_courses);
          if (!zscore_column (planted->time_courses, T, K, k))
            continue;
          ok = TRUE;
          for (int j = 0; j < k && ok; j++)
            if (fabs (column_correlation (planted->time_courses, T, K, j, k)) > p->max_correlation)
              ok = FALSE;
        }
      if (!ok)
        met = FALSE;
    }
  if (!met)
    return decorrelate (planted->time_courses, T, K, error);
  return TRUE;
}

static gboolean
in_mask (const SaPlanted *planted,
         double           x,
         double           y,
         double           z)
{
  const SaPlantedParams *p = &planted->params;
  int i = (int) lround (x), j = (int) lround (y), k = (int) lround (z);

  if (i < 0 || j < 0 || k < 0 || i >= p->nx || j >= p->ny || k >= p->nz)
    return FALSE;
  return planted->mask[i + (gsize) p->nx * (j + (gsize) p->ny * k)] != 0;
}

static void
voxel_coords (const SaPlanted *planted,
              gint64           v,
              double          *xyz)
{
  const SaPlantedParams *p = &planted->params;
  gint64 flat = planted->index[v];

  xyz[0] = flat % p->nx;
  xyz[1] = (flat / p->nx) % p->ny;
  xyz[2] = flat / ((gint64) p->nx * p->ny);
}

static gboolean
place_centres (SaPlanted     *planted,
               const double  *given,
               GError       **error)
{
  const SaPlantedParams *p = &planted->params;
  int K = p->n_networks;
  double r = p->blob_sigma;
  Rng rng;

  planted->centres = g_new (double, (gsize) K * 3);
  if (given != NULL)
    {
      for (int k = 0; k < K; k++)
        {
          const double *c = given + 3 * k;
          if (!in_mask (planted, c[0], c[1], c[2]))
            {
              sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                            "planted centre %d (%g, %g, %g) is outside the mask",
                            k, c[0], c[1], c[2]);
              return FALSE;
            }
        }
      memcpy (planted->centres, given, sizeof (double) * 3 * K);
      return TRUE;
    }

  rng_init (&rng, p->seed, 0xCE);
  for (int k = 0; k < K; k++)
    {
      gboolean placed = FALSE;
      for (int attempt = 0; attempt < 20000 && !placed; attempt++)
        {
          gint64 v = (gint64) (rng_uniform (&rng) * planted->n_voxels);
          double c[3];

          voxel_coords (planted, MIN (v, planted->n_voxels - 1), c);
          /* Keep the blob's core inside the brain. */
          placed = in_mask (planted, c[0] - r, c[1], c[2]) && in_mask (planted, c[0] + r, c[1], c[2])
                   && in_mask (planted, c[0], c[1] - r, c[2]) && in_mask (planted, c[0], c[1] + r, c[2])
                   && in_mask (planted, c[0], c[1], c[2] - r) && in_mask (planted, c[0], c[1], c[2] + r);
          for (int j = 0; j < k && placed; j++)
            {
              const double *o = planted->centres + 3 * j;
              double d2 = (c[0] - o[0]) * (c[0] - o[0]) + (c[1] - o[1]) * (c[1] - o[1])
                          + (c[2] - o[2]) * (c[2] - o[2]);
              if (d2 < p->min_separation * p->min_separation)
                placed = FALSE;
            }
          if (placed)
            memcpy (planted->centres + 3 * k, c, sizeof c);
        }
      if (!placed)
        {
          sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                        "cannot place %d networks %g voxels apart in a mask of %" G_GINT64_FORMAT
                        " voxels", K, p->min_separation, planted->n_voxels);
          return FALSE;
        }
    }
  return TRUE;
}

/* n × K blobs at @centres (K × 3). */
static void
fill_maps (const SaPlanted *planted,
           const double    *centres,
           float           *maps)
{
  int K = planted->params.n_networks;
  double s2 = 2 * planted->params.blob_sigma * planted->params.blob_sigma;

  for (gint64 v = 0; v < planted->n_voxels; v++)
    {
      double xyz[3];
      voxel_coords (planted, v, xyz);
      for (int k = 0; k < K; k++)
        {
          const double *c = centres + 3 * k;
          double d2 = (xyz[0] - c[0]) * (xyz[0] - c[0]) + (xyz[1] - c[1]) * (xyz[1] - c[1])
                      + (xyz[2] - c[2]) * (xyz[2] - c[2]);
          maps[v * K + k] = (float) exp (-d2 / s2);
        }
    }
}

SaPlanted *
sa_planted_new (const SaPlantedParams  *params,
                GError                **error)
{
  g_autoptr(SaPlanted) planted = NULL;
  const SaPlantedParams *p = params;
  gsize n_grid;
  gint64 n = 0;

  g_return_val_if_fail (params != NULL, NULL);

  if (p->nx < 4 || p->ny < 4 || p->nz < 4 || p->n_subjects < 1 || p->n_timepoints < 8
      || p->n_networks < 1 || !(p->tr > 0) || !(p->blob_sigma > 0) || !(p->snr > 0)
      || p->structured_fraction < 0 || p->structured_fraction > 1
      || p->noise_ar < 0 || p->noise_ar >= 1 || p->noise_sigma < 0 || p->jitter < 0
      || p->amplitude_sd < 0 || !(p->max_correlation > 0))
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL, "invalid planted-dataset parameters");
      return NULL;
    }

  planted = g_new0 (SaPlanted, 1);
  planted->params = *params;
  planted->params.mask = NULL;
  planted->params.centres = NULL;
  planted->params.time_courses = NULL;

  n_grid = (gsize) p->nx * p->ny * p->nz;
  planted->mask = g_new0 (guint8, n_grid);
  for (int k = 0; k < p->nz; k++)
    for (int j = 0; j < p->ny; j++)
      for (int i = 0; i < p->nx; i++)
        {
          gsize flat = i + (gsize) p->nx * (j + (gsize) p->ny * k);
          gboolean in;
          if (p->mask != NULL)
            in = p->mask[flat] != 0;
          else
            {
              double x = (i - (p->nx - 1) / 2.0) / (0.45 * p->nx);
              double y = (j - (p->ny - 1) / 2.0) / (0.45 * p->ny);
              double z = (k - (p->nz - 1) / 2.0) / (0.45 * p->nz);
              in = x * x + y * y + z * z <= 1.0;
            }
          planted->mask[flat] = in ? 1 : 0;
          n += in;
        }
  if (n == 0)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL, "mask selects no voxel");
      return NULL;
    }
  planted->n_voxels = n;
  planted->index = g_new (gint64, n);
  n = 0;
  for (gsize f = 0; f < n_grid; f++)
    if (planted->mask[f])
      planted->index[n++] = (gint64) f;

  if (!place_centres (planted, params->centres, error))
    return NULL;
  if (!make_time_courses (planted, params->time_courses, error))
    return NULL;
  planted->maps = g_new (float, (gsize) n * p->n_networks);
  fill_maps (planted, planted->centres, planted->maps);
  return g_steal_pointer (&planted);
}

/* Separable Gaussian smoothing of a grid in place (zero outside the grid). */
static void
smooth_axis (float        *grid,
             float        *line,
             const int    *dims,
             int           axis,
             const float  *kernel,
             int           radius)
{
  gsize stride = axis == 0 ? 1 : axis == 1 ? (gsize) dims[0] : (gsize) dims[0] * dims[1];
  int len = dims[axis];
  int o1 = axis == 0 ? 1 : 0, o2 = axis == 2 ? 1 : 2;
  gsize s1 = o1 == 0 ? 1 : (gsize) dims[0];
  gsize s2 = o2 == 1 ? (gsize) dims[0] : (gsize) dims[0] * dims[1];

  for (int b = 0; b < dims[o2]; b++)
    for (int a = 0; a < dims[o1]; a++)
      {
        float *base = grid + a * s1 + b * s2;
        for (int i = 0; i < len; i++)
          line[i] = base[i * stride];
        for (int i = 0; i < len; i++)
          {
            float s = 0;
            int lo = MAX (-radius, -i), hi = MIN (radius, len - 1 - i);
            for (int d = lo; d <= hi; d++)
              s += kernel[d + radius] * line[i + d];
            base[i * stride] = s;
          }
      }
}

gboolean
sa_planted_subject (const SaPlanted  *planted,
                    int               subject,
                    float            *out,
                    GCancellable     *cancellable,
                    GError          **error)
{
  const SaPlantedParams *p;
  int T, K, dims[3], radius = 0;
  gint64 n;
  gsize n_grid;
  g_autofree double *centres = NULL;
  g_autofree float *maps = NULL;
  g_autofree float *tc = NULL;
  g_autofree float *grid = NULL;
  g_autofree float *line = NULL;
  g_autofree float *state = NULL;
  g_autofree double *sum = NULL;
  g_autofree double *sum2 = NULL;
  float kernel[64];
  double norm = 1, sigma_n, fs, fw, ar, ar_in;
  Rng rng;

  g_return_val_if_fail (planted != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  p = &planted->params;
  if (subject < 0 || subject >= p->n_subjects)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL, "no planted subject %d (the dataset has %d)",
                    subject, p->n_subjects);
      return FALSE;
    }
  T = p->n_timepoints;
  K = p->n_networks;
  n = planted->n_voxels;
  rng_init (&rng, p->seed, 0x1000 + (guint64) subject);

  /* Subject variability first, so it does not depend on the noise draws. */
  centres = g_new (double, (gsize) K * 3);
  tc = g_new (float, (gsize) T * K);
  for (int k = 0; k < K; k++)
    {
      double a = MAX (0.2, 1.0 + p->amplitude_sd * rng_normal (&rng));
      for (int d = 0; d < 3; d++)
        centres[3 * k + d] = planted->centres[3 * k + d] + p->jitter * rng_normal (&rng);
      for (int t = 0; t < T; t++)
        tc[(gsize) t * K + k] = (float) (a * planted->time_courses[(gsize) t * K + k]);
    }
  maps = g_new (float, (gsize) n * K);
  fill_maps (planted, centres, maps);
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, T, (int) n, K,
               1.0f, tc, K, maps, K, 0.0f, out, (int) n);

  dims[0] = p->nx;
  dims[1] = p->ny;
  dims[2] = p->nz;
  n_grid = (gsize) p->nx * p->ny * p->nz;
  if (p->noise_sigma > 0)
    {
      double ssq = 0, ksum = 0;
      radius = MIN (31, (int) ceil (3 * p->noise_sigma));
      for (int d = -radius; d <= radius; d++)
        {
          kernel[d + radius] = (float) exp (-d * d / (2 * p->noise_sigma * p->noise_sigma));
          ksum += kernel[d + radius];
        }
      for (int d = -radius; d <= radius; d++)
        {
          kernel[d + radius] /= ksum;
          ssq += kernel[d + radius] * kernel[d + radius];
        }
      /* White noise through the 3-D kernel has variance ssq³ away from the
       * edges: scale back to unit variance. */
      norm = 1.0 / sqrt (ssq * ssq * ssq);
    }
  grid = g_new (float, n_grid);
  line = g_new (float, MAX (p->nx, MAX (p->ny, p->nz)));
  state = g_new (float, n);
  sigma_n = 1.0 / p->snr;
  fs = sigma_n * sqrt (p->structured_fraction);
  fw = sigma_n * sqrt (1 - p->structured_fraction);
  ar = p->noise_ar;
  ar_in = sqrt (1 - ar * ar);

  for (int t = 0; t < T; t++)
    {
      float *row = out + (gsize) t * n;

      if (t % 16 == 0 && sa_check_cancelled (cancellable, error))
        return FALSE;
      for (gsize g = 0; g < n_grid; g++)
        grid[g] = (float) rng_normal (&rng);
      if (radius > 0)
        for (int axis = 0; axis < 3; axis++)
          smooth_axis (grid, line, dims, axis, kernel, radius);
      for (gint64 v = 0; v < n; v++)
        {
          float e = (float) (norm * grid[planted->index[v]]);
          /* Start in the stationary distribution of the AR(1). */
          state[v] = t == 0 ? e : (float) (ar * state[v] + ar_in * e);
          row[v] += (float) (fs * state[v] + fw * rng_normal (&rng));
        }
    }

  /* z-score per voxel, as the run cache does (ddof 0, constant -> 0). */
  sum = g_new0 (double, n);
  sum2 = g_new0 (double, n);
  for (int t = 0; t < T; t++)
    {
      const float *row = out + (gsize) t * n;
      for (gint64 v = 0; v < n; v++)
        sum[v] += row[v];
    }
  for (gint64 v = 0; v < n; v++)
    sum[v] /= T;
  for (int t = 0; t < T; t++)
    {
      const float *row = out + (gsize) t * n;
      for (gint64 v = 0; v < n; v++)
        {
          double d = row[v] - sum[v];
          sum2[v] += d * d;
        }
    }
  for (gint64 v = 0; v < n; v++)
    {
      double sd = sqrt (sum2[v] / T);
      sum2[v] = sd > 1e-12 ? 1.0 / sd : 0.0;
    }
  for (int t = 0; t < T; t++)
    {
      float *row = out + (gsize) t * n;
      for (gint64 v = 0; v < n; v++)
        row[v] = (float) ((row[v] - sum[v]) * sum2[v]);
    }
  return TRUE;
}
