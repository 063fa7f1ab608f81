#include "config.h"

#include <glib/gi18n.h>

#include "compute/ann/reduce.h"

#include <math.h>
#include <string.h>

#include "compute/error.h"

static const char *const reduce_names[] = { "max", "mean", "topk-mean" };

gboolean
sa_reduce_parse (const char  *name,
                 SaReduce    *reduce,
                 GError     **error)
{
  g_return_val_if_fail (reduce != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (reduce_names); i++)
    if (g_strcmp0 (name, reduce_names[i]) == 0)
      {
        *reduce = (SaReduce) i;
        return TRUE;
      }
  sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                _("unknown reduction \"%s\" (use max, mean or topk-mean)"), name ? name : "");
  return FALSE;
}

const char *
sa_reduce_name (SaReduce reduce)
{
  g_return_val_if_fail ((guint) reduce < G_N_ELEMENTS (reduce_names), NULL);
  return reduce_names[reduce];
}

gsize
sa_reduce_topk_count (gsize  n,
                      double percent)
{
  double k = ceil ((double) n * percent / 100.0 - 1e-9);

  if (k < 1)
    return 1;
  return MIN ((gsize) k, n);
}

/* Moves the @k largest values of @v to its front (Hoare partition around a
 * median of three, recursing into one side only): O(n) on average, where a
 * full sort would be O(n log n) per channel per frame. */
static void
select_largest (float *v,
                gsize  n,
                gsize  k)
{
  gsize lo = 0, hi = n;

  while (hi - lo > 1)
    {
      gsize mid = lo + (hi - lo) / 2;
      float a = v[lo], b = v[mid], c = v[hi - 1];
      float pivot = MAX (MIN (a, b), MIN (MAX (a, b), c));
      gsize i = lo, j = hi - 1;

      while (i <= j)
        {
          while (v[i] > pivot)
            i++;
          while (v[j] < pivot)
            j--;
          if (i <= j)
            {
              float t = v[i];
              v[i] = v[j];
              v[j] = t;
              i++;
              if (j == 0)
                break;
              j--;
            }
        }
      /* [lo, j] >= pivot, [i, hi) <= pivot, anything between == pivot */
      if (k <= j + 1 && j + 1 > lo)
        hi = j + 1;
      else if (k >= i)
        lo = i;
      else
        return;
    }
}

void
sa_reduce_channels (const float *map,
                    gsize        channels,
                    gsize        n,
                    SaReduce     reduce,
                    double       topk_percent,
                    float       *scratch,
                    float       *out)
{
  gsize k = reduce == SA_REDUCE_TOPK_MEAN ? sa_reduce_topk_count (n, topk_percent) : 0;

  g_return_if_fail (n > 0);
  g_return_if_fail (reduce != SA_REDUCE_TOPK_MEAN || scratch != NULL);

  for (gsize c = 0; c < channels; c++)
    {
      const float *row = map + c * n;
      double acc = 0;

      switch (reduce)
        {
        case SA_REDUCE_MAX:
          {
            float m = row[0];
            for (gsize i = 1; i < n; i++)
              m = MAX (m, row[i]);
            out[c] = m;
          }
          break;
        case SA_REDUCE_MEAN:
          for (gsize i = 0; i < n; i++)
            acc += row[i];
          out[c] = (float) (acc / n);
          break;
        case SA_REDUCE_TOPK_MEAN:
          memcpy (scratch, row, n * sizeof (float));
          if (k < n)
            select_largest (scratch, n, k);
          for (gsize i = 0; i < k; i++)
            acc += scratch[i];
          out[c] = (float) (acc / k);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}
