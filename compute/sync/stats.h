/* stats.h — the parametric side of Sync-ACT's statistics
 *
 * The paper's p-values (§4.1, Tables 1-3, 8) are those of Pearson r with
 * T − 2 degrees of freedom, as scipy.stats.pearsonr computes them. They
 * treat TRs as independent; null.h gives the honest counterpart. The model
 * comparison (paper Fig. 3) is an ordinary least-squares line through
 * (score, mean r) with the p of its slope.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Regularised incomplete beta I_x(a, b), a, b > 0, x in [0, 1]. */
double   sa_betainc              (double a,
                                  double b,
                                  double x);

/* Two-sided p of Pearson @r over @n samples (n − 2 degrees of freedom),
 * equal to scipy.stats.pearsonr's. Returns NaN when @n < 3. */
double   sa_pearson_p            (double r,
                                  int    n);

typedef struct {
  int    n;
  double slope;
  double intercept;
  double r;
  double r_squared;
  double p;          /* two-sided p of the slope (t test, n − 2 df) */
  double stderr_slope;
} SaLinearFit;

/* Least-squares y = slope·x + intercept, as scipy.stats.linregress. Needs
 * n ≥ 3 and x not constant. */
gboolean sa_linear_fit           (const double *x,
                                  const double *y,
                                  int           n,
                                  SaLinearFit  *fit,
                                  GError      **error);

/* Mean r per model against a user score (e.g. ImageNet top-1) read from
 * @scores_path, a TSV with columns "model" and "score". Models in the
 * score table that were not run, and models run without a score, are
 * listed in *@warnings (NULL when none); fewer than 3 models with both is
 * an error naming the file. */
gboolean sa_model_comparison     (const char *const *models,
                                  const double      *mean_r,
                                  int                n_models,
                                  const char        *scores_path,
                                  SaLinearFit       *fit,
                                  char             **warnings,
                                  GError           **error);

G_END_DECLS
