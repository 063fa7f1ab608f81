#include "config.h"

#include <glib/gi18n.h>

#include "compute/sync/stats.h"

#include <math.h>

#include "compute/error.h"
#include "compute/io/tsv.h"

/* Continued fraction for I_x(a, b) (modified Lentz), valid and fast for
 * x < (a + 1) / (a + b + 2); the caller uses the symmetry otherwise. */
static double
betacf (double a,
        double b,
        double x)
{
  const double tiny = 1e-300;
  const double eps = 1e-16;
  double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0, d = 1.0 - qab * x / qap, h;

  if (fabs (d) < tiny)
    d = tiny;
  d = 1.0 / d;
  h = d;
  for (int m = 1; m <= 10000; m++)
    {
      int m2 = 2 * m;
      double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      double del;

      d = 1.0 + aa * d;
      if (fabs (d) < tiny)
        d = tiny;
      c = 1.0 + aa / c;
      if (fabs (c) < tiny)
        c = tiny;
      d = 1.0 / d;
      h *= d * c;
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1.0 + aa * d;
      if (fabs (d) < tiny)
        d = tiny;
      c = 1.0 + aa / c;
      if (fabs (c) < tiny)
        c = tiny;
      d = 1.0 / d;
      del = d * c;
      h *= del;
      if (fabs (del - 1.0) < eps)
        break;
    }
  return h;
}

/* x^a (1-x)^b / (a B(a, b)) with 1 − x passed separately, so callers that
 * know 1 − x exactly (1 − r² = (1 − r)(1 + r)) do not lose it. */
static double
beta_front (double a,
            double b,
            double x,
            double one_minus_x)
{
  double lbeta = lgamma (a) + lgamma (b) - lgamma (a + b);
  return exp (a * log (x) + b * log (one_minus_x) - lbeta);
}

static double
betainc_split (double a,
               double b,
               double x,
               double one_minus_x)
{
  if (x <= 0.0)
    return 0.0;
  if (one_minus_x <= 0.0)
    return 1.0;
  if (x < (a + 1.0) / (a + b + 2.0))
    return beta_front (a, b, x, one_minus_x) * betacf (a, b, x) / a;
  return 1.0 - beta_front (b, a, one_minus_x, x) * betacf (b, a, one_minus_x) / b;
}

double
sa_betainc (double a,
            double b,
            double x)
{
  g_return_val_if_fail (a > 0.0 && b > 0.0, NAN);
  if (isnan (x))
    return NAN;
  x = CLAMP (x, 0.0, 1.0);
  return betainc_split (a, b, x, 1.0 - x);
}

double
sa_pearson_p (double r,
              int    n)
{
  double ar, df;

  if (n < 3 || isnan (r))
    return NAN;
  ar = MIN (fabs (r), 1.0);
  df = n - 2;
  /* p = P(|t| ≥ |t_obs|) with t² = df·r²/(1 − r²), which is
   * I_{1−r²}(df/2, 1/2); 1 − r² is formed as (1 − |r|)(1 + |r|) so
   * p keeps its relative precision when r is close to ±1. */
  return betainc_split (df / 2.0, 0.5, (1.0 - ar) * (1.0 + ar), ar * ar);
}

gboolean
sa_linear_fit (const double *x,
               const double *y,
               int           n,
               SaLinearFit  *fit,
               GError      **error)
{
  double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;

  g_return_val_if_fail (fit != NULL, FALSE);
  if (n < 3)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("a line through %d points has no p-value; at least 3 are needed"), n);
      return FALSE;
    }
  for (int i = 0; i < n; i++)
    {
      mx += x[i];
      my += y[i];
    }
  mx /= n;
  my /= n;
  for (int i = 0; i < n; i++)
    {
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
      sxy += (x[i] - mx) * (y[i] - my);
    }
  if (sxx <= 0.0)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("all %d scores are equal; a slope cannot be fitted"), n);
      return FALSE;
    }
  fit->n = n;
  fit->slope = sxy / sxx;
  fit->intercept = my - fit->slope * mx;
  fit->r = syy > 0.0 ? CLAMP (sxy / sqrt (sxx * syy), -1.0, 1.0) : 0.0;
  fit->r_squared = fit->r * fit->r;
  fit->p = syy > 0.0 ? sa_pearson_p (fit->r, n) : 1.0;
  fit->stderr_slope = sqrt (MAX (0.0, (1.0 - fit->r_squared)) * syy / sxx / (n - 2));
  return TRUE;
}

gboolean
sa_model_comparison (const char *const *models,
                     const double      *mean_r,
                     int                n_models,
                     const char        *scores_path,
                     SaLinearFit       *fit,
                     char             **warnings,
                     GError           **error)
{
  g_autoptr(SaTsv) tsv = NULL;
  g_autoptr(GString) warn = g_string_new (NULL);
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ys = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GHashTable) scores = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  int col_model, col_score;

  if (warnings != NULL)
    *warnings = NULL;
  tsv = sa_tsv_read (scores_path, error);
  if (tsv == NULL)
    return FALSE;
  col_model = sa_tsv_column (tsv, "model");
  col_score = sa_tsv_column (tsv, "score");
  if (col_model < 0 || col_score < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, scores_path,
                    _("a score table needs the columns “model” and “score”"));
      return FALSE;
    }
  for (guint i = 0; i < tsv->rows->len; i++)
    {
      const char *name = sa_tsv_get (tsv, i, col_model);
      const char *text = sa_tsv_get (tsv, i, col_score);
      char *end = NULL;
      double v = g_ascii_strtod (text, &end);
      gboolean known = FALSE;

      if (end == text || *end != '\0' || !isfinite (v))
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, scores_path,
                        _("line %u: score “%s” of model “%s” is not a number"),
                        i + 2, text, name);
          return FALSE;
        }
      if (g_hash_table_contains (scores, name))
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, scores_path,
                        _("line %u: model “%s” is listed twice"), i + 2, name);
          return FALSE;
        }
      for (int m = 0; m < n_models; m++)
        known = known || g_str_equal (models[m], name);
      if (!known)
        g_string_append_printf (warn, "%s: model “%s” has a score but was not run; ignored\n",
                                scores_path, name);
      g_hash_table_insert (scores, (gpointer) name, g_memdup2 (&v, sizeof v));
    }
  for (int m = 0; m < n_models; m++)
    {
      const double *score = g_hash_table_lookup (scores, models[m]);

      if (score == NULL)
        {
          g_string_append_printf (warn, "%s: model “%s” was run but has no score; left out of the fit\n",
                                  scores_path, models[m]);
          continue;
        }
      g_array_append_val (xs, *score);
      g_array_append_val (ys, mean_r[m]);
    }
  if (xs->len < 3)
    {
      /* The caller may go on without a fit: it still gets the warnings. */
      if (warnings != NULL && warn->len > 0)
        *warnings = g_strndup (warn->str, warn->len - 1);
      sa_set_error (error, SA_ERROR_MISMATCH, scores_path,
                    _("only %u of the %d models that were run have a score; at least 3 are needed for a fit"),
                    xs->len, n_models);
      return FALSE;
    }
  if (!sa_linear_fit ((double *) xs->data, (double *) ys->data, xs->len, fit, error))
    {
      g_prefix_error (error, "%s: ", scores_path);
      return FALSE;
    }
  if (warnings != NULL && warn->len > 0)
    *warnings = g_strndup (warn->str, warn->len - 1);
  return TRUE;
}
