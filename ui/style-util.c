#include "config.h"

#include "ui/style-util.h"

void
sa_ui_render_style (GtkWidget     *widget,
                    SaRenderStyle *style)
{
  GdkRGBA fg;
  gboolean dark;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* gtk_widget_get_color() is GTK 4.10; the style context is what 4.8 has. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  dark = 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;
  sa_render_style_init_screen (style, dark);
  style->fg[0] = fg.red;
  style->fg[1] = fg.green;
  style->fg[2] = fg.blue;
}

void
sa_ui_set_tooltip_text (GtkWidget  *widget,
                        const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* GTK stores an empty tooltip as none. */
  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

void
sa_ui_set_css_class (GtkWidget  *widget,
                     const char *css_class,
                     gboolean    on)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (on && !gtk_widget_has_css_class (widget, css_class))
    gtk_widget_add_css_class (widget, css_class);
  else if (!on && gtk_widget_has_css_class (widget, css_class))
    gtk_widget_remove_css_class (widget, css_class);
}

void
sa_ui_column_view_select (GtkColumnView      *view,
                          GtkSingleSelection *selection,
                          guint               position,
                          gboolean           *syncing)
{
  if (position == gtk_single_selection_get_selected (selection))
    return;
  *syncing = TRUE;
  gtk_single_selection_set_selected (selection, position);
  *syncing = FALSE;
  if (position == GTK_INVALID_LIST_POSITION || !gtk_widget_get_mapped (GTK_WIDGET (view)))
    return;
  /* GtkColumnView (4.8) has no scroll_to(); its inner list view has the
   * action. */
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (view)); c; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_VIEW (c))
      gtk_widget_activate_action (c, "list.scroll-to-item", "u", position);
}
