/* filter-list.c — filter → FBN pairs as a sortable, keyboard-driven list */
#include "config.h"

#include "ui/filter-list.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ui/style-util.h"

/* One row: a filter and its best FBN. */
#define SA_TYPE_FILTER_ITEM (sa_filter_item_get_type ())
G_DECLARE_FINAL_TYPE (SaFilterItem, sa_filter_item, SA, FILTER_ITEM, GObject)

struct _SaFilterItem {
  GObject  parent_instance;
  int      index;
  int      fbn;          /* -1: no pair */
  char    *label;
  char    *fbn_label;
  double   r;
  gboolean significant;
  gboolean provisional;  /* parametric p only: no surrogate null yet */
};

G_DEFINE_FINAL_TYPE (SaFilterItem, sa_filter_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_INDEX,
  ITEM_PROP_FBN,
  ITEM_PROP_R,
  ITEM_PROP_SIGNIFICANT,
  ITEM_N_PROPS
};

static void
sa_filter_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SaFilterItem *self = SA_FILTER_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_INDEX: g_value_set_int (value, self->index); break;
    case ITEM_PROP_FBN: g_value_set_int (value, self->fbn); break;
    /* Unpaired rows sort below every r. */
    case ITEM_PROP_R: g_value_set_double (value, isnan (self->r) ? -G_MAXDOUBLE : self->r); break;
    case ITEM_PROP_SIGNIFICANT: g_value_set_boolean (value, self->significant); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_filter_item_finalize (GObject *object)
{
  SaFilterItem *self = SA_FILTER_ITEM (object);

  g_free (self->label);
  g_free (self->fbn_label);
  G_OBJECT_CLASS (sa_filter_item_parent_class)->finalize (object);
}

static void
sa_filter_item_class_init (SaFilterItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamSpec *props[ITEM_N_PROPS] = { NULL };

  object_class->get_property = sa_filter_item_get_property;
  object_class->finalize = sa_filter_item_finalize;
  props[ITEM_PROP_INDEX] = g_param_spec_int ("index", NULL, NULL, 0, G_MAXINT, 0,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[ITEM_PROP_FBN] = g_param_spec_int ("fbn", NULL, NULL, -1, G_MAXINT, -1,
                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[ITEM_PROP_R] = g_param_spec_double ("r", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[ITEM_PROP_SIGNIFICANT] = g_param_spec_boolean ("significant", NULL, NULL, FALSE,
                                                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, props);
}

static void
sa_filter_item_init (SaFilterItem *self)
{
}

enum { COLUMN_FILTER, COLUMN_FBN, COLUMN_R, COLUMN_SIG, N_COLUMNS };

struct _SaFilterList {
  GtkBox               parent_instance;

  GtkColumnView       *view;
  GListStore          *store;
  GtkSortListModel    *sorted;
  GtkSingleSelection  *selection;
  GtkColumnViewColumn *columns[N_COLUMNS];

  SaWorkbench         *workbench;
  gboolean             syncing;
};

G_DEFINE_FINAL_TYPE (SaFilterList, sa_filter_list, GTK_TYPE_BOX)

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  column)
{
  int kind = GPOINTER_TO_INT (column);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), kind == COLUMN_FILTER || kind == COLUMN_FBN ? 0.0 : 1.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (kind == COLUMN_R)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  column)
{
  SaFilterItem *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;

  gboolean success = FALSE, dim = FALSE;
  switch (GPOINTER_TO_INT (column))
    {
    case COLUMN_FILTER:
      gtk_label_set_label (GTK_LABEL (label), row->label);
      /* Labels are often wider than the column: the whole one on hover. */
      sa_ui_set_tooltip_text (label, row->label);
      break;
    case COLUMN_FBN:
      gtk_label_set_label (GTK_LABEL (label), row->fbn_label ? row->fbn_label : "—");
      sa_ui_set_tooltip_text (label, row->fbn_label);
      break;
    case COLUMN_R:
      text = isnan (row->r) ? g_strdup ("—") : g_strdup_printf ("%.2f", row->r);
      gtk_label_set_label (GTK_LABEL (label), text);
      break;
    case COLUMN_SIG:
      /* A word, not only a colour, as in the FBN list (and provisional as
       * there, while only the parametric p is known). */
      if (row->provisional)
        gtk_label_set_label (GTK_LABEL (label), row->significant ? _("p<.05") : _("p≥.05"));
      else
        gtk_label_set_label (GTK_LABEL (label), row->significant ? _("sig.") : _("n.s."));
      sa_ui_set_tooltip_text (label, row->provisional
                                   ? _("Provisional: parametric p, no surrogate null yet")
                                   : NULL);
      success = row->significant;
      dim = !row->significant;
      break;
    default:
      g_assert_not_reached ();
    }
  sa_ui_set_css_class (label, "success", success);
  sa_ui_set_css_class (label, "dim-label", dim);
}

static GtkColumnViewColumn *
add_column (SaFilterList *self,
            const char   *title,
            int           kind,
            const char   *property)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkSorter *sorter = GTK_SORTER (gtk_numeric_sorter_new (
    gtk_property_expression_new (SA_TYPE_FILTER_ITEM, NULL, property)));
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (kind));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (kind));
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  g_object_unref (sorter);
  gtk_column_view_column_set_expand (column, kind == COLUMN_FILTER || kind == COLUMN_FBN);
  gtk_column_view_column_set_resizable (column, kind == COLUMN_FILTER || kind == COLUMN_FBN);
  gtk_column_view_append_column (self->view, column);
  g_object_unref (column);
  return column;
}

static void
select_workbench_filter (SaFilterList *self)
{
  int filter = self->workbench ? sa_workbench_get_selected_filter (self->workbench) : -1;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint found = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < n && filter >= 0; i++)
    {
      g_autoptr(SaFilterItem) row = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      if (row->index == filter)
        {
          found = i;
          break;
        }
    }
  sa_ui_column_view_select (self->view, self->selection, found, &self->syncing);
}

static void
selection_changed (SaFilterList *self)
{
  SaFilterItem *row;

  if (self->syncing || self->workbench == NULL)
    return;
  row = gtk_single_selection_get_selected_item (self->selection);
  if (row)
    sa_workbench_set_selected_filter (self->workbench, row->index);
}

static void
repopulate (SaFilterList *self)
{
  int n = self->workbench ? sa_workbench_get_n_filters (self->workbench) : 0;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_full (n, g_object_unref);

  for (int j = 0; j < n; j++)
    {
      SaFilterItem *row = g_object_new (SA_TYPE_FILTER_ITEM, NULL);
      const SaPair *pair = sa_workbench_get_filter_pair (self->workbench, j);

      row->index = j;
      row->label = sa_workbench_dup_filter_label (self->workbench, j);
      row->fbn = pair ? pair->fbn : -1;
      row->fbn_label = pair ? sa_workbench_dup_fbn_label (self->workbench, pair->fbn) : NULL;
      row->r = pair ? pair->r : NAN;
      row->significant = pair ? pair->significant : FALSE;
      row->provisional = pair != NULL && isnan (pair->p_fwer);
      g_ptr_array_add (rows, row);
    }
  self->syncing = TRUE;
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       rows->pdata, rows->len);
  self->syncing = FALSE;
  select_workbench_filter (self);
}

void
sa_filter_list_set_workbench (SaFilterList *self,
                              SaWorkbench  *workbench)
{
  g_return_if_fail (SA_IS_FILTER_LIST (self));

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_set_object (&self->workbench, workbench);
  if (workbench)
    {
      g_signal_connect_swapped (workbench, "changed", G_CALLBACK (repopulate), self);
      g_signal_connect_swapped (workbench, "notify::selected-filter",
                                G_CALLBACK (select_workbench_filter), self);
    }
  repopulate (self);
}

guint
sa_filter_list_get_n_rows (SaFilterList *self)
{
  g_return_val_if_fail (SA_IS_FILTER_LIST (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->selection));
}

int
sa_filter_list_get_filter_at (SaFilterList *self,
                              guint         position)
{
  g_autoptr(SaFilterItem) row = NULL;

  g_return_val_if_fail (SA_IS_FILTER_LIST (self), -1);
  row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  return row ? row->index : -1;
}

guint
sa_filter_list_get_selected (SaFilterList *self)
{
  g_return_val_if_fail (SA_IS_FILTER_LIST (self), GTK_INVALID_LIST_POSITION);
  return gtk_single_selection_get_selected (self->selection);
}

void
sa_filter_list_activate_row (SaFilterList *self,
                             guint         position)
{
  g_return_if_fail (SA_IS_FILTER_LIST (self));
  if (position < sa_filter_list_get_n_rows (self))
    gtk_single_selection_set_selected (self->selection, position);
}

void
sa_filter_list_sort_by (SaFilterList *self,
                        const char   *column,
                        gboolean      descending)
{
  int kind = g_strcmp0 (column, "r") == 0 ? COLUMN_R
           : g_strcmp0 (column, "significant") == 0 ? COLUMN_SIG
           : g_strcmp0 (column, "fbn") == 0 ? COLUMN_FBN : COLUMN_FILTER;

  g_return_if_fail (SA_IS_FILTER_LIST (self));
  gtk_column_view_sort_by_column (self->view, self->columns[kind],
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
}

static void
sa_filter_list_dispose (GObject *object)
{
  SaFilterList *self = SA_FILTER_LIST (object);

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_clear_object (&self->workbench);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_FILTER_LIST);
  g_clear_object (&self->selection);
  G_OBJECT_CLASS (sa_filter_list_parent_class)->dispose (object);
}

static void
sa_filter_list_class_init (SaFilterListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_filter_list_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/syncact/SyncAct/ui/filter-list.ui");
  gtk_widget_class_bind_template_child (widget_class, SaFilterList, view);
}

static void
sa_filter_list_init (SaFilterList *self)
{
  GtkSorter *sorter;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->store = g_list_store_new (SA_TYPE_FILTER_ITEM);
  self->columns[COLUMN_FILTER] = add_column (self, _("Filter"), COLUMN_FILTER, "index");
  self->columns[COLUMN_FBN] = add_column (self, _("Best FBN"), COLUMN_FBN, "fbn");
  self->columns[COLUMN_R] = add_column (self, _("r"), COLUMN_R, "r");
  self->columns[COLUMN_SIG] = add_column (self, _("Sig."), COLUMN_SIG, "significant");

  sorter = gtk_column_view_get_sorter (self->view);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (self->store), g_object_ref (sorter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (g_object_ref (self->selection)));
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed), self);
}

GtkWidget *
sa_filter_list_new (void)
{
  return g_object_new (SA_TYPE_FILTER_LIST, NULL);
}
