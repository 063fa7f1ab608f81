/* summary-view.c — summary.tsv as a grid */
#include "config.h"

#include <glib/gi18n.h>

#include "ui/summary-view.h"

#include "compute/error.h"
#include "compute/io/tsv.h"

const char *const sa_summary_view_columns[] = {
  "model", "layer", "run", "direction", "mean_r", "pairs", "non_significant",
  "non_significant_fwer", NULL
};

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

GtkWidget *
sa_summary_view_new (const char  *path,
                     GError     **error)
{
  g_autoptr(SaTsv) tsv = sa_tsv_read (path, error);
  GtkWidget *grid, *scrolled;
  int cols[G_N_ELEMENTS (sa_summary_view_columns)];
  int n = 0;

  if (tsv == NULL)
    return NULL;
  for (int c = 0; sa_summary_view_columns[c]; c++)
    {
      int index = sa_tsv_column (tsv, sa_summary_view_columns[c]);

      if (index >= 0)
        cols[n++] = c;
    }
  if (sa_tsv_column (tsv, "mean_r") < 0 || sa_tsv_column (tsv, "model") < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("not a SyncAct summary: the columns model and mean_r are required"));
      return NULL;
    }

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_widget_set_margin_start (grid, 18);
  gtk_widget_set_margin_end (grid, 18);
  gtk_widget_set_margin_top (grid, 12);
  gtk_widget_set_margin_bottom (grid, 12);
  for (int i = 0; i < n; i++)
    {
      const char *name = sa_summary_view_columns[cols[i]];
      GtkWidget *label = gtk_label_new (heading (name));

      gtk_widget_add_css_class (label, "heading");
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_grid_attach (GTK_GRID (grid), label, i, 0, 1, 1);
      for (guint row = 0; row < tsv->rows->len; row++)
        {
          g_autofree char *text = cell_text (name, sa_tsv_get (tsv, row, sa_tsv_column (tsv, name)));
          GtkWidget *cell = gtk_label_new (text);

          gtk_label_set_xalign (GTK_LABEL (cell), 0);
          if (g_str_equal (name, "mean_r") || g_str_equal (name, "pairs") ||
              g_str_has_prefix (name, "non_significant"))
            gtk_widget_add_css_class (cell, "numeric");
          gtk_grid_attach (GTK_GRID (grid), cell, i, row + 1, 1, 1);
        }
    }
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), grid);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 600);
  return scrolled;
}
