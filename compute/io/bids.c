#include "config.h"

#include <glib/gi18n.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/bids.h"
#include "compute/io/bids-private.h"
#include "compute/io/nifti.h"
#include "compute/io/tsv.h"


void
sa_bids_dataset_free (SaBidsDataset *dataset)
{
  if (dataset == NULL)
    return;
  g_free (dataset->root);
  g_free (dataset->name);
  g_free (dataset->bids_version);
  g_clear_pointer (&dataset->subjects, g_ptr_array_unref);
  g_clear_pointer (&dataset->runs, g_ptr_array_unref);
  g_clear_pointer (&dataset->run_keys, g_ptr_array_unref);
  g_clear_pointer (&dataset->movies, g_ptr_array_unref);
  g_clear_pointer (&dataset->warnings, g_ptr_array_unref);
  g_free (dataset);
}


static char *
identity_of (const SaBidsName *name)
{
  static const char *const keys[] = { "sub", "ses", "task", "acq", "ce", "dir", "rec", "run", "echo" };
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *v = sa_bids_name_get (name, keys[i]);
      if (v == NULL)
        continue;
      if (s->len > 0)
        g_string_append_c (s, '_');
      g_string_append_printf (s, "%s-%s", keys[i], v);
    }
  return g_string_free (s, FALSE);
}

static void
scan_func_dir (const char *top,
               const char *rel_dir,
               const char *pipeline,
               GPtrArray  *found)
{
  g_autofree char *dir = g_build_filename (top, rel_dir, NULL);
  g_autoptr(GDir) gdir = g_dir_open (dir, 0, NULL);
  const char *entry;

  if (gdir == NULL)
    return;
  while ((entry = g_dir_read_name (gdir)) != NULL)
    {
      g_autoptr(SaBidsName) name = sa_bids_name_parse (entry);
      const char *desc;
      SaBidsCandidate *c;

      if (name == NULL || strcmp (name->suffix, "bold") != 0
          || (strcmp (name->extension, ".nii.gz") != 0 && strcmp (name->extension, ".nii") != 0)
          || sa_bids_name_get (name, "sub") == NULL || sa_bids_name_get (name, "task") == NULL)
        continue;
      /* Derivatives hold several kinds of bold (fMRIPrep's preproc, others'
       * variants); only the preprocessed one is an input. */
      desc = sa_bids_name_get (name, "desc");
      if (pipeline != NULL && (desc == NULL || strcmp (desc, "preproc") != 0))
        continue;
      c = g_new0 (SaBidsCandidate, 1);
      c->path = g_build_filename (dir, entry, NULL);
      c->identity = identity_of (name);
      c->pipeline = g_strdup (pipeline);
      c->space = g_strdup (sa_bids_name_get (name, "space"));
      c->rel_dir = g_strdup (rel_dir);
      g_ptr_array_add (found, c);
    }
}

static void
scan_tree (const char *top,
           const char *pipeline,
           GPtrArray  *found)
{
  g_autoptr(GDir) gdir = g_dir_open (top, 0, NULL);
  const char *sub;

  if (gdir == NULL)
    return;
  while ((sub = g_dir_read_name (gdir)) != NULL)
    {
      g_autofree char *sub_dir = g_build_filename (top, sub, NULL);
      g_autofree char *func = g_build_filename (sub, "func", NULL);
      g_autoptr(GDir) sdir = NULL;
      const char *ses;

      if (!g_str_has_prefix (sub, "sub-") || !g_file_test (sub_dir, G_FILE_TEST_IS_DIR))
        continue;
      scan_func_dir (top, func, pipeline, found);
      sdir = g_dir_open (sub_dir, 0, NULL);
      while (sdir != NULL && (ses = g_dir_read_name (sdir)) != NULL)
        if (g_str_has_prefix (ses, "ses-"))
          {
            g_autofree char *ses_func = g_build_filename (sub, ses, "func", NULL);
            scan_func_dir (top, ses_func, pipeline, found);
          }
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* By path, so the choice between pipelines does not depend on the order
 * the file system lists them in. */
static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const SaBidsCandidate *ca = *(SaBidsCandidate *const *) a;
  const SaBidsCandidate *cb = *(SaBidsCandidate *const *) b;

  return strcmp (ca->path, cb->path);
}

/* The space most of a pipeline's runs have; MNI spaces first on a tie, as
 * a common space across subjects is what SyncAct needs. */
static char *
choose_space (GPtrArray  *candidates,
              const char *pipeline,
              GString    *all_spaces)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GList) keys = NULL;
  const char *best = NULL;
  guint best_n = 0;

  for (guint i = 0; i < candidates->len; i++)
    {
      SaBidsCandidate *c = g_ptr_array_index (candidates, i);
      const char *space = c->space ? c->space : "";
      if (g_strcmp0 (c->pipeline, pipeline) != 0)
        continue;
      g_hash_table_insert (counts, (gpointer) space,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, space)) + 1));
    }
  keys = g_list_sort (g_hash_table_get_keys (counts), (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, l->data));
      gboolean mni = g_str_has_prefix (l->data, "MNI");
      if (all_spaces->len > 0)
        g_string_append (all_spaces, ", ");
      g_string_append (all_spaces, *(char *) l->data ? l->data : "(none)");
      if (best == NULL || n > best_n
          || (n == best_n && mni && !g_str_has_prefix (best, "MNI")))
        {
          best = l->data;
          best_n = n;
        }
    }
  return best ? g_strdup (best) : NULL;
}


static int
compare_runs (gconstpointer a,
              gconstpointer b)
{
  const SaBidsRun *ra = *(SaBidsRun *const *) a;
  const SaBidsRun *rb = *(SaBidsRun *const *) b;
  int d = strcmp (ra->subject, rb->subject);

  return d != 0 ? d : strcmp (ra->run_key, rb->run_key);
}

static void
add_unique (GPtrArray  *array,
            const char *value)
{
  for (guint i = 0; i < array->len; i++)
    if (strcmp (g_ptr_array_index (array, i), value) == 0)
      return;
  g_ptr_array_add (array, g_strdup (value));
}

static void
read_description (SaBidsDataset *dataset)
{
  g_autofree char *path = g_build_filename (dataset->root, "dataset_description.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (g_file_test (path, G_FILE_TEST_EXISTS) && json_parser_load_from_file (parser, path, NULL)
      && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *obj = json_node_get_object (root);
      if (json_object_has_member (obj, "Name")
          && JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "Name")))
        dataset->name = g_strdup (json_object_get_string_member (obj, "Name"));
      if (json_object_has_member (obj, "BIDSVersion")
          && JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "BIDSVersion")))
        dataset->bids_version = g_strdup (json_object_get_string_member (obj, "BIDSVersion"));
    }
  else if (g_file_test (path, G_FILE_TEST_EXISTS))
    sa_bids_warn (dataset, "%s: not valid JSON; name taken from the folder", path);
  else
    sa_bids_warn (dataset, "%s: missing (BIDS requires it)", path);
  if (dataset->name == NULL || *dataset->name == '\0')
    {
      g_free (dataset->name);
      dataset->name = g_path_get_basename (dataset->root);
    }
}

static void
check_participants (SaBidsDataset *dataset)
{
  g_autofree char *path = g_build_filename (dataset->root, "participants.tsv", NULL);
  g_autoptr(SaTsv) tsv = NULL;
  g_autoptr(GError) error = NULL;
  int col;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  tsv = sa_tsv_read (path, &error);
  if (tsv == NULL)
    {
      sa_bids_warn (dataset, "%s", error->message);
      return;
    }
  col = sa_tsv_column (tsv, "participant_id");
  if (col < 0)
    {
      sa_bids_warn (dataset, "%s: no participant_id column", path);
      return;
    }
  for (guint s = 0; s < dataset->subjects->len; s++)
    {
      g_autofree char *id = g_strconcat ("sub-", g_ptr_array_index (dataset->subjects, s), NULL);
      gboolean listed = FALSE;
      for (guint i = 0; i < tsv->rows->len && !listed; i++)
        listed = g_strcmp0 (sa_tsv_get (tsv, i, col), id) == 0;
      if (!listed)
        sa_bids_warn (dataset, "%s: %s has runs but is not listed", path, id);
    }
}

SaBidsDataset *
sa_bids_open (const char  *root,
              GError     **error)
{
  g_autoptr(SaBidsDataset) dataset = g_new0 (SaBidsDataset, 1);
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) sa_bids_candidate_free);
  g_autoptr(GHashTable) chosen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) both = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) preferred = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) space_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *deriv = NULL;
  g_autoptr(GDir) ddir = NULL;
  g_autoptr(GList) ids = NULL;
  const SaBidsRun *first = NULL;
  int first_dims[3] = { 0 };
  double first_affine[4][4];
  const char *entry;

  g_return_val_if_fail (root != NULL, NULL);

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      sa_set_error (error, SA_ERROR_NOT_FOUND, root, _("not a dataset folder"));
      return NULL;
    }
  dataset->root = g_canonicalize_filename (root, NULL);
  dataset->subjects = g_ptr_array_new_with_free_func (g_free);
  dataset->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) sa_bids_run_free);
  dataset->run_keys = g_ptr_array_new_with_free_func (g_free);
  dataset->movies = g_ptr_array_new_with_free_func (g_free);
  dataset->warnings = g_ptr_array_new_with_free_func (g_free);
  read_description (dataset);

  scan_tree (dataset->root, NULL, candidates);
  deriv = g_build_filename (dataset->root, "derivatives", NULL);
  ddir = g_dir_open (deriv, 0, NULL);
  /* derivatives/syncact is SyncAct's own output, never an input. */
  while (ddir != NULL && (entry = g_dir_read_name (ddir)) != NULL)
    if (strcmp (entry, "syncact") != 0)
      {
        g_autofree char *top = g_build_filename (deriv, entry, NULL);
        if (g_file_test (top, G_FILE_TEST_IS_DIR))
          scan_tree (top, entry, candidates);
      }
  if (candidates->len == 0)
    {
      sa_set_error (error, SA_ERROR_NOT_FOUND, dataset->root,
                    _("no bold runs (sub-*/[ses-*/]func/*_bold.nii[.gz], or *_desc-preproc_bold.nii[.gz] under derivatives/*/)"));
      return NULL;
    }

  /* One space per pipeline. */
  for (guint i = 0; i < candidates->len; i++)
    {
      SaBidsCandidate *c = g_ptr_array_index (candidates, i);
      g_autoptr(GString) spaces = g_string_new (NULL);
      char *space;

      if (c->pipeline == NULL || g_hash_table_contains (space_of, c->pipeline))
        continue;
      space = choose_space (candidates, c->pipeline, spaces);
      if (strchr (spaces->str, ',') != NULL)
        sa_bids_warn (dataset, "derivatives/%s holds several spaces (%s); using %s", c->pipeline,
              spaces->str, *space ? space : "(none)");
      g_hash_table_insert (space_of, g_strdup (c->pipeline), space);
    }

  /* Per run: a preprocessed derivative beats the raw file; between
   * pipelines, the first by name. */
  g_ptr_array_sort (candidates, compare_candidates);
  for (guint i = 0; i < candidates->len; i++)
    {
      SaBidsCandidate *c = g_ptr_array_index (candidates, i);
      SaBidsCandidate *old = g_hash_table_lookup (chosen, c->identity);

      if (c->pipeline != NULL
          && g_strcmp0 (c->space ? c->space : "", g_hash_table_lookup (space_of, c->pipeline)) != 0)
        continue;
      if (old != NULL && (old->pipeline == NULL) != (c->pipeline == NULL))
        g_hash_table_add (both, c->identity);
      if (old == NULL || (old->pipeline == NULL && c->pipeline != NULL))
        g_hash_table_insert (chosen, c->identity, c);
      else if (old->pipeline != NULL && c->pipeline != NULL && strcmp (old->pipeline, c->pipeline) != 0)
        sa_bids_warn (dataset, "%s: also in derivatives/%s; using derivatives/%s", c->identity,
              c->pipeline, old->pipeline);
    }
  {
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init (&it, chosen);
    while (g_hash_table_iter_next (&it, &k, &v))
      if (g_hash_table_contains (both, k))
        {
          const char *p = ((SaBidsCandidate *) v)->pipeline;
          g_hash_table_insert (preferred, g_strdup (p),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (preferred, p)) + 1));
        }
    g_hash_table_iter_init (&it, preferred);
    while (g_hash_table_iter_next (&it, &k, &v))
      sa_bids_warn (dataset, "derivatives/%s: its preprocessed bold is used instead of the raw file for %u run(s)",
            (char *) k, GPOINTER_TO_UINT (v));
  }

  ids = g_list_sort (g_hash_table_get_keys (chosen), (GCompareFunc) strcmp);
  for (GList *l = ids; l != NULL; l = l->next)
    {
      SaBidsCandidate *c = g_hash_table_lookup (chosen, l->data);
      SaBidsRun *run = NULL;
      double affine[4][4];
      int dims[3];

      if (!sa_bids_describe_run (dataset, c, &run, affine, dims, error))
        {
          if (run != NULL)
            sa_bids_run_free (run);
          return NULL;
        }
      g_ptr_array_add (dataset->runs, run);
      if (first == NULL)
        {
          first = run;
          memcpy (first_dims, dims, sizeof dims);
          memcpy (first_affine, affine, sizeof affine);
          continue;
        }
      if (!sa_bids_same_grid (first_dims, first_affine, dims, affine))
        {
          sa_set_error (error, SA_ERROR_MISMATCH, run->bold_path,
                        _("grid %d×%d×%d differs from %s (%d×%d×%d, or a different affine); "
                        "every run must be on one grid"),
                        dims[0], dims[1], dims[2], first->bold_path,
                        first_dims[0], first_dims[1], first_dims[2]);
          return NULL;
        }
      if (fabs (run->tr - first->tr) > 1e-4)
        {
          sa_set_error (error, SA_ERROR_MISMATCH, run->bold_path,
                        _("TR %g s differs from %g s in %s; every run must share one TR"),
                        run->tr, first->tr, first->bold_path);
          return NULL;
        }
    }

  g_ptr_array_sort (dataset->runs, compare_runs);
  for (guint i = 0; i < dataset->runs->len; i++)
    {
      SaBidsRun *run = g_ptr_array_index (dataset->runs, i);
      add_unique (dataset->subjects, run->subject);
      add_unique (dataset->run_keys, run->run_key);
      if (run->movie_path != NULL)
        add_unique (dataset->movies, run->movie_path);
    }
  g_ptr_array_sort (dataset->subjects, compare_strings);
  g_ptr_array_sort (dataset->run_keys, compare_strings);
  dataset->tr = first->tr;
  memcpy (dataset->grid, first_dims, sizeof first_dims);
  memcpy (dataset->affine, first_affine, sizeof first_affine);
  check_participants (dataset);
  return g_steal_pointer (&dataset);
}

GPtrArray *
sa_bids_runs_for_subject (SaBidsDataset *dataset,
                          const char    *subject)
{
  GPtrArray *runs = g_ptr_array_new ();

  g_return_val_if_fail (dataset != NULL && subject != NULL, runs);
  if (g_str_has_prefix (subject, "sub-"))
    subject += 4;
  for (guint i = 0; i < dataset->runs->len; i++)
    {
      SaBidsRun *run = g_ptr_array_index (dataset->runs, i);
      if (strcmp (run->subject, subject) == 0)
        g_ptr_array_add (runs, run);
    }
  return runs;
}

GPtrArray *
sa_bids_runs_for_key (SaBidsDataset *dataset,
                      const char    *run_key)
{
  GPtrArray *runs = g_ptr_array_new ();

  g_return_val_if_fail (dataset != NULL && run_key != NULL, runs);
  for (guint i = 0; i < dataset->runs->len; i++)
    {
      SaBidsRun *run = g_ptr_array_index (dataset->runs, i);
      if (strcmp (run->run_key, run_key) == 0)
        g_ptr_array_add (runs, run);
    }
  return runs;
}

char *
sa_bids_derivatives_dir (SaBidsDataset *dataset)
{
  g_return_val_if_fail (dataset != NULL, NULL);
  return g_build_filename (dataset->root, "derivatives", "syncact", NULL);
}

char *
sa_bids_cache_dir (SaBidsDataset *dataset)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (dataset != NULL, NULL);
  dir = g_build_filename (dataset->root, "derivatives", "syncact", "cache", NULL);
  if (g_mkdir_with_parents (dir, 0755) == 0 && g_access (dir, W_OK) == 0)
    return g_steal_pointer (&dir);
  g_free (dir);
  dir = g_build_filename (g_get_user_cache_dir (), "syncact", "runs", NULL);
  g_mkdir_with_parents (dir, 0755);
  return g_steal_pointer (&dir);
}
