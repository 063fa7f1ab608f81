#include "config.h"

#include "compute/sync/pairing.h"

#include <math.h>

#include "compute/sync/stats.h"

const char *
sa_direction_to_string (SaDirection direction)
{
  return direction == SA_DIRECTION_FBN2FILTER ? "fbn2filter" : "filter2fbn";
}

gboolean
sa_direction_from_string (const char  *text,
                          SaDirection *direction)
{
  if (g_strcmp0 (text, "fbn2filter") == 0)
    *direction = SA_DIRECTION_FBN2FILTER;
  else if (g_strcmp0 (text, "filter2fbn") == 0)
    *direction = SA_DIRECTION_FILTER2FBN;
  else
    return FALSE;
  return TRUE;
}

static void
init_pair (SaPair              *pair,
           const SaCorrelation *corr,
           int                  fbn,
           int                  filter)
{
  pair->fbn = fbn;
  pair->filter = filter;
  pair->r = sa_correlation_get (corr, fbn, filter);
  pair->p = sa_pearson_p (pair->r, corr->n_times);
  pair->p_null = NAN;
  pair->p_fwer = NAN;
  pair->noise_ceiling = NAN;
}

SaPairing *
sa_pairing_compute (const SaCorrelation *corr,
                    SaDirection          direction)
{
  SaPairing *pairing;
  int n_sources, n_targets;

  g_return_val_if_fail (corr != NULL, NULL);

  pairing = g_new0 (SaPairing, 1);
  pairing->direction = direction;
  n_sources = direction == SA_DIRECTION_FBN2FILTER ? corr->n_fbns : corr->n_filters;
  n_targets = direction == SA_DIRECTION_FBN2FILTER ? corr->n_filters : corr->n_fbns;
  pairing->pairs = g_new0 (SaPair, n_sources);

  for (int s = 0; s < n_sources; s++)
    {
      const gboolean *source_valid = direction == SA_DIRECTION_FBN2FILTER ? corr->fbn_valid : corr->filter_valid;
      const gboolean *target_valid = direction == SA_DIRECTION_FBN2FILTER ? corr->filter_valid : corr->fbn_valid;
      int best = -1;
      double best_r = -INFINITY;

      if (!source_valid[s])
        continue;
      for (int t = 0; t < n_targets; t++)
        {
          double r;

          if (!target_valid[t])
            continue;
          r = direction == SA_DIRECTION_FBN2FILTER ? sa_correlation_get (corr, s, t)
                                                   : sa_correlation_get (corr, t, s);
          /* Strict > keeps the first of tied candidates, as numpy's argmax. */
          if (r > best_r)
            {
              best_r = r;
              best = t;
            }
        }
      g_assert (best >= 0);
      if (direction == SA_DIRECTION_FBN2FILTER)
        init_pair (&pairing->pairs[pairing->n_pairs++], corr, s, best);
      else
        init_pair (&pairing->pairs[pairing->n_pairs++], corr, best, s);
    }
  return pairing;
}

void
sa_pairing_free (SaPairing *pairing)
{
  if (pairing == NULL)
    return;
  g_free (pairing->pairs);
  g_free (pairing);
}

static double
share_not_below (const SaPairing *pairing,
                 gsize            offset,
                 double           alpha)
{
  int n = 0, count = 0;

  for (int i = 0; i < pairing->n_pairs; i++)
    {
      double p = G_STRUCT_MEMBER (double, &pairing->pairs[i], offset);
      if (isnan (p))
        return NAN;
      n++;
      count += p >= alpha;
    }
  return n > 0 ? (double) count / n : NAN;
}

void
sa_pairing_summarize (const SaPairing  *pairing,
                      double            alpha,
                      SaPairingSummary *summary)
{
  double sum = 0.0;

  for (int i = 0; i < pairing->n_pairs; i++)
    sum += pairing->pairs[i].r;
  summary->n_pairs = pairing->n_pairs;
  summary->mean_r = pairing->n_pairs > 0 ? sum / pairing->n_pairs : NAN;
  summary->non_significant = share_not_below (pairing, G_STRUCT_OFFSET (SaPair, p), alpha);
  summary->non_significant_null = share_not_below (pairing, G_STRUCT_OFFSET (SaPair, p_null), alpha);
  summary->non_significant_fwer = share_not_below (pairing, G_STRUCT_OFFSET (SaPair, p_fwer), alpha);
}
