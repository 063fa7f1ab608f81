#include "config.h"

#include <glib/gi18n.h>

#include "compute/sync/pairs-io.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "compute/error.h"
#include "compute/io/tsv.h"

#define NA "n/a"

char *
sa_pairs_fbn_name (const SaPairsInfo *info,
                   int                fbn)
{
  if (info->fbn_names != NULL && info->fbn_names[fbn] != NULL)
    return g_strdup (info->fbn_names[fbn]);
  /* ICA tools number components from 1. */
  return g_strdup_printf ("fbn-%03d", fbn + 1);
}

static gboolean
has_null (const SaPairsInfo *info)
{
  return info->null_kind != SA_NULL_NONE;
}

static void
add_provenance (JsonBuilder         *b,
                const SaPairsInfo   *info,
                const SaCorrelation *corr)
{
  json_builder_set_member_name (b, "GeneratedBy");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Name");
  json_builder_add_string_value (b, "SyncAct");
  json_builder_set_member_name (b, "Version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  if (info->command != NULL)
    {
      json_builder_set_member_name (b, "Command");
      json_builder_add_string_value (b, info->command);
    }
  json_builder_end_object (b);
  json_builder_end_array (b);

  if (info->sources != NULL)
    {
      json_builder_set_member_name (b, "Sources");
      json_builder_begin_array (b);
      for (int i = 0; info->sources[i] != NULL; i++)
        json_builder_add_string_value (b, info->sources[i]);
      json_builder_end_array (b);
    }

  json_builder_set_member_name (b, "Parameters");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Model");
  json_builder_add_string_value (b, info->model ? info->model : NA);
  json_builder_set_member_name (b, "Layer");
  json_builder_add_string_value (b, info->layer ? info->layer : NA);
  json_builder_set_member_name (b, "Run");
  json_builder_add_string_value (b, info->run ? info->run : NA);
  json_builder_set_member_name (b, "Alpha");
  json_builder_add_double_value (b, info->alpha);
  json_builder_set_member_name (b, "Null");
  json_builder_add_string_value (b, sa_null_kind_to_string (info->null_kind));
  if (has_null (info))
    {
      json_builder_set_member_name (b, "Surrogates");
      json_builder_add_int_value (b, info->n_surrogates);
      json_builder_set_member_name (b, "Seed");
      json_builder_add_int_value (b, (gint64) info->seed);
      if (info->null_kind == SA_NULL_SHIFT)
        {
          json_builder_set_member_name (b, "MinShift");
          json_builder_add_int_value (b, info->min_shift);
        }
    }
  json_builder_set_member_name (b, "TimePoints");
  json_builder_add_int_value (b, corr->n_times);
  json_builder_set_member_name (b, "FBNs");
  json_builder_add_int_value (b, corr->n_fbns);
  json_builder_set_member_name (b, "Filters");
  json_builder_add_int_value (b, corr->n_filters);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "ExcludedFBNs");
  json_builder_begin_array (b);
  for (int i = 0; i < corr->n_fbns; i++)
    if (!corr->fbn_valid[i])
      {
        g_autofree char *name = sa_pairs_fbn_name (info, i);
        json_builder_add_string_value (b, name);
      }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "ExcludedFilters");
  json_builder_begin_array (b);
  for (int k = 0; k < corr->n_filters; k++)
    if (!corr->filter_valid[k])
      json_builder_add_int_value (b, k);
  json_builder_end_array (b);
}

static void
add_column (JsonBuilder *b,
            const char  *name,
            const char  *description)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Description");
  json_builder_add_string_value (b, description);
  json_builder_end_object (b);
}

static gboolean
write_json (JsonBuilder *b,
            const char  *path,
            GError     **error)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0644, &local))
    {
      sa_set_error (error, SA_ERROR_IO, path, _("cannot write: %s"), local->message);
      return FALSE;
    }
  return TRUE;
}

static char *
sidecar_path (const char *tsv_path)
{
  g_autofree char *stem = g_str_has_suffix (tsv_path, ".tsv")
                          ? g_strndup (tsv_path, strlen (tsv_path) - 4)
                          : g_strdup (tsv_path);
  return g_strconcat (stem, ".json", NULL);
}

gboolean
sa_pairs_write (const SaPairing     *pairing,
                const SaCorrelation *corr,
                const SaPairsInfo   *info,
                const char          *path,
                GError             **error)
{
  const char *cols[] = { "fbn", "filter", "r", "p", "p_fwer", "significant",
                         "fbn_label", "filter_label", "p_null", "noise_ceiling", NULL };
  g_autoptr(SaTsvWriter) w = sa_tsv_writer_new (cols);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *json_path = sidecar_path (path);

  for (int i = 0; i < pairing->n_pairs; i++)
    {
      const SaPair *p = &pairing->pairs[i];
      g_autofree char *fbn = sa_pairs_fbn_name (info, p->fbn);
      g_autofree char *filter = g_strdup_printf ("%d", p->filter);
      g_autofree char *r = sa_tsv_format_double (p->r);
      g_autofree char *pp = sa_tsv_format_double (p->p);
      g_autofree char *pf = sa_tsv_format_double (p->p_fwer);
      g_autofree char *pn = sa_tsv_format_double (p->p_null);
      g_autofree char *nc = sa_tsv_format_double (p->noise_ceiling);
      /* The honest test decides when there is one; the parametric p only
       * when the user asked for no null. */
      double decisive = has_null (info) ? p->p_fwer : p->p;
      const char *row[] = {
        fbn, filter, r, pp, pf, decisive < info->alpha ? "true" : "false",
        info->fbn_labels ? info->fbn_labels[p->fbn] : NA,
        info->filter_labels ? info->filter_labels[p->filter] : NA,
        pn, nc, NULL
      };
      sa_tsv_writer_add (w, row);
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Description");
  json_builder_add_string_value (b, pairing->direction == SA_DIRECTION_FBN2FILTER
    ? "Sync-ACT Eq. 2: each FBN paired with the filter of largest Pearson r"
    : "Sync-ACT Eq. 1: each filter paired with the FBN of largest Pearson r");
  json_builder_set_member_name (b, "Direction");
  json_builder_add_string_value (b, sa_direction_to_string (pairing->direction));
  add_provenance (b, info, corr);
  json_builder_set_member_name (b, "Columns");
  json_builder_begin_object (b);
  add_column (b, "fbn", "FBN name (column of the time-course table, numbered from 1)");
  add_column (b, "filter", "0-based channel index of the layer (PyTorch numbering)");
  add_column (b, "r", "Pearson correlation of the two time courses (signed; pairs take the largest)");
  add_column (b, "p", "Two-sided parametric p of r with T-2 degrees of freedom (as the paper; assumes independent TRs)");
  add_column (b, "p_fwer", "Family-wise surrogate p: max |r| over the candidates the pair was chosen from, in each surrogate (n/a without a null)");
  add_column (b, "significant", "p_fwer < alpha (p < alpha when no null was computed)");
  add_column (b, "fbn_label", "Atlas description of the FBN");
  add_column (b, "filter_label", "User-supplied filter label (e.g. Network Dissection)");
  add_column (b, "p_null", "Per-pair surrogate p, (1 + #{|r_null| >= |r|}) / (1 + surrogates)");
  add_column (b, "noise_ceiling", "Split-half inter-subject correlation of the FBN, Spearman-Brown corrected");
  json_builder_end_object (b);
  json_builder_end_object (b);

  return sa_tsv_writer_save (w, path, error) && write_json (b, json_path, error);
}

gboolean
sa_pairs_write_sidecar (const char          *tsv_path,
                        const char          *description,
                        const SaPairsInfo   *info,
                        const SaCorrelation *corr,
                        const char *const   *columns,
                        GError             **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *json_path = sidecar_path (tsv_path);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Description");
  json_builder_add_string_value (b, description);
  add_provenance (b, info, corr);
  json_builder_set_member_name (b, "Columns");
  json_builder_begin_object (b);
  for (int i = 0; columns != NULL && columns[i] != NULL && columns[i + 1] != NULL; i += 2)
    add_column (b, columns[i], columns[i + 1]);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return write_json (b, json_path, error);
}

static const char *summary_cols[] = {
  "model", "layer", "run", "direction", "mean_r", "pairs", "non_significant",
  "non_significant_null", "non_significant_fwer", "excluded_fbns",
  "excluded_filters", "null", "surrogates", "alpha", NULL
};

gboolean
sa_summary_update (const char          *path,
                   const SaPairing     *const *pairings,
                   int                  n_pairings,
                   const SaCorrelation *corr,
                   const SaPairsInfo   *info,
                   GError             **error)
{
  g_autoptr(SaTsvWriter) w = sa_tsv_writer_new (summary_cols);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *json_path = sidecar_path (path);
  const char *model = info->model ? info->model : NA;
  const char *layer = info->layer ? info->layer : NA;
  const char *run = info->run ? info->run : NA;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(SaTsv) old = sa_tsv_read (path, error);
      int idx[G_N_ELEMENTS (summary_cols) - 1];

      if (old == NULL)
        return FALSE;
      for (guint c = 0; c < G_N_ELEMENTS (idx); c++)
        if ((idx[c] = sa_tsv_column (old, summary_cols[c])) < 0)
          {
            sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                          _("not a SyncAct summary: no “%s” column; move it away or pick another --out"),
                          summary_cols[c]);
            return FALSE;
          }
      for (guint i = 0; i < old->rows->len; i++)
        {
          const char *row[G_N_ELEMENTS (summary_cols)];
          gboolean replaced = FALSE;

          for (guint c = 0; c < G_N_ELEMENTS (idx); c++)
            row[c] = sa_tsv_get (old, i, idx[c]);
          row[G_N_ELEMENTS (idx)] = NULL;
          for (int q = 0; q < n_pairings; q++)
            replaced = replaced ||
              (g_str_equal (row[0], model) && g_str_equal (row[1], layer) &&
               g_str_equal (row[2], run) &&
               g_str_equal (row[3], sa_direction_to_string (pairings[q]->direction)));
          if (!replaced)
            sa_tsv_writer_add (w, row);
        }
    }

  for (int q = 0; q < n_pairings; q++)
    {
      SaPairingSummary s;
      g_autofree char *mean = NULL, *pairs = NULL, *ns = NULL, *nsn = NULL, *nsf = NULL;
      g_autofree char *exf = NULL, *exk = NULL, *sur = NULL, *alpha = NULL;

      sa_pairing_summarize (pairings[q], info->alpha, &s);
      mean = sa_tsv_format_double (s.mean_r);
      pairs = g_strdup_printf ("%d", s.n_pairs);
      ns = sa_tsv_format_double (s.non_significant);
      nsn = sa_tsv_format_double (s.non_significant_null);
      nsf = sa_tsv_format_double (s.non_significant_fwer);
      exf = g_strdup_printf ("%d", corr->n_excluded_fbns);
      exk = g_strdup_printf ("%d", corr->n_excluded_filters);
      sur = has_null (info) ? g_strdup_printf ("%d", info->n_surrogates) : g_strdup (NA);
      alpha = sa_tsv_format_double (info->alpha);
      {
        const char *row[] = { model, layer, run, sa_direction_to_string (pairings[q]->direction),
                              mean, pairs, ns, nsn, nsf, exf, exk,
                              sa_null_kind_to_string (info->null_kind), sur, alpha, NULL };
        sa_tsv_writer_add (w, row);
      }
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Description");
  json_builder_add_string_value (b, "Mean Pearson r over Sync-ACT pairs per model, layer, run and direction (paper Tables 1, 3, 8); the provenance is that of the latest run merged in");
  add_provenance (b, info, corr);
  json_builder_set_member_name (b, "Columns");
  json_builder_begin_object (b);
  add_column (b, "mean_r", "Mean Pearson r over the pairs");
  add_column (b, "pairs", "Number of pairs (excluded constant series take no part)");
  add_column (b, "non_significant", "Share of pairs with parametric p >= alpha (the paper's test)");
  add_column (b, "non_significant_null", "Share of pairs with per-pair surrogate p >= alpha");
  add_column (b, "non_significant_fwer", "Share of pairs with family-wise surrogate p >= alpha");
  add_column (b, "excluded_fbns", "FBNs left out as constant over time");
  add_column (b, "excluded_filters", "Filters left out as constant over time");
  json_builder_end_object (b);
  json_builder_end_object (b);

  return sa_tsv_writer_save (w, path, error) && write_json (b, json_path, error);
}

char **
sa_filter_labels_read (const char *path,
                       int         n_filters,
                       GError    **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  const char *sep;
  int col_filter = -1, col_unit = -1, col_label = -1;

  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      sa_set_error (error, g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                           ? SA_ERROR_NOT_FOUND : SA_ERROR_IO,
                    path, "%s", local->message);
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);
  if (lines[0] == NULL || lines[0][0] == '\0')
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("empty label table"));
      return NULL;
    }
  sep = strchr (lines[0], '\t') != NULL ? "\t" : ",";
  header = g_strsplit (g_strstrip (lines[0]), sep, -1);
  for (int c = 0; header[c] != NULL; c++)
    {
      if (g_str_equal (header[c], "filter"))
        col_filter = c;
      else if (g_str_equal (header[c], "unit"))
        col_unit = c;
      else if (g_str_equal (header[c], "label"))
        col_label = c;
    }
  if (col_label < 0 || (col_filter < 0 && col_unit < 0))
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("a label table needs a “label” column and a “filter” (0-based) or “unit” (1-based) column"));
      return NULL;
    }
  for (int k = 0; k < n_filters; k++)
    g_ptr_array_add (labels, g_strdup (NA));
  for (int i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = NULL;
      int col = col_filter >= 0 ? col_filter : col_unit;
      gint64 index;
      char *end = NULL;

      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      f = g_strsplit (lines[i], sep, -1);
      if ((int) g_strv_length (f) <= MAX (col, col_label))
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("line %d has too few fields"), i + 1);
          return NULL;
        }
      index = g_ascii_strtoll (f[col], &end, 10);
      if (col_filter < 0)
        index -= 1;
      if (end == f[col] || *end != '\0' || index < 0 || index >= n_filters)
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                        _("line %d: “%s” is not a %s of this layer (it has %d filters)"),
                        i + 1, f[col], col_filter >= 0 ? "0-based filter" : "1-based unit",
                        n_filters);
          return NULL;
        }
      g_free (labels->pdata[index]);
      labels->pdata[index] = g_strdup (f[col_label]);
    }
  g_ptr_array_add (labels, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&labels), FALSE);
}

int
sa_summary_model_means (const char   *path,
                        SaDirection   direction,
                        char       ***models,
                        double      **mean_r,
                        char        **warnings,
                        GError      **error)
{
  g_autoptr(SaTsv) tsv = sa_tsv_read (path, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) sums = g_array_new (FALSE, TRUE, sizeof (double));
  g_autoptr(GArray) counts = g_array_new (FALSE, TRUE, sizeof (int));
  g_autoptr(GHashTable) layers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) warn = g_string_new (NULL);
  int c_model, c_layer, c_dir, c_mean;
  double *means;

  *warnings = NULL;
  if (tsv == NULL)
    return -1;
  c_model = sa_tsv_column (tsv, "model");
  c_layer = sa_tsv_column (tsv, "layer");
  c_dir = sa_tsv_column (tsv, "direction");
  c_mean = sa_tsv_column (tsv, "mean_r");
  if (c_model < 0 || c_layer < 0 || c_dir < 0 || c_mean < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("not a SyncAct summary table"));
      return -1;
    }
  for (guint i = 0; i < tsv->rows->len; i++)
    {
      const char *model = sa_tsv_get (tsv, i, c_model);
      const char *layer = sa_tsv_get (tsv, i, c_layer);
      double v = g_ascii_strtod (sa_tsv_get (tsv, i, c_mean), NULL);
      const char *seen_layer;
      guint m;

      if (!g_str_equal (sa_tsv_get (tsv, i, c_dir), sa_direction_to_string (direction)) ||
          !isfinite (v))
        continue;
      for (m = 0; m < names->len; m++)
        if (g_str_equal (g_ptr_array_index (names, m), model))
          break;
      if (m == names->len)
        {
          double zero = 0.0;
          int none = 0;
          g_ptr_array_add (names, g_strdup (model));
          g_array_append_val (sums, zero);
          g_array_append_val (counts, none);
        }
      g_array_index (sums, double, m) += v;
      g_array_index (counts, int, m) += 1;
      seen_layer = g_hash_table_lookup (layers, model);
      if (seen_layer == NULL)
        g_hash_table_insert (layers, g_strdup (model), g_strdup (layer));
      else if (!g_str_equal (seen_layer, layer) && !g_str_equal (seen_layer, "*"))
        {
          g_string_append_printf (warn, "%s: model “%s” has several layers; its mean r averages them\n",
                                  path, model);
          g_hash_table_insert (layers, g_strdup (model), g_strdup ("*"));
        }
    }
  means = g_new (double, names->len);
  for (guint m = 0; m < names->len; m++)
    means[m] = g_array_index (sums, double, m) / g_array_index (counts, int, m);
  *mean_r = means;
  g_ptr_array_add (names, NULL);
  if (warn->len > 0)
    *warnings = g_strndup (warn->str, warn->len - 1);
  {
    int n = names->len - 1;
    *models = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
    return n;
  }
}
