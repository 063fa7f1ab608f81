#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ui/results-selector.h"

enum { KEY_FBN_SET, KEY_RUN, KEY_MODEL, KEY_LAYER, N_KEYS };

static const char *const key_names[N_KEYS] = { "fbn-set", "run", "model", "layer" };

struct _SaResultsSelector {
  GtkBox          parent_instance;

  SaResultsIndex *index;
  GtkDropDown    *dropdowns[N_KEYS];
  char           *values[N_KEYS];   /* shown now */
  gboolean        updating;
};

G_DEFINE_FINAL_TYPE (SaResultsSelector, sa_results_selector, GTK_TYPE_BOX)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static GPtrArray *
values_of (SaResultsSelector *self,
           int                key)
{
  switch (key)
    {
    case KEY_RUN:
      return self->index->runs;
    case KEY_MODEL:
      return self->index->models;
    case KEY_LAYER:
      return self->index->layers;
    default:
      return NULL;
    }
}

static guint
n_values (SaResultsSelector *self,
          int                key)
{
  if (self->index == NULL)
    return 0;
  return key == KEY_FBN_SET ? self->index->fbn_sets->len : values_of (self, key)->len;
}

static const char *
value_at (SaResultsSelector *self,
          int                key,
          guint              i)
{
  if (key == KEY_FBN_SET)
    return ((SaFbnSet *) g_ptr_array_index (self->index->fbn_sets, i))->name;
  return g_ptr_array_index (values_of (self, key), i);
}

/* New lists for a new index. */
static void
fill_models (SaResultsSelector *self)
{
  self->updating = TRUE;
  for (int k = 0; k < N_KEYS; k++)
    {
      g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
      guint n = n_values (self, k);

      for (guint i = 0; i < n; i++)
        {
          const SaFbnSet *set = k == KEY_FBN_SET ? g_ptr_array_index (self->index->fbn_sets, i) : NULL;

          if (set && set->method)
            {
              g_autofree char *label = g_strdup_printf ("%s (%s)", set->name, set->method);
              gtk_string_list_append (list, label);
            }
          else
            gtk_string_list_append (list, value_at (self, k, i));
        }
      gtk_drop_down_set_model (self->dropdowns[k], G_LIST_MODEL (list));
      gtk_widget_set_sensitive (GTK_WIDGET (self->dropdowns[k]), n > 1);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->dropdowns[KEY_FBN_SET]), n_values (self, KEY_FBN_SET) > 1);
  gtk_widget_set_visible (GTK_WIDGET (self), self->index != NULL);
  self->updating = FALSE;
}

/* Puts the drop-downs on self->values; no ::changed. */
static void
show_values (SaResultsSelector *self)
{
  self->updating = TRUE;
  for (int k = 0; k < N_KEYS; k++)
    for (guint i = 0; i < n_values (self, k); i++)
      if (g_strcmp0 (value_at (self, k, i), self->values[k]) == 0 &&
          gtk_drop_down_get_selected (self->dropdowns[k]) != i)
        gtk_drop_down_set_selected (self->dropdowns[k], i);
  self->updating = FALSE;
}

static void
set_value (SaResultsSelector *self,
           int                key,
           const char        *value)
{
  char *copy = g_strdup (value);

  g_free (self->values[key]);
  self->values[key] = copy;
}

static void
set_entry (SaResultsSelector    *self,
           const SaResultsEntry *entry)
{
  set_value (self, KEY_RUN, entry->run);
  set_value (self, KEY_MODEL, entry->model);
  set_value (self, KEY_LAYER, entry->layer);
}

static void
selected_changed (GtkDropDown       *dropdown,
                  GParamSpec        *pspec,
                  SaResultsSelector *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  int key;
  const char *value;

  if (self->updating || self->index == NULL || i == GTK_INVALID_LIST_POSITION)
    return;
  for (key = 0; key < N_KEYS && self->dropdowns[key] != dropdown; key++)
    ;
  g_assert (key < N_KEYS);
  if (i >= n_values (self, key))
    return;
  value = value_at (self, key, i);
  if (g_strcmp0 (value, self->values[key]) == 0)
    return;
  set_value (self, key, value);
  if (key != KEY_FBN_SET)
    {
      /* Another layer may not exist for this model: the closest that does. */
      const SaResultsEntry *e = sa_results_index_nearest (self->index, self->values[KEY_RUN],
                                                          self->values[KEY_MODEL],
                                                          self->values[KEY_LAYER], key_names[key]);
      set_entry (self, e);
    }
  show_values (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
sa_results_selector_set_index (SaResultsSelector    *self,
                               SaResultsIndex       *index,
                               const SaFbnSet       *fbn_set,
                               const SaResultsEntry *entry)
{
  g_return_if_fail (SA_IS_RESULTS_SELECTOR (self));

  if (index != self->index)
    g_clear_pointer (&self->index, sa_results_index_free);
  self->index = index;
  for (int k = 0; k < N_KEYS; k++)
    g_clear_pointer (&self->values[k], g_free);
  if (index != NULL)
    {
      set_value (self, KEY_FBN_SET, fbn_set ? fbn_set->name
                                            : sa_results_index_fbn_set (index, NULL, NULL)->name);
      set_entry (self, entry ? entry : sa_results_index_get_default (index));
    }
  fill_models (self);
  show_values (self);
}

const SaResultsIndex *
sa_results_selector_get_index (SaResultsSelector *self)
{
  g_return_val_if_fail (SA_IS_RESULTS_SELECTOR (self), NULL);
  return self->index;
}

SaResultsChoice *
sa_results_selector_get_choice (SaResultsSelector *self)
{
  g_return_val_if_fail (SA_IS_RESULTS_SELECTOR (self), NULL);
  if (self->index == NULL)
    return NULL;
  return sa_results_choice_new (self->index->root, self->values[KEY_FBN_SET], self->values[KEY_RUN],
                                self->values[KEY_MODEL], self->values[KEY_LAYER]);
}

void
sa_results_selector_show (SaResultsSelector     *self,
                          const SaResultsChoice *choice)
{
  g_return_if_fail (SA_IS_RESULTS_SELECTOR (self));
  g_return_if_fail (choice != NULL);
  set_value (self, KEY_FBN_SET, choice->fbn_set);
  set_value (self, KEY_RUN, choice->run);
  set_value (self, KEY_MODEL, choice->model);
  set_value (self, KEY_LAYER, choice->layer);
  show_values (self);
}

/* summary.tsv's run column: the run key, or the run number alone. */
static const char *
match_run (const SaResultsIndex *index,
           const char           *run)
{
  g_autofree char *suffix = g_strconcat ("run-", run, NULL);

  for (guint i = 0; i < index->runs->len; i++)
    if (g_str_equal (g_ptr_array_index (index->runs, i), run))
      return g_ptr_array_index (index->runs, i);
  for (guint i = 0; i < index->runs->len; i++)
    {
      const char *key = g_ptr_array_index (index->runs, i);
      const char *at = g_strrstr (key, suffix);

      if (at && at[strlen (suffix)] == '\0' && (at == key || at[-1] == '_'))
        return key;
    }
  return NULL;
}

gboolean
sa_results_selector_select (SaResultsSelector *self,
                            const char        *model,
                            const char        *layer,
                            const char        *run)
{
  g_autofree char *m = NULL, *l = NULL;
  const SaResultsEntry *e;
  const char *r;

  g_return_val_if_fail (SA_IS_RESULTS_SELECTOR (self), FALSE);
  g_return_val_if_fail (model && layer && run, FALSE);
  if (self->index == NULL || (r = match_run (self->index, run)) == NULL)
    return FALSE;
  m = sa_results_entity_value (model, TRUE);
  l = sa_results_entity_value (layer, FALSE);
  e = sa_results_index_lookup (self->index, r, m, l, NULL);
  if (e == NULL)
    return FALSE;
  if (g_strcmp0 (e->run, self->values[KEY_RUN]) == 0 && g_strcmp0 (e->model, self->values[KEY_MODEL]) == 0 &&
      g_strcmp0 (e->layer, self->values[KEY_LAYER]) == 0)
    return TRUE;
  set_entry (self, e);
  show_values (self);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

GtkDropDown *
sa_results_selector_get_dropdown (SaResultsSelector *self,
                                  const char        *key)
{
  g_return_val_if_fail (SA_IS_RESULTS_SELECTOR (self), NULL);
  for (int k = 0; k < N_KEYS; k++)
    if (g_strcmp0 (key, key_names[k]) == 0)
      return self->dropdowns[k];
  return NULL;
}

static void
sa_results_selector_dispose (GObject *object)
{
  SaResultsSelector *self = SA_RESULTS_SELECTOR (object);

  g_clear_pointer (&self->index, sa_results_index_free);
  for (int k = 0; k < N_KEYS; k++)
    g_clear_pointer (&self->values[k], g_free);
  G_OBJECT_CLASS (sa_results_selector_parent_class)->dispose (object);
}

static void
sa_results_selector_class_init (SaResultsSelectorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sa_results_selector_dispose;

  /* The user chose another combination (not emitted by set_index). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sa_results_selector_init (SaResultsSelector *self)
{
  const char *labels[N_KEYS] = { _("FBN set"), _("Run"), _("Model"), _("Layer") };
  const char *tips[N_KEYS] = {
    _("Which FBNs: the embedding's maps, or another set of them"),
    _("Which run (task and run) of the dataset"),
    _("Which vision model's filters"),
    _("Which layer of the model"),
  };

  gtk_box_set_spacing (GTK_BOX (self), 4);
  for (int k = 0; k < N_KEYS; k++)
    {
      GtkWidget *dd = gtk_drop_down_new (NULL, NULL);

      self->dropdowns[k] = GTK_DROP_DOWN (dd);
      gtk_widget_set_tooltip_text (dd, tips[k]);
      gtk_widget_set_valign (dd, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (dd), GTK_ACCESSIBLE_PROPERTY_LABEL, labels[k], -1);
      g_signal_connect (dd, "notify::selected", G_CALLBACK (selected_changed), self);
      gtk_box_append (GTK_BOX (self), dd);
    }
  fill_models (self);
}

GtkWidget *
sa_results_selector_new (void)
{
  return g_object_new (SA_TYPE_RESULTS_SELECTOR, NULL);
}
