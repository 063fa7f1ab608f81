/* filter-pairs.c — reading pairs tables; the filter2fbn one with argmax for what it lacks */
#include "config.h"

#include "ui/filter-pairs.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/tsv.h"
#include "compute/sync/stats.h"

#define FBN2FILTER_SUFFIX "_desc-fbn2filter_pairs.tsv"

char *
sa_filter_pairs_path_for (const char *fbn2filter_path)
{
  if (fbn2filter_path == NULL || !g_str_has_suffix (fbn2filter_path, FBN2FILTER_SUFFIX))
    return NULL;
  return g_strdup_printf ("%.*s_desc-filter2fbn_pairs.tsv",
                          (int) (strlen (fbn2filter_path) - strlen (FBN2FILTER_SUFFIX)),
                          fbn2filter_path);
}

static double
parse_double (const char *s)
{
  char *end = NULL;
  double v;

  if (s == NULL || g_strcmp0 (s, "n/a") == 0)
    return NAN;
  v = g_ascii_strtod (s, &end);
  return end != s && *end == '\0' ? v : NAN;
}

static gboolean
parse_bool (const char *s)
{
  return g_ascii_strcasecmp (s, "true") == 0 || g_strcmp0 (s, "1") == 0;
}

static void
take_label (char       **labels,
            int          i,
            const char  *value)
{
  if (labels == NULL || value == NULL || g_strcmp0 (value, "n/a") == 0 || value[0] == '\0')
    return;
  if (labels[i] == NULL || labels[i][0] == '\0')
    {
      g_free (labels[i]);
      labels[i] = g_strdup (value);
    }
}

gboolean
sa_pairs_table_read (const char   *path,
                     char *const  *fbn_names,
                     int           n_fbns,
                     int           n_filters,
                     SaPairsKey    key,
                     SaPair       *pairs,
                     gboolean     *have,
                     char        **fbn_labels,
                     char        **filter_labels,
                     GError      **error)
{
  g_autoptr(SaTsv) tsv = sa_tsv_read (path, error);
  g_autoptr(GHashTable) fbn_index = g_hash_table_new (g_str_hash, g_str_equal);
  int c_fbn, c_filter, c_r, c_p, c_pf, c_sig, c_fl, c_kl;

  if (tsv == NULL)
    return FALSE;
  c_fbn = sa_tsv_column (tsv, "fbn");
  c_filter = sa_tsv_column (tsv, "filter");
  c_r = sa_tsv_column (tsv, "r");
  c_p = sa_tsv_column (tsv, "p");
  c_pf = sa_tsv_column (tsv, "p_fwer");
  c_sig = sa_tsv_column (tsv, "significant");
  c_fl = sa_tsv_column (tsv, "fbn_label");
  c_kl = sa_tsv_column (tsv, "filter_label");
  if (c_fbn < 0 || c_filter < 0 || c_r < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("not a pairs table: the columns fbn, filter and r are required"));
      return FALSE;
    }
  /* A hash, not a scan per row: K rows × m names adds up for wide layers. */
  for (int i = 0; i < n_fbns && fbn_names && fbn_names[i]; i++)
    g_hash_table_insert (fbn_index, fbn_names[i], GINT_TO_POINTER (i + 1));

  for (guint row = 0; row < tsv->rows->len; row++)
    {
      const char *name = sa_tsv_get (tsv, row, c_fbn);
      const char *filter_text = sa_tsv_get (tsv, row, c_filter);
      int fbn = GPOINTER_TO_INT (g_hash_table_lookup (fbn_index, name)) - 1;
      char *end = NULL;
      gint64 filter = g_ascii_strtoll (filter_text, &end, 10);
      int index;

      if (fbn < 0)
        {
          sa_set_error (error, SA_ERROR_MISMATCH, path,
                        _("line %u: FBN %s is not a column of the time-course table"), row + 2, name);
          return FALSE;
        }
      if (end == filter_text || *end != '\0' || filter < 0 || filter >= n_filters)
        {
          sa_set_error (error, SA_ERROR_MISMATCH, path,
                        _("line %u: filter %s is not one of the %d filters of the activations"),
                        row + 2, filter_text, n_filters);
          return FALSE;
        }
      index = key == SA_PAIRS_BY_FBN ? fbn : (int) filter;
      pairs[index] = (SaPair) {
        fbn, (int) filter,
        parse_double (sa_tsv_get (tsv, row, c_r)),
        c_p >= 0 ? parse_double (sa_tsv_get (tsv, row, c_p)) : NAN,
        c_pf >= 0 ? parse_double (sa_tsv_get (tsv, row, c_pf)) : NAN,
        c_sig >= 0 && parse_bool (sa_tsv_get (tsv, row, c_sig)),
      };
      have[index] = TRUE;
      if (c_fl >= 0)
        take_label (fbn_labels, fbn, sa_tsv_get (tsv, row, c_fl));
      if (c_kl >= 0)
        take_label (filter_labels, (int) filter, sa_tsv_get (tsv, row, c_kl));
    }
  return TRUE;
}

SaPair *
sa_filter_pairs_load (const char           *path,
                      char *const          *fbn_names,
                      const SaCorrelation  *corr,
                      char                **fbn_labels,
                      char                **filter_labels,
                      int                  *n_pairs,
                      GError              **error)
{
  int m, k, n = 0;
  g_autofree SaPair *pairs = NULL;
  g_autofree gboolean *have = NULL;

  g_return_val_if_fail (corr != NULL, NULL);
  g_return_val_if_fail (n_pairs != NULL, NULL);

  m = corr->n_fbns;
  k = corr->n_filters;
  pairs = g_new0 (SaPair, MAX (k, 1));
  have = g_new0 (gboolean, MAX (k, 1));
  if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS) &&
      !sa_pairs_table_read (path, fbn_names, m, k, SA_PAIRS_BY_FILTER, pairs, have,
                            fbn_labels, filter_labels, error))
    return NULL;

  /* Eq. 1 for what the table does not hold: the filter's largest signed r
   * over the valid FBNs, as sa_pairing_compute() picks it. */
  for (int j = 0; j < k; j++)
    {
      int best = -1;

      if (have[j])
        {
          pairs[n++] = pairs[j];
          continue;
        }
      if (!corr->filter_valid[j])
        continue;
      for (int i = 0; i < m; i++)
        if (corr->fbn_valid[i] && (best < 0 || sa_correlation_get (corr, i, j) > sa_correlation_get (corr, best, j)))
          best = i;
      if (best < 0)
        continue;
      pairs[n] = (SaPair) { best, j, sa_correlation_get (corr, best, j), NAN, NAN, FALSE };
      pairs[n].p = sa_pearson_p (pairs[n].r, corr->n_times);
      pairs[n].significant = pairs[n].p < 0.05;
      n++;
    }
  *n_pairs = n;
  return g_steal_pointer (&pairs);
}
