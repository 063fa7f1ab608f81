/* summary-view.c — summary.tsv as a column view */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "ui/summary-view.h"

#include "compute/error.h"
#include "compute/io/tsv.h"

const char *const sa_summary_view_columns[] = {
  "model", "layer", "run", "direction", "mean_r", "pairs", "non_significant",
  "non_significant_fwer", NULL
};

struct _SaSummaryView {
  GtkBox         parent_instance;

  SaTsv         *tsv;
  GtkColumnView *view;
};

G_DEFINE_FINAL_TYPE (SaSummaryView, sa_summary_view, GTK_TYPE_BOX)

enum { ROW_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *
heading (const char *column)
{
  if (g_str_equal (column, "model"))
    return _("Model");
  if (g_str_equal (column, "layer"))
    return _("Layer");
  if (g_str_equal (column, "run"))
    return _("Run");
  if (g_str_equal (column, "direction"))
    return _("Direction");
  if (g_str_equal (column, "mean_r"))
    return _("Mean r");
  if (g_str_equal (column, "pairs"))
    return _("Pairs");
  if (g_str_equal (column, "non_significant"))
    return _("Not significant (p)");
  if (g_str_equal (column, "non_significant_fwer"))
    return _("Not significant (FWER)");
  return column;
}

static gboolean
is_numeric (const char *column)
{
  return g_str_equal (column, "mean_r") || g_str_equal (column, "pairs") ||
         g_str_has_prefix (column, "non_significant");
}

/* Numbers to three decimals: the table is for reading, the file for
 * computing. */
static char *
cell_text (const char *column,
           const char *value)
{
  char *end = NULL;
  double v;

  if (g_str_equal (column, "mean_r") || g_str_has_prefix (column, "non_significant"))
    {
      v = g_ascii_strtod (value, &end);
      if (end != value && *end == '\0')
        return g_strdup_printf ("%.3f", v);
    }
  return g_strdup (value);
}

char *
sa_summary_view_dup_cell (SaSummaryView *self,
                          guint          row,
                          const char    *column)
{
  int c;

  g_return_val_if_fail (SA_IS_SUMMARY_VIEW (self), NULL);
  c = sa_tsv_column (self->tsv, column);
  if (c < 0 || row >= self->tsv->rows->len)
    return NULL;
  return cell_text (column, sa_tsv_get (self->tsv, row, c));
}

guint
sa_summary_view_get_n_rows (SaSummaryView *self)
{
  g_return_val_if_fail (SA_IS_SUMMARY_VIEW (self), 0);
  return self->tsv->rows->len;
}

GtkColumnView *
sa_summary_view_get_column_view (SaSummaryView *self)
{
  g_return_val_if_fail (SA_IS_SUMMARY_VIEW (self), NULL);
  return self->view;
}

/* Items are the row numbers as strings; the cells read the table. */
static guint
item_row (GtkListItem *item)
{
  return (guint) atoi (gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            const char               *column)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), is_numeric (column) ? 1 : 0);
  if (is_numeric (column))
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           const char               *column)
{
  SaSummaryView *self = g_object_get_data (G_OBJECT (factory), "sa-summary-view");
  g_autofree char *text = sa_summary_view_dup_cell (self, item_row (item), column);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text ? text : "");
}

static void
activated (GtkColumnView *view,
           guint          position,
           SaSummaryView *self)
{
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (view));
  g_autoptr(GtkStringObject) item = g_list_model_get_item (model, position);
  guint row;
  int cm = sa_tsv_column (self->tsv, "model"), cl = sa_tsv_column (self->tsv, "layer");
  int cr = sa_tsv_column (self->tsv, "run");

  if (item == NULL || cl < 0 || cr < 0)
    return;
  row = (guint) atoi (gtk_string_object_get_string (item));
  g_signal_emit (self, signals[ROW_ACTIVATED], 0, sa_tsv_get (self->tsv, row, cm),
                 sa_tsv_get (self->tsv, row, cl), sa_tsv_get (self->tsv, row, cr));
}

GtkWidget *
sa_summary_view_new (const char  *path,
                     GError     **error)
{
  g_autoptr(SaTsv) tsv = sa_tsv_read (path, error);
  g_autoptr(GtkStringList) rows = NULL;
  SaSummaryView *self;
  GtkSingleSelection *selection;
  GtkWidget *scrolled, *hint;

  if (tsv == NULL)
    return NULL;
  if (sa_tsv_column (tsv, "mean_r") < 0 || sa_tsv_column (tsv, "model") < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("not a SyncAct summary: the columns model and mean_r are required"));
      return NULL;
    }

  self = g_object_new (SA_TYPE_SUMMARY_VIEW, NULL);
  self->tsv = g_steal_pointer (&tsv);
  rows = gtk_string_list_new (NULL);
  for (guint r = 0; r < self->tsv->rows->len; r++)
    {
      char index[16];

      g_snprintf (index, sizeof index, "%u", r);
      gtk_string_list_append (rows, index);
    }
  selection = gtk_single_selection_new (G_LIST_MODEL (g_steal_pointer (&rows)));
  /* Nothing looks chosen before the user chooses. */
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (selection)));
  gtk_column_view_set_show_column_separators (self->view, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Mean r per model, layer and run"), -1);
  for (int c = 0; sa_summary_view_columns[c]; c++)
    {
      const char *name = sa_summary_view_columns[c];
      GtkListItemFactory *factory;
      GtkColumnViewColumn *column;

      if (sa_tsv_column (self->tsv, name) < 0)
        continue;
      factory = gtk_signal_list_item_factory_new ();
      g_object_set_data (G_OBJECT (factory), "sa-summary-view", self);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) name);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) name);
      column = gtk_column_view_column_new (heading (name), factory);
      gtk_column_view_append_column (self->view, column);
      g_object_unref (column);
    }
  g_signal_connect (self->view, "activate", G_CALLBACK (activated), self);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->view));
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 600);
  gtk_widget_set_hexpand (scrolled, TRUE);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (self), scrolled);
  hint = gtk_label_new (_("Double-click a row (or press Enter) to show that model, layer and run."));
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_set_margin_start (hint, 6);
  gtk_widget_set_margin_top (hint, 6);
  gtk_widget_set_margin_bottom (hint, 6);
  gtk_box_append (GTK_BOX (self), hint);
  return GTK_WIDGET (self);
}

static void
sa_summary_view_finalize (GObject *object)
{
  SaSummaryView *self = SA_SUMMARY_VIEW (object);

  g_clear_pointer (&self->tsv, sa_tsv_free);
  G_OBJECT_CLASS (sa_summary_view_parent_class)->finalize (object);
}

static void
sa_summary_view_class_init (SaSummaryViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sa_summary_view_finalize;

  /* A row was activated: its model, layer and run as the file has them. */
  signals[ROW_ACTIVATED] = g_signal_new ("row-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                         G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
sa_summary_view_init (SaSummaryView *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
}
