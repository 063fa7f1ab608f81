#include "config.h"

#include "render/glass-figure.h"

#include <glib/gi18n.h>
#include <math.h>

#include "render/colorbar.h"

void
sa_glass_figure_init_classic (SaGlassFigure *fig,
                              const SaGlass *glass,
                              SaColormap     colormap)
{
  static const double views[3][2] = {
    { SA_GLASS_SIDE_AZIMUTH, SA_GLASS_SIDE_ELEVATION },
    { SA_GLASS_FRONT_AZIMUTH, SA_GLASS_FRONT_ELEVATION },
    { SA_GLASS_TOP_AZIMUTH, SA_GLASS_TOP_ELEVATION },
  };

  g_return_if_fail (fig != NULL);
  fig->glass = glass;
  fig->n_views = 3;
  for (int i = 0; i < 3; i++)
    {
      sa_glass_params_init (&fig->views[i]);
      fig->views[i].azimuth = views[i][0];
      fig->views[i].elevation = views[i][1];
      fig->views[i].colormap = colormap;
      fig->views[i].show_colorbar = FALSE;
    }
  /* The names the slices use too. */
  fig->view_labels[0] = _("sagittal");
  fig->view_labels[1] = _("coronal");
  fig->view_labels[2] = _("axial");
}

void
sa_glass_figure_draw (cairo_t             *cr,
                      const SaRenderStyle *style,
                      double               width,
                      double               height,
                      gpointer             glass_figure)
{
  const SaGlassFigure *fig = glass_figure;
  double fs = style->font_size, top = 0, bar_w = 5 * fs, label_h = 0, cell_w, vmax;
  int n;

  g_return_if_fail (cr != NULL && fig != NULL && fig->glass != NULL);
  n = CLAMP (fig->n_views, 1, SA_GLASS_FIGURE_MAX_VIEWS);

  sa_render_set_rgb (cr, style->bg);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  if (fig->title)
    {
      sa_render_set_rgb (cr, style->fg);
      sa_render_text (cr, style, fig->title, 1.15, width / 2, 0, 0.5, 0);
      top = 1.8 * fs;
    }
  for (int i = 0; i < n; i++)
    if (fig->view_labels[i])
      label_h = 1.6 * fs;
  cell_w = (width - bar_w) / n;
  vmax = fig->views[0].vmax > 0 ? fig->views[0].vmax : sa_glass_get_abs_max (fig->glass);
  for (int i = 0; i < n; i++)
    {
      SaGlassParams p = fig->views[i];

      /* One scale for every view, so blobs compare across them. */
      p.show_colorbar = FALSE;
      p.vmax = vmax > 0 ? vmax : 1;
      p.colormap = fig->views[0].colormap;
      cairo_save (cr);
      cairo_translate (cr, i * cell_w, top);
      sa_glass_draw (cr, style, fig->glass, &p, cell_w, height - top - label_h);
      cairo_restore (cr);
      if (fig->view_labels[i])
        {
          sa_render_set_rgb (cr, style->fg);
          sa_render_text (cr, style, fig->view_labels[i], 1.0, (i + 0.5) * cell_w,
                          height - label_h + 0.3 * fs, 0.5, 0);
        }
    }
  if (vmax > 0)
    {
      gboolean div = sa_colormap_is_diverging (fig->views[0].colormap);
      double h = height - top - label_h;

      sa_colorbar_draw (cr, style, fig->views[0].colormap, div ? -vmax : 0, vmax,
                        sa_glass_get_threshold (fig->glass),
                        fig->colorbar_label ? fig->colorbar_label : _("loading"),
                        width - bar_w + 0.6 * fs, top + 0.15 * h, bar_w - 0.6 * fs, 0.7 * h);
    }
}

void
sa_frames_figure_draw (cairo_t             *cr,
                       const SaRenderStyle *style,
                       double               width,
                       double               height,
                       gpointer             frames_figure)
{
  const SaFramesFigure *fig = frames_figure;
  double top = 0;

  g_return_if_fail (cr != NULL && fig != NULL);
  if (fig->title)
    {
      sa_render_set_rgb (cr, style->fg);
      sa_render_text (cr, style, fig->title, 1.15, width / 2, 0, 0.5, 0);
      top = 1.8 * style->font_size;
    }
  cairo_save (cr);
  cairo_translate (cr, 0, top);
  sa_gallery_draw (cr, style, fig->frames, fig->n_frames, width, height - top);
  cairo_restore (cr);
}
