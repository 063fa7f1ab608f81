/* results-index.c — derivatives/syncact file names → runs, models, layers */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "ui/results-index.h"

#include "compute/error.h"
#include "compute/io/h5-matrix.h"
#include "compute/io/tsv.h"

#define COMPONENTS_SUFFIX  "_components.nii.gz"
#define ACTIVATIONS_SUFFIX "_desc-activations_stim.h5"
#define PAIRS_SUFFIX       "_desc-fbn2filter_pairs.tsv"

static void
entry_free (SaResultsEntry *e)
{
  g_free (e->run);
  g_free (e->model);
  g_free (e->layer);
  g_free (e->activations);
  g_free (e->pairs);
  g_free (e);
}

static void
fbn_set_free (SaFbnSet *s)
{
  g_free (s->name);
  g_free (s->components);
  g_free (s->method);
  g_free (s);
}

void
sa_results_index_free (SaResultsIndex *index)
{
  if (index == NULL)
    return;
  g_free (index->root);
  g_free (index->dir);
  g_clear_pointer (&index->fbn_sets, g_ptr_array_unref);
  g_clear_pointer (&index->entries, g_ptr_array_unref);
  g_clear_pointer (&index->runs, g_ptr_array_unref);
  g_clear_pointer (&index->models, g_ptr_array_unref);
  g_clear_pointer (&index->layers, g_ptr_array_unref);
  g_free (index);
}

char *
sa_results_entity_value (const char *text,
                         gboolean    is_model)
{
  g_autofree char *base = NULL;
  GString *s = g_string_new (NULL);
  const char *colon;
  char *dot;

  g_return_val_if_fail (text != NULL, NULL);
  /* As `syncact run` names its files (app/cli-run.c entity_value). */
  colon = strrchr (text, ':');
  base = g_path_get_basename (colon != NULL ? colon + 1 : text);
  if (is_model && (dot = strrchr (base, '.')) != NULL && dot != base)
    *dot = '\0';
  for (const char *p = base; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (s, *p);
  if (s->len == 0)
    g_string_append (s, "x");
  return g_string_free (s, FALSE);
}

/* How the FBNs in @components were made, from its JSON sidecar (written by
 * `syncact train`): "group ICA", "msa", "msa, ICA-rotated", "given maps". */
static char *
fbn_method_of (const char *components)
{
  g_autofree char *stem = g_strndup (components, strlen (components) - strlen (".nii.gz"));
  g_autofree char *sidecar = g_strconcat (stem, ".json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *method = NULL, *params = NULL;
  const char *arch = NULL, *rotation = NULL;

  if (!json_parser_load_from_file (parser, sidecar, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (root, "FBNMethod") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "FBNMethod")))
    method = json_object_get_object_member (root, "FBNMethod");
  if (json_object_has_member (root, "Parameters") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "Parameters")))
    params = json_object_get_object_member (root, "Parameters");
  if (params != NULL && json_object_has_member (params, "arch"))
    arch = json_object_get_string_member (params, "arch");
  if (method != NULL && json_object_has_member (method, "Rotation"))
    rotation = json_object_get_string_member (method, "Rotation");
  if (g_strcmp0 (arch, "ica") == 0)
    return g_strdup (_("group ICA"));
  if (g_strcmp0 (arch, "maps") == 0)
    return g_strdup (_("given maps"));
  if (arch == NULL)
    return NULL;
  if (g_strcmp0 (rotation, "ica") == 0)
    return g_strdup_printf (_("%s, ICA-rotated"), arch);
  return g_strdup (arch);
}

/* Pairs marked significant in a pairs table and their mean r (0 and NaN
 * when unreadable: loading reports the problem when that table is
 * chosen). */
static void
summarize_pairs (SaResultsEntry *e)
{
  g_autoptr(SaTsv) tsv = sa_tsv_read (e->pairs, NULL);
  int c_sig, c_r;
  double sum = 0;
  guint n = 0;

  e->n_significant = 0;
  e->mean_r = NAN;
  if (tsv == NULL)
    return;
  c_sig = sa_tsv_column (tsv, "significant");
  c_r = sa_tsv_column (tsv, "r");
  for (guint row = 0; row < tsv->rows->len; row++)
    {
      char *end = NULL;
      const char *text = c_r >= 0 ? sa_tsv_get (tsv, row, c_r) : NULL;
      double r = text ? g_ascii_strtod (text, &end) : NAN;

      if (c_sig >= 0)
        e->n_significant += g_ascii_strcasecmp (sa_tsv_get (tsv, row, c_sig), "true") == 0;
      if (text && end != text && isfinite (r))
        sum += r, n++;
    }
  if (n > 0)
    e->mean_r = sum / n;
}

/* "RUN_model-M_layer-L" → its three parts; FALSE without both entities. */
static gboolean
split_stem (const char  *stem,
            char       **run,
            char       **model,
            char       **layer)
{
  const char *m = strstr (stem, "_model-");
  const char *l = m ? strstr (m, "_layer-") : NULL;

  if (m == NULL || l == NULL || m == stem)
    return FALSE;
  *run = g_strndup (stem, m - stem);
  *model = g_strndup (m + 7, l - (m + 7));
  *layer = g_strdup (l + 7);
  return **model != '\0' && **layer != '\0';
}

static SaResultsEntry *
find_entry (GPtrArray  *entries,
            const char *run,
            const char *model,
            const char *layer)
{
  for (guint i = 0; i < entries->len; i++)
    {
      SaResultsEntry *e = g_ptr_array_index (entries, i);

      if (g_str_equal (e->run, run) && g_str_equal (e->model, model) && g_str_equal (e->layer, layer))
        return e;
    }
  return NULL;
}

static SaResultsEntry *
add_entry (GPtrArray  *entries,
           const char *dir,
           const char *run,
           const char *model,
           const char *layer)
{
  SaResultsEntry *e = find_entry (entries, run, model, layer);

  if (e != NULL)
    return e;
  e = g_new0 (SaResultsEntry, 1);
  e->run = g_strdup (run);
  e->model = g_strdup (model);
  e->layer = g_strdup (layer);
  /* Where `syncact run` puts them; a pairs table without its activations
   * is then an error naming this file when loaded. */
  e->activations = g_strdup_printf ("%s/%s_model-%s_layer-%s" ACTIVATIONS_SUFFIX, dir, run, model, layer);
  g_ptr_array_add (entries, e);
  return e;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const SaResultsEntry *x = *(SaResultsEntry *const *) a, *y = *(SaResultsEntry *const *) b;
  int c = strcmp (x->run, y->run);

  if (c == 0)
    c = strcmp (x->model, y->model);
  return c != 0 ? c : strcmp (x->layer, y->layer);
}

static int
compare_sets (gconstpointer a,
              gconstpointer b)
{
  const SaFbnSet *x = *(SaFbnSet *const *) a, *y = *(SaFbnSet *const *) b;

  if (g_str_equal (x->name, "FBN") != g_str_equal (y->name, "FBN"))
    return g_str_equal (x->name, "FBN") ? -1 : 1;
  return strcmp (x->name, y->name);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
add_distinct (GPtrArray  *values,
              const char *value)
{
  for (guint i = 0; i < values->len; i++)
    if (g_str_equal (g_ptr_array_index (values, i), value))
      return;
  g_ptr_array_add (values, g_strdup (value));
}

/* A table or activations named after the run only (`syncact pair
 * --timeseries`, `syncact extract --out`): the model and layer from the
 * activations' own attributes. */
static gboolean
entities_from_h5 (const char  *path,
                  char       **model,
                  char       **layer)
{
  g_autofree char *m = sa_h5_read_string_attr (path, "/activations", "model");
  g_autofree char *l = sa_h5_read_string_attr (path, "/activations", "layer");

  if (m == NULL || l == NULL)
    return FALSE;
  *model = sa_results_entity_value (m, TRUE);
  *layer = sa_results_entity_value (l, FALSE);
  return TRUE;
}

SaResultsIndex *
sa_results_index_new (const char  *dataset_root,
                      GError     **error)
{
  g_autoptr(SaResultsIndex) index = g_new0 (SaResultsIndex, 1);
  g_autoptr(GDir) d = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) bare_pairs = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_return_val_if_fail (dataset_root != NULL, NULL);

  index->root = g_strdup (dataset_root);
  index->dir = g_build_filename (dataset_root, "derivatives", "syncact", NULL);
  index->fbn_sets = g_ptr_array_new_with_free_func ((GDestroyNotify) fbn_set_free);
  index->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  index->runs = g_ptr_array_new_with_free_func (g_free);
  index->models = g_ptr_array_new_with_free_func (g_free);
  index->layers = g_ptr_array_new_with_free_func (g_free);

  d = g_dir_open (index->dir, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (index->dir, n, NULL);
      g_autofree char *stem = NULL, *run = NULL, *model = NULL, *layer = NULL;
      const char *desc;

      if (g_str_has_suffix (n, COMPONENTS_SUFFIX) && (desc = g_strrstr (n, "_desc-")) != NULL &&
          g_str_has_prefix (desc, "_desc-FBN"))
        {
          SaFbnSet *set = g_new0 (SaFbnSet, 1);

          set->name = g_strndup (desc + 6, strlen (desc + 6) - strlen (COMPONENTS_SUFFIX));
          set->components = g_steal_pointer (&path);
          set->method = fbn_method_of (set->components);
          g_ptr_array_add (index->fbn_sets, set);
        }
      else if (g_str_has_suffix (n, ACTIVATIONS_SUFFIX))
        {
          stem = g_strndup (n, strlen (n) - strlen (ACTIVATIONS_SUFFIX));
          if (split_stem (stem, &run, &model, &layer))
            add_entry (index->entries, index->dir, run, model, layer);
          else if (entities_from_h5 (path, &model, &layer))
            {
              SaResultsEntry *e = add_entry (index->entries, index->dir, stem, model, layer);

              g_free (e->activations);
              e->activations = g_steal_pointer (&path);
            }
        }
      else if (g_str_has_suffix (n, PAIRS_SUFFIX))
        {
          stem = g_strndup (n, strlen (n) - strlen (PAIRS_SUFFIX));
          if (split_stem (stem, &run, &model, &layer))
            add_entry (index->entries, index->dir, run, model, layer)->pairs = g_steal_pointer (&path);
          else
            g_ptr_array_add (bare_pairs, g_steal_pointer (&path));
        }
    }

  /* `syncact pair --timeseries` names its tables after the time courses:
   * they go with the run's activations when the run has only one set. */
  for (guint i = 0; i < bare_pairs->len; i++)
    {
      const char *path = g_ptr_array_index (bare_pairs, i);
      g_autofree char *base = g_path_get_basename (path);
      SaResultsEntry *only = NULL;
      guint n = 0;

      base[strlen (base) - strlen (PAIRS_SUFFIX)] = '\0';
      for (guint j = 0; j < index->entries->len; j++)
        {
          SaResultsEntry *e = g_ptr_array_index (index->entries, j);

          if (g_str_equal (e->run, base))
            only = e, n++;
        }
      if (n == 1 && only->pairs == NULL)
        only->pairs = g_strdup (path);
    }

  if (index->fbn_sets->len == 0)
    {
      sa_set_error (error, SA_ERROR_NOT_FOUND, index->dir,
                    _("no FBN components (*_desc-FBN_components.nii.gz): run `syncact run` on the dataset first"));
      return NULL;
    }
  if (index->entries->len == 0)
    {
      sa_set_error (error, SA_ERROR_NOT_FOUND, index->dir,
                    _("no filter activations (*_desc-activations_stim.h5): run `syncact run` on the dataset first"));
      return NULL;
    }
  g_ptr_array_sort (index->fbn_sets, compare_sets);
  g_ptr_array_sort (index->entries, compare_entries);
  for (guint i = 0; i < index->entries->len; i++)
    {
      SaResultsEntry *e = g_ptr_array_index (index->entries, i);

      e->mean_r = NAN;
      if (e->pairs != NULL)
        summarize_pairs (e);
      add_distinct (index->runs, e->run);
      add_distinct (index->models, e->model);
      add_distinct (index->layers, e->layer);
    }
  g_ptr_array_sort (index->runs, compare_strings);
  g_ptr_array_sort (index->models, compare_strings);
  g_ptr_array_sort (index->layers, compare_strings);
  return g_steal_pointer (&index);
}

static const SaResultsEntry *
best_of (const SaResultsIndex *index,
         const char           *run,
         const char           *model,
         const char           *layer)
{
  const SaResultsEntry *best = NULL;

  for (guint i = 0; i < index->entries->len; i++)
    {
      const SaResultsEntry *e = g_ptr_array_index (index->entries, i);

      if ((run && !g_str_equal (run, e->run)) || (model && !g_str_equal (model, e->model)) ||
          (layer && !g_str_equal (layer, e->layer)))
        continue;
      if (best == NULL || e->n_significant > best->n_significant ||
          (e->n_significant == best->n_significant && isfinite (e->mean_r) &&
           !(e->mean_r <= best->mean_r)))
        best = e;
    }
  return best;
}

const SaResultsEntry *
sa_results_index_get_default (const SaResultsIndex *index)
{
  g_return_val_if_fail (index != NULL, NULL);
  return best_of (index, NULL, NULL, NULL);
}

static char *
join (GPtrArray *values)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < values->len; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", (char *) g_ptr_array_index (values, i));
  return g_string_free (s, FALSE);
}

static gboolean
has_value (GPtrArray  *values,
           const char *value)
{
  for (guint i = 0; i < values->len; i++)
    if (g_str_equal (g_ptr_array_index (values, i), value))
      return TRUE;
  return FALSE;
}

const SaResultsEntry *
sa_results_index_lookup (const SaResultsIndex *index,
                         const char           *run,
                         const char           *model,
                         const char           *layer,
                         GError              **error)
{
  const SaResultsEntry *e;
  struct { const char *value; GPtrArray *values; const char *what; } keys[3];

  g_return_val_if_fail (index != NULL, NULL);
  keys[0].value = run, keys[0].values = index->runs, keys[0].what = N_("run");
  keys[1].value = model, keys[1].values = index->models, keys[1].what = N_("model");
  keys[2].value = layer, keys[2].values = index->layers, keys[2].what = N_("layer");
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    if (keys[k].value && !has_value (keys[k].values, keys[k].value))
      {
        g_autofree char *list = join (keys[k].values);

        sa_set_error (error, SA_ERROR_NOT_FOUND, index->dir, _("no %s “%s”; the results have: %s"),
                      _(keys[k].what), keys[k].value, list);
        return NULL;
      }
  e = best_of (index, run, model, layer);
  if (e == NULL)
    {
      GString *have = g_string_new (NULL);

      for (guint i = 0; i < index->entries->len; i++)
        {
          const SaResultsEntry *x = g_ptr_array_index (index->entries, i);
          g_string_append_printf (have, "%s%s %s %s", i ? "; " : "", x->run, x->model, x->layer);
        }
      sa_set_error (error, SA_ERROR_NOT_FOUND, index->dir,
                    _("no results for run %s, model %s, layer %s; there are: %s"),
                    run ? run : "*", model ? model : "*", layer ? layer : "*", have->str);
      g_string_free (have, TRUE);
    }
  return e;
}

const SaResultsEntry *
sa_results_index_nearest (const SaResultsIndex *index,
                          const char           *run,
                          const char           *model,
                          const char           *layer,
                          const char           *keep)
{
  const SaResultsEntry *best = NULL;
  int best_score = -1;

  g_return_val_if_fail (index != NULL, NULL);
  for (guint i = 0; i < index->entries->len; i++)
    {
      const SaResultsEntry *e = g_ptr_array_index (index->entries, i);
      gboolean same_run = g_strcmp0 (run, e->run) == 0;
      gboolean same_model = g_strcmp0 (model, e->model) == 0;
      gboolean same_layer = g_strcmp0 (layer, e->layer) == 0;
      int score;

      if ((g_strcmp0 (keep, "run") == 0 && !same_run) ||
          (g_strcmp0 (keep, "model") == 0 && !same_model) ||
          (g_strcmp0 (keep, "layer") == 0 && !same_layer))
        continue;
      /* A layer name means little under another model: keep the model
       * before the layer, the run before both. */
      score = 4 * same_run + 2 * same_model + same_layer;
      if (score > best_score)
        best = e, best_score = score;
    }
  return best != NULL ? best : sa_results_index_get_default (index);
}

const SaFbnSet *
sa_results_index_fbn_set (const SaResultsIndex *index,
                          const char           *name,
                          GError              **error)
{
  GString *have;

  g_return_val_if_fail (index != NULL, NULL);
  if (name == NULL)
    return g_ptr_array_index (index->fbn_sets, 0);
  for (guint i = 0; i < index->fbn_sets->len; i++)
    {
      const SaFbnSet *s = g_ptr_array_index (index->fbn_sets, i);

      if (g_str_equal (s->name, name))
        return s;
    }
  have = g_string_new (NULL);
  for (guint i = 0; i < index->fbn_sets->len; i++)
    g_string_append_printf (have, "%s%s", i ? ", " : "",
                            ((SaFbnSet *) g_ptr_array_index (index->fbn_sets, i))->name);
  sa_set_error (error, SA_ERROR_NOT_FOUND, index->dir, _("no FBN set “%s”; the results have: %s"),
                name, have->str);
  g_string_free (have, TRUE);
  return NULL;
}

char *
sa_results_index_mixing_path (const SaResultsIndex *index,
                              const SaFbnSet       *set,
                              const char           *run)
{
  g_return_val_if_fail (index != NULL && set != NULL && run != NULL, NULL);
  return g_strdup_printf ("%s/%s_desc-%s_mixing.tsv", index->dir, run, set->name);
}
