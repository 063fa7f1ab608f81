/* correlate.h — Pearson r of every FBN time course with every filter's
 *
 * The engine's first step of Sync-ACT (Zhao et al. 2022, §3.1): δ = Pearson
 * r between an FBN's temporal activation and a filter's. Rows are z-scored
 * once (population SD), so the whole m × K matrix is one GEMM divided by T.
 * A constant row has no correlation: it is excluded, listed, and never turns
 * into NaN further down.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int      n_fbns;      /* m */
  int      n_filters;   /* K */
  int      n_times;     /* T */
  double  *r;           /* m × K row-major; 0 where either row is excluded */
  gboolean *fbn_valid;  /* m: FALSE for a constant FBN time course */
  gboolean *filter_valid; /* K: FALSE for a constant filter */
  int      n_excluded_fbns;
  int      n_excluded_filters;
  /* z-scored rows kept for the surrogate nulls (zero rows where excluded) */
  float   *z_fbns;      /* m × T */
  float   *z_filters;   /* K × T */
} SaCorrelation;

/* Correlates @fbns (@n_fbns rows of @n_times samples, row-major) with
 * @filters (@n_filters rows of @filter_times samples). @fbn_source and
 * @filter_source name the inputs in errors: different lengths, non-finite
 * values, fewer than 3 samples, or nothing left after excluding constant
 * rows. */
SaCorrelation *sa_correlation_compute  (const double  *fbns,
                                        int            n_fbns,
                                        int            n_times,
                                        const char    *fbn_source,
                                        const double  *filters,
                                        int            n_filters,
                                        int            filter_times,
                                        const char    *filter_source,
                                        GError       **error);
void           sa_correlation_free     (SaCorrelation *corr);

static inline double
sa_correlation_get (const SaCorrelation *corr,
                    int                  fbn,
                    int                  filter)
{
  return corr->r[(gsize) fbn * corr->n_filters + filter];
}

/* Z-scores @n rows of @t samples into @out (population SD, so that the mean
 * of z·z over t is Pearson r); returns FALSE for a row whose SD is zero or
 * negligible against its mean, and writes zeros there. */
gboolean       sa_zscore_row           (const double  *row,
                                        int            t,
                                        double        *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaCorrelation, sa_correlation_free)

G_END_DECLS
