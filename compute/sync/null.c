#include "config.h"

#include <glib/gi18n.h>

#include "compute/sync/null.h"

#include <cblas.h>
#include <libavutil/mem.h>
#include <libavutil/tx.h>
#include <math.h>

#include "compute/error.h"

const char *
sa_null_kind_to_string (SaNullKind kind)
{
  switch (kind)
    {
    case SA_NULL_SHIFT: return "shift";
    case SA_NULL_PHASE: return "phase";
    case SA_NULL_NONE:
    default:            return "none";
    }
}

gboolean
sa_null_kind_from_string (const char *text,
                          SaNullKind *kind)
{
  if (g_strcmp0 (text, "shift") == 0)
    *kind = SA_NULL_SHIFT;
  else if (g_strcmp0 (text, "phase") == 0)
    *kind = SA_NULL_PHASE;
  else if (g_strcmp0 (text, "none") == 0)
    *kind = SA_NULL_NONE;
  else
    return FALSE;
  return TRUE;
}

int
sa_null_default_min_shift (int n_times)
{
  /* Shifts of a few TRs leave a smooth series nearly aligned with itself
   * and would count its own signal as null; 5% of the run keeps them out. */
  return MAX (1, n_times / 20);
}

int *
sa_null_draw_shifts (int     n_times,
                     int     n_surrogates,
                     int     min_shift,
                     guint64 seed)
{
  g_autoptr(GRand) rand = NULL;
  guint32 seed_words[2] = { (guint32) seed, (guint32) (seed >> 32) };
  int *shifts = g_new (int, n_surrogates);

  g_return_val_if_fail (min_shift >= 1 && n_times - min_shift >= min_shift, shifts);
  rand = g_rand_new_with_seed_array (seed_words, 2);
  for (int j = 0; j < n_surrogates; j++)
    shifts[j] = g_rand_int_range (rand, min_shift, n_times - min_shift + 1);
  return shifts;
}

float *
sa_null_draw_phases (int     n_times,
                     int     n_surrogates,
                     guint64 seed)
{
  g_autoptr(GRand) rand = NULL;
  guint32 seed_words[3] = { (guint32) seed, (guint32) (seed >> 32), 0x9e3779b9u };
  int nf = n_times / 2 + 1;
  float *phases = g_new (float, (gsize) n_surrogates * nf);

  rand = g_rand_new_with_seed_array (seed_words, 3);
  for (int j = 0; j < n_surrogates; j++)
    for (int f = 0; f < nf; f++)
      {
        gboolean real_bin = f == 0 || (n_times % 2 == 0 && f == n_times / 2);
        double u = g_rand_double (rand);
        phases[(gsize) j * nf + f] = real_bin ? 0.0f : (float) (2.0 * G_PI * u);
      }
  return phases;
}

void
sa_null_free (SaNull *null)
{
  if (null == NULL)
    return;
  g_free (null->shifts);
  g_free (null->phases);
  g_free (null->exceed);
  g_free (null->fbn_max);
  g_free (null->filter_max);
  g_free (null);
}

/* Per FBN i, given its null r for one surrogate at every filter (@rn, K
 * values), updates the exceedance counts and both family maxima. */
static inline void
accumulate (const SaCorrelation *corr,
            SaNull              *null,
            int                  i,
            int                  j,
            const float         *rn,
            float               *filter_max)
{
  const double *r = corr->r + (gsize) i * corr->n_filters;
  guint32 *exceed = null->exceed + (gsize) i * corr->n_filters;
  float fmax = 0.0f;

  for (int k = 0; k < corr->n_filters; k++)
    {
      float v;

      if (!corr->filter_valid[k])
        continue;
      v = fabsf (rn[k]);
      exceed[k] += v >= (float) fabs (r[k]);
      fmax = MAX (fmax, v);
      if (v > filter_max[(gsize) k * null->n_surrogates + j])
        filter_max[(gsize) k * null->n_surrogates + j] = v;
    }
  null->fbn_max[(gsize) i * null->n_surrogates + j] = fmax;
}

/* ---- circular shifts through FFT cross-correlation ---- */

typedef struct {
  const SaCorrelation *corr;
  SaNull              *null;
  int                  n_fft;
  AVComplexFloat      *spectra;   /* K × (n_fft/2 + 1) filter spectra */
  gint                 next_fbn;
  gint                 done;
  int                  reported;  /* the most done FBNs reported, under lock */
  gint                 cancelled;
  GMutex               lock;
  const SaProgress    *progress;
  GCancellable        *cancellable;
} ShiftJob;

static gboolean
rdft_init (AVTXContext **ctx,
           av_tx_fn     *fn,
           int           inverse,
           int           n,
           float         scale)
{
  return av_tx_init (ctx, fn, AV_TX_FLOAT_RDFT, inverse, n, &scale, 0) >= 0;
}

/* FFmpeg 5.1's forward real FFT leaves the imaginary part of the Nyquist bin
 * unwritten (it is zero by symmetry); the cross-spectrum products read it. */
static inline void
real_bins (AVComplexFloat *x,
           int             nf)
{
  x[0].im = 0.0f;
  x[nf - 1].im = 0.0f;
}

/* c = conj(x)·y over @nf bins: c[s] = Σ_u x[u] y[u + s] after the inverse
 * transform, the r of roll(x, s) with y. Vectorised where the build is
 * not (-O2 leaves such loops scalar, and this one ran at memory speed). */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__ ((optimize ("O3")))
#endif
static void
cross_spectrum (const AVComplexFloat *restrict x,
                const AVComplexFloat *restrict y,
                AVComplexFloat       *restrict c,
                int                            nf)
{
  for (int f = 0; f < nf; f++)
    {
      c[f].re = x[f].re * y[f].re + x[f].im * y[f].im;
      c[f].im = x[f].re * y[f].im - x[f].im * y[f].re;
    }
}

/* The zero padding gave linear lags; circular lag s is lag s plus lag
 * s − T, which sits at N + s − T. */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__ ((optimize ("O3")))
#endif
static void
fold_lags (const float *restrict out,
           int                   N,
           int                   T,
           float       *restrict circ)
{
  for (int s = 0; s < T; s++)
    circ[s] = fabsf (out[s] + out[N + s - T]);
}

/* FBNs per task: each filter's spectrum and null maxima are read once per
 * block rather than once per FBN (16.8 MB and 8 MB per pass at K = 2048,
 * T = 900, S = 1000: the pass was bound by memory, not by the FFTs). */
#define SHIFT_BLOCK 4

static gpointer
shift_worker (gpointer data)
{
  ShiftJob *job = data;
  const SaCorrelation *corr = job->corr;
  SaNull *null = job->null;
  int T = corr->n_times, K = corr->n_filters, S = null->n_surrogates;
  int N = job->n_fft, nf = N / 2 + 1;
  /* FFmpeg's SIMD transforms store aligned: keep each spectrum on 64 bytes. */
  int stride = (nf + 7) & ~7;
  AVTXContext *fwd = NULL, *inv = NULL;
  av_tx_fn fwd_fn, inv_fn;
  float *in = av_malloc (sizeof (float) * (N + 2));
  AVComplexFloat *x = av_malloc (sizeof (AVComplexFloat) * stride * SHIFT_BLOCK);
  AVComplexFloat *c = av_malloc (sizeof (AVComplexFloat) * nf);
  float *out = av_malloc (sizeof (float) * (N + 2));
  float *circ = g_new (float, (gsize) T * SHIFT_BLOCK);
  float *fbn_max = g_new (float, (gsize) S * SHIFT_BLOCK);
  float *filter_max = g_new0 (float, (gsize) K * S);

  /* 1/(N·T): the inverse RDFT is unnormalised, and r = Σ z_x z_y / T. */
  if (!rdft_init (&fwd, &fwd_fn, 0, N, 1.0f) ||
      !rdft_init (&inv, &inv_fn, 1, N, 1.0f / ((float) N * T)))
    g_error ("av_tx_init failed for a real FFT of length %d", N);

  for (;;)
    {
      int first = g_atomic_int_add (&job->next_fbn, SHIFT_BLOCK);
      int fbns[SHIFT_BLOCK], nb = 0;

      if (first >= corr->n_fbns || g_atomic_int_get (&job->cancelled))
        break;
      for (int i = first; i < MIN (first + SHIFT_BLOCK, corr->n_fbns); i++)
        if (corr->fbn_valid[i])
          fbns[nb++] = i;

      for (int b = 0; b < nb; b++)
        {
          memset (in, 0, sizeof (float) * (N + 2));
          memcpy (in, corr->z_fbns + (gsize) fbns[b] * T, sizeof (float) * T);
          fwd_fn (fwd, x + (gsize) b * stride, in, sizeof (AVComplexFloat));
          real_bins (x + (gsize) b * stride, nf);
        }
      for (gsize q = 0; q < (gsize) S * nb; q++)
        fbn_max[q] = 0.0f;
      for (int k = 0; k < K && nb > 0; k++)
        {
          const AVComplexFloat *y = job->spectra + (gsize) k * nf;
          float *kmax = filter_max + (gsize) k * S;
          float ar[SHIFT_BLOCK];
          guint32 count[SHIFT_BLOCK] = { 0, };

          if (!corr->filter_valid[k])
            continue;
          for (int b = 0; b < nb; b++)
            {
              cross_spectrum (x + (gsize) b * stride, y, c, nf);
              inv_fn (inv, out, c, sizeof (float));
              fold_lags (out, N, T, circ + (gsize) b * T);
              ar[b] = (float) fabs (corr->r[(gsize) fbns[b] * K + k]);
            }
          /* Rows stay contiguous in S, so the maxima stream through
           * memory once per block. */
          for (int j = 0; j < S; j++)
            {
              int shift = null->shifts[j];
              float km = kmax[j];

              for (int b = 0; b < nb; b++)
                {
                  float v = circ[(gsize) b * T + shift];
                  float *fm = fbn_max + (gsize) b * S + j;

                  count[b] += v >= ar[b];
                  *fm = MAX (*fm, v);
                  km = MAX (km, v);
                }
              kmax[j] = km;
            }
          for (int b = 0; b < nb; b++)
            null->exceed[(gsize) fbns[b] * K + k] = count[b];
        }
      for (int b = 0; b < nb; b++)
        memcpy (null->fbn_max + (gsize) fbns[b] * S, fbn_max + (gsize) b * S, sizeof (float) * S);

      {
        int span = MIN (first + SHIFT_BLOCK, corr->n_fbns) - first;
        int done = g_atomic_int_add (&job->done, span) + span;

        g_mutex_lock (&job->lock);
        if (g_cancellable_is_cancelled (job->cancellable))
          g_atomic_int_set (&job->cancelled, 1);
        /* Workers take the lock out of order: report only forward. */
        if (done > job->reported)
          {
            job->reported = done;
            sa_progress_report (job->progress, (double) done / corr->n_fbns, NULL);
          }
        g_mutex_unlock (&job->lock);
      }
    }

  g_mutex_lock (&job->lock);
  for (gsize q = 0; q < (gsize) K * S; q++)
    null->filter_max[q] = MAX (null->filter_max[q], filter_max[q]);
  g_mutex_unlock (&job->lock);

  av_tx_uninit (&fwd);
  av_tx_uninit (&inv);
  av_free (in);
  av_free (x);
  av_free (c);
  av_free (out);
  g_free (circ);
  g_free (fbn_max);
  g_free (filter_max);
  return NULL;
}

static gboolean
compute_shift (const SaCorrelation *corr,
               SaNull              *null,
               const SaProgress    *progress,
               GCancellable        *cancellable,
               GError             **error)
{
  int T = corr->n_times, K = corr->n_filters;
  int N = 2, nf, n_threads;
  AVTXContext *fwd = NULL;
  av_tx_fn fwd_fn;
  float *in;
  ShiftJob job = { 0, };
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();

  /* FFmpeg 5.1's real FFT is fast only for power-of-two lengths (and
   * fails for odd ones), so pad to ≥ 2T and fold the linear lags. */
  while (N < 2 * T)
    N *= 2;
  nf = N / 2 + 1;
  if (!rdft_init (&fwd, &fwd_fn, 0, N, 1.0f))
    {
      sa_set_error (error, SA_ERROR_FAILED, NULL, _("FFmpeg cannot make a real FFT of length %d"), N);
      return FALSE;
    }
  job.corr = corr;
  job.null = null;
  job.n_fft = N;
  job.progress = progress;
  job.cancellable = cancellable;
  g_mutex_init (&job.lock);
  job.spectra = av_malloc (sizeof (AVComplexFloat) * nf * (gsize) K);
  in = av_malloc (sizeof (float) * (N + 2));
  for (int k = 0; k < K; k++)
    {
      AVComplexFloat *tmp = av_malloc (sizeof (AVComplexFloat) * nf);

      memset (in, 0, sizeof (float) * (N + 2));
      memcpy (in, corr->z_filters + (gsize) k * T, sizeof (float) * T);
      fwd_fn (fwd, tmp, in, sizeof (AVComplexFloat));
      real_bins (tmp, nf);
      memcpy (job.spectra + (gsize) k * nf, tmp, sizeof (AVComplexFloat) * nf);
      av_free (tmp);
    }
  av_free (in);
  av_tx_uninit (&fwd);

  n_threads = CLAMP ((int) g_get_num_processors (), 1, 16);
  n_threads = MIN (n_threads, (corr->n_fbns + SHIFT_BLOCK - 1) / SHIFT_BLOCK);
  for (int t = 0; t < n_threads; t++)
    g_ptr_array_add (threads, g_thread_new ("sa-null", shift_worker, &job));
  for (guint t = 0; t < threads->len; t++)
    g_thread_join (g_ptr_array_index (threads, t));
  av_free (job.spectra);
  g_mutex_clear (&job.lock);

  return !sa_check_cancelled (cancellable, error);
}

/* ---- phase randomisation through the real DFT as a GEMM ---- */

/* Real DFT of @n rows of length T as [Re | Im] (n × 2nf), for any T; the
 * basis angle uses (f·t mod T) so it stays exact for long runs. */
static float *
real_dft_rows (const float *rows,
               int          n,
               int          T)
{
  int nf = T / 2 + 1;
  g_autofree float *basis = g_new (float, (gsize) 2 * nf * T);
  float *out = g_new (float, (gsize) n * 2 * nf);

  for (int f = 0; f < nf; f++)
    for (int t = 0; t < T; t++)
      {
        double a = 2.0 * G_PI * (double) (((gint64) f * t) % T) / T;
        basis[(gsize) f * T + t] = (float) cos (a);
        basis[(gsize) (nf + f) * T + t] = (float) -sin (a);
      }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, n, 2 * nf, T,
               1.0f, rows, T, basis, T, 0.0f, out, 2 * nf);
  return out;
}

static gboolean
compute_phase (const SaCorrelation *corr,
               SaNull              *null,
               const SaProgress    *progress,
               GCancellable        *cancellable,
               GError             **error)
{
  int T = corr->n_times, K = corr->n_filters, S = null->n_surrogates;
  int nf = T / 2 + 1, w2 = 2 * nf;
  g_autofree float *xs = real_dft_rows (corr->z_fbns, corr->n_fbns, T);
  g_autofree float *ys = real_dft_rows (corr->z_filters, K, T);
  g_autofree float *u = g_new (float, (gsize) S * w2);
  g_autofree float *rn = g_new (float, (gsize) S * K);

  for (int i = 0; i < corr->n_fbns; i++)
    {
      const float *a = xs + (gsize) i * w2;

      if (sa_check_cancelled (cancellable, error))
        return FALSE;
      if (!corr->fbn_valid[i])
        continue;
      /* Parseval: r = Σ_t x'_t y_t / T = Σ_f w_f Re(X'_f conj(Y_f)) / T²,
       * w = 1 at DC and Nyquist, 2 for the bins that stand for a pair. */
      for (int j = 0; j < S; j++)
        for (int f = 0; f < nf; f++)
          {
            float ph = null->phases[(gsize) j * nf + f];
            float cs = cosf (ph), sn = sinf (ph);
            float re = a[f], im = a[nf + f];
            float w = (f == 0 || (T % 2 == 0 && f == T / 2)) ? 1.0f : 2.0f;
            float scale = w / ((float) T * T);

            u[(gsize) j * w2 + f] = (re * cs - im * sn) * scale;
            u[(gsize) j * w2 + nf + f] = (re * sn + im * cs) * scale;
          }
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, S, K, w2,
                   1.0f, u, w2, ys, w2, 0.0f, rn, K);
      for (int j = 0; j < S; j++)
        accumulate (corr, null, i, j, rn + (gsize) j * K, null->filter_max);
      sa_progress_report (progress, (double) (i + 1) / corr->n_fbns, NULL);
    }
  return TRUE;
}

SaNull *
sa_null_compute (const SaCorrelation *corr,
                 const SaNullOptions *options,
                 const SaProgress    *progress,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_autoptr(SaNull) null = NULL;
  int T;

  g_return_val_if_fail (corr != NULL && options != NULL, NULL);
  T = corr->n_times;

  if (options->kind == SA_NULL_NONE)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL, _("no null was asked for"));
      return NULL;
    }
  if (options->n_surrogates < 1 || options->n_surrogates > 1000000)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("%d surrogates: the number must be between 1 and 1000000"),
                    options->n_surrogates);
      return NULL;
    }

  if (sa_check_cancelled (cancellable, error))
    return NULL;

  null = g_new0 (SaNull, 1);
  null->kind = options->kind;
  null->n_fbns = corr->n_fbns;
  null->n_filters = corr->n_filters;
  null->n_times = T;
  null->n_surrogates = options->n_surrogates;
  null->exceed = g_new0 (guint32, (gsize) corr->n_fbns * corr->n_filters);
  null->fbn_max = g_new0 (float, (gsize) corr->n_fbns * options->n_surrogates);
  null->filter_max = g_new0 (float, (gsize) corr->n_filters * options->n_surrogates);

  if (options->kind == SA_NULL_SHIFT)
    {
      null->min_shift = options->min_shift > 0 ? options->min_shift : sa_null_default_min_shift (T);
      if (T - null->min_shift < null->min_shift)
        {
          sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                        _("a minimum shift of %d TRs leaves no shift for a run of %d TRs"),
                        null->min_shift, T);
          return NULL;
        }
      null->shifts = sa_null_draw_shifts (T, null->n_surrogates, null->min_shift, options->seed);
      if (!compute_shift (corr, null, progress, cancellable, error))
        return NULL;
    }
  else
    {
      null->phases = sa_null_draw_phases (T, null->n_surrogates, options->seed);
      if (!compute_phase (corr, null, progress, cancellable, error))
        return NULL;
    }
  return g_steal_pointer (&null);
}

static double
count_p (const float *maxima,
         int          n,
         double       r)
{
  guint count = 0;
  float ar = (float) fabs (r);

  for (int j = 0; j < n; j++)
    count += maxima[j] >= ar;
  return (1.0 + count) / (1.0 + n);
}

void
sa_null_apply (const SaNull        *null,
               const SaCorrelation *corr,
               SaPairing           *pairing)
{
  int S = null->n_surrogates;

  for (int q = 0; q < pairing->n_pairs; q++)
    {
      SaPair *pair = &pairing->pairs[q];
      guint32 exceed = null->exceed[(gsize) pair->fbn * corr->n_filters + pair->filter];

      pair->p_null = (1.0 + exceed) / (1.0 + S);
      if (pairing->direction == SA_DIRECTION_FBN2FILTER)
        pair->p_fwer = count_p (null->fbn_max + (gsize) pair->fbn * S, S, pair->r);
      else
        pair->p_fwer = count_p (null->filter_max + (gsize) pair->filter * S, S, pair->r);
    }
}
