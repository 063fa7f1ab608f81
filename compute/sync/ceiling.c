#include "config.h"

#include <glib/gi18n.h>

#include "compute/sync/ceiling.h"

#include <math.h>

#include "compute/error.h"
#include "compute/sync/correlate.h"

guint8 *
sa_noise_ceiling_splits (int     n_subjects,
                         int     n_splits,
                         guint64 seed)
{
  guint32 seed_words[3] = { (guint32) seed, (guint32) (seed >> 32), 0x85ebca6bu };
  g_autoptr(GRand) rand = g_rand_new_with_seed_array (seed_words, 3);
  g_autofree int *order = g_new (int, n_subjects);
  guint8 *splits = g_new0 (guint8, (gsize) n_splits * n_subjects);

  for (int s = 0; s < n_splits; s++)
    {
      for (int i = 0; i < n_subjects; i++)
        order[i] = i;
      /* Fisher–Yates, then the first ⌊n/2⌋ of the order form half A. */
      for (int i = n_subjects - 1; i > 0; i--)
        {
          int j = g_rand_int_range (rand, 0, i + 1);
          int tmp = order[i];
          order[i] = order[j];
          order[j] = tmp;
        }
      for (int i = 0; i < n_subjects / 2; i++)
        splits[(gsize) s * n_subjects + order[i]] = 1;
    }
  return splits;
}

double *
sa_noise_ceiling (const double  *time_courses,
                  int            n_subjects,
                  int            n_fbns,
                  int            n_times,
                  int            n_splits,
                  guint64        seed,
                  GError       **error)
{
  g_autofree guint8 *splits = NULL;
  g_autofree double *mean_a = g_new (double, n_times);
  g_autofree double *mean_b = g_new (double, n_times);
  g_autofree double *za = g_new (double, n_times);
  g_autofree double *zb = g_new (double, n_times);
  double *ceiling;

  if (n_subjects < 2)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("a split-half noise ceiling needs at least 2 subjects, got %d"), n_subjects);
      return NULL;
    }
  if (n_splits < 1 || n_times < 3)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("a noise ceiling needs at least 1 split and 3 time points"));
      return NULL;
    }
  splits = sa_noise_ceiling_splits (n_subjects, n_splits, seed);
  ceiling = g_new (double, n_fbns);

  for (int f = 0; f < n_fbns; f++)
    {
      double sum_r = 0.0;
      int used = 0;

      for (int s = 0; s < n_splits; s++)
        {
          const guint8 *in_a = splits + (gsize) s * n_subjects;
          double r = 0.0;

          memset (mean_a, 0, sizeof (double) * n_times);
          memset (mean_b, 0, sizeof (double) * n_times);
          for (int subj = 0; subj < n_subjects; subj++)
            {
              const double *tc = time_courses + ((gsize) subj * n_fbns + f) * n_times;
              double *acc = in_a[subj] ? mean_a : mean_b;

              for (int t = 0; t < n_times; t++)
                acc[t] += tc[t];
            }
          /* Sums correlate as the means do; no division needed. */
          if (!sa_zscore_row (mean_a, n_times, za) || !sa_zscore_row (mean_b, n_times, zb))
            continue;
          for (int t = 0; t < n_times; t++)
            r += za[t] * zb[t];
          sum_r += r / n_times;
          used++;
        }
      if (used == 0)
        ceiling[f] = NAN;
      else
        {
          double r = sum_r / used;
          ceiling[f] = r > -1.0 ? 2.0 * r / (1.0 + r) : -1.0;
        }
    }
  return ceiling;
}
