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
