#include "config.h"

#include "ui/fbn-list.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ui/style-util.h"

/* One row: an FBN and its best pair. */
#define SA_TYPE_FBN_ITEM (sa_fbn_item_get_type ())
G_DECLARE_FINAL_TYPE (SaFbnItem, sa_fbn_item, SA, FBN_ITEM, GObject)

struct _SaFbnItem {
  GObject  parent_instance;
  int      index;
  char    *label;
  int      filter;       /* paired filter, -1: none */
  double   r;
  double   p;
  gboolean significant;
  gboolean provisional;   /* parametric p only: no surrogate null yet */
};

G_DEFINE_FINAL_TYPE (SaFbnItem, sa_fbn_item, G_TYPE_OBJECT)

enum { ITEM_PROP_0, ITEM_PROP_INDEX, ITEM_PROP_LABEL, ITEM_PROP_FILTER, ITEM_PROP_R, ITEM_PROP_SIGNIFICANT, ITEM_N_PROPS };

static void
sa_fbn_item_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SaFbnItem *self = SA_FBN_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_INDEX: g_value_set_int (value, self->index); break;
    case ITEM_PROP_LABEL: g_value_set_string (value, self->label); break;
    case ITEM_PROP_FILTER: g_value_set_int (value, self->filter); break;
    case ITEM_PROP_R: g_value_set_double (value, self->r); break;
    case ITEM_PROP_SIGNIFICANT: g_value_set_boolean (value, self->significant); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_fbn_item_finalize (GObject *object)
{
  g_free (SA_FBN_ITEM (object)->label);
  G_OBJECT_CLASS (sa_fbn_item_parent_class)->finalize (object);
}

static void
sa_fbn_item_class_init (SaFbnItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamSpec *props[ITEM_N_PROPS] = { NULL };

  object_class->get_property = sa_fbn_item_get_property;
  object_class->finalize = sa_fbn_item_finalize;
  props[ITEM_PROP_INDEX] = g_param_spec_int ("index", NULL, NULL, 0, G_MAXINT, 0,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[ITEM_PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[ITEM_PROP_FILTER] = g_param_spec_int ("filter", NULL, NULL, -1, G_MAXINT, -1,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[ITEM_PROP_R] = g_param_spec_double ("r", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[ITEM_PROP_SIGNIFICANT] = g_param_spec_boolean ("significant", NULL, NULL, FALSE,
                                                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, props);
}

static void
sa_fbn_item_init (SaFbnItem *self)
{
}

struct _SaFbnList {
  GtkBox              parent_instance;

  GtkColumnView      *view;
  GListStore         *store;
  GtkSortListModel   *sorted;
  GtkSingleSelection *selection;
  GtkColumnViewColumn *columns[4];

  SaWorkbench        *workbench;
  gboolean            syncing;
};

G_DEFINE_FINAL_TYPE (SaFbnList, sa_fbn_list, GTK_TYPE_BOX)

enum { COLUMN_FBN, COLUMN_FILTER, COLUMN_R, COLUMN_SIG };

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  column)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_INT (column) == COLUMN_FBN ? 0.0 : 1.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (GPOINTER_TO_INT (column) == COLUMN_R || GPOINTER_TO_INT (column) == COLUMN_FILTER)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  column)
{
  SaFbnItem *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;

  gboolean success = FALSE, dim = FALSE;
  switch (GPOINTER_TO_INT (column))
    {
    case COLUMN_FBN:
      gtk_label_set_label (GTK_LABEL (label), row->label);
      /* Atlas labels are often wider than the column: whole on hover. */
      sa_ui_set_tooltip_text (label, row->label);
      break;
    case COLUMN_FILTER:
      /* The paired filter's channel: the list reads as the pairs table. */
      text = row->filter >= 0 ? g_strdup_printf ("%d", row->filter) : g_strdup ("—");
      gtk_label_set_label (GTK_LABEL (label), text);
      break;
    case COLUMN_R:
      text = isnan (row->r) ? g_strdup ("—") : g_strdup_printf ("%.2f", row->r);
      gtk_label_set_label (GTK_LABEL (label), text);
      break;
    case COLUMN_SIG:
      /* A word, not only a colour, so the badge reads without colour vision.
       * Without the surrogate null (training in progress, or no pairs table)
       * the badge states the parametric test it rests on. */
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
add_column (SaFbnList     *self,
            const char    *title,
            int            kind,
            GtkSorter     *sorter)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (kind));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (kind));
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  g_object_unref (sorter);
  gtk_column_view_column_set_expand (column, kind == COLUMN_FBN);
  gtk_column_view_append_column (self->view, column);
  g_object_unref (column);
  return column;
}

static void
select_workbench_fbn (SaFbnList *self)
{
  int fbn = self->workbench ? sa_workbench_get_selected_fbn (self->workbench) : -1;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint found = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < n && fbn >= 0; i++)
    {
      g_autoptr(SaFbnItem) row = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      if (row->index == fbn)
        {
          found = i;
          break;
        }
    }
  sa_ui_column_view_select (self->view, self->selection, found, &self->syncing);
}

static void
selection_changed (SaFbnList *self)
{
  SaFbnItem *row;

  if (self->syncing || self->workbench == NULL)
    return;
  row = gtk_single_selection_get_selected_item (self->selection);
  if (row)
    sa_workbench_set_selected_fbn (self->workbench, row->index);
}

static void
repopulate (SaFbnList *self)
{
  int n = self->workbench ? sa_workbench_get_n_fbns (self->workbench) : 0;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  for (int i = 0; i < n; i++)
    {
      SaFbnItem *row = g_object_new (SA_TYPE_FBN_ITEM, NULL);
      const SaPair *pair = sa_workbench_get_pair (self->workbench, i);

      row->index = i;
      row->label = sa_workbench_dup_fbn_label (self->workbench, i);
      row->filter = pair ? pair->filter : -1;
      row->r = pair ? pair->r : NAN;
      row->p = pair ? pair->p : NAN;
      row->significant = pair ? pair->significant : FALSE;
      row->provisional = pair != NULL && isnan (pair->p_fwer);
      g_ptr_array_add (rows, row);
    }
  self->syncing = TRUE;
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       rows->pdata, rows->len);
  self->syncing = FALSE;
  select_workbench_fbn (self);
}

void
sa_fbn_list_set_workbench (SaFbnList   *self,
                           SaWorkbench *workbench)
{
  g_return_if_fail (SA_IS_FBN_LIST (self));

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_set_object (&self->workbench, workbench);
  if (workbench)
    {
      g_signal_connect_swapped (workbench, "changed", G_CALLBACK (repopulate), self);
      g_signal_connect_swapped (workbench, "notify::selected-fbn", G_CALLBACK (select_workbench_fbn), self);
    }
  repopulate (self);
}

guint
sa_fbn_list_get_n_rows (SaFbnList *self)
{
  g_return_val_if_fail (SA_IS_FBN_LIST (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->selection));
}

int
sa_fbn_list_get_fbn_at (SaFbnList *self,
                        guint      position)
{
  g_autoptr(SaFbnItem) row = NULL;

  g_return_val_if_fail (SA_IS_FBN_LIST (self), -1);
  row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  return row ? row->index : -1;
}

guint
sa_fbn_list_get_selected (SaFbnList *self)
{
  g_return_val_if_fail (SA_IS_FBN_LIST (self), GTK_INVALID_LIST_POSITION);
  return gtk_single_selection_get_selected (self->selection);
}

void
sa_fbn_list_sort_by (SaFbnList  *self,
                     const char *column,
                     gboolean    descending)
{
  int kind = g_strcmp0 (column, "r") == 0 ? COLUMN_R
           : g_strcmp0 (column, "significant") == 0 ? COLUMN_SIG
           : g_strcmp0 (column, "filter") == 0 ? COLUMN_FILTER : COLUMN_FBN;

  g_return_if_fail (SA_IS_FBN_LIST (self));
  gtk_column_view_sort_by_column (self->view, self->columns[kind],
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
}

static void
sa_fbn_list_dispose (GObject *object)
{
  SaFbnList *self = SA_FBN_LIST (object);

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_clear_object (&self->workbench);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_FBN_LIST);
  g_clear_object (&self->selection);
  G_OBJECT_CLASS (sa_fbn_list_parent_class)->dispose (object);
}

static void
sa_fbn_list_class_init (SaFbnListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_fbn_list_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/syncact/SyncAct/ui/fbn-list.ui");
  gtk_widget_class_bind_template_child (widget_class, SaFbnList, view);
}

static void
sa_fbn_list_init (SaFbnList *self)
{
  GtkSorter *sorter;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->store = g_list_store_new (SA_TYPE_FBN_ITEM);
  self->columns[COLUMN_FBN] = add_column (self, _("FBN"), COLUMN_FBN,
    GTK_SORTER (gtk_numeric_sorter_new (gtk_property_expression_new (SA_TYPE_FBN_ITEM, NULL, "index"))));
  self->columns[COLUMN_FILTER] = add_column (self, _("Filter"), COLUMN_FILTER,
    GTK_SORTER (gtk_numeric_sorter_new (gtk_property_expression_new (SA_TYPE_FBN_ITEM, NULL, "filter"))));
  /* A channel number: narrow, so the FBN's atlas label keeps the room. */
  gtk_column_view_column_set_fixed_width (self->columns[COLUMN_FILTER], 56);
  self->columns[COLUMN_R] = add_column (self, _("Best r"), COLUMN_R,
    GTK_SORTER (gtk_numeric_sorter_new (gtk_property_expression_new (SA_TYPE_FBN_ITEM, NULL, "r"))));
  self->columns[COLUMN_SIG] = add_column (self, _("Sig."), COLUMN_SIG,
    GTK_SORTER (gtk_numeric_sorter_new (gtk_property_expression_new (SA_TYPE_FBN_ITEM, NULL, "significant"))));

  sorter = gtk_column_view_get_sorter (self->view);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (self->store), g_object_ref (sorter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (g_object_ref (self->selection)));
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed), self);
}

GtkWidget *
sa_fbn_list_new (void)
{
  return g_object_new (SA_TYPE_FBN_LIST, NULL);
}
