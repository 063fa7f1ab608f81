#include "config.h"

#include "render/traces.h"

#include <glib/gi18n.h>
#include <math.h>

typedef struct {
  double x0, y0, w, h;   /* plot area */
  double t0, t1;         /* visible seconds */
} Plot;

static void
visible_window (const SaTraceParams *p,
                double              *t0,
                double              *t1)
{
  double total = MAX (p->n, 1) * p->tr;

  if (p->t1 > p->t0)
    {
      *t0 = p->t0;
      *t1 = p->t1;
    }
  else
    {
      *t0 = 0;
      *t1 = total > 0 ? total : 1.0;
    }
}

static Plot
plot_area (const SaRenderStyle *style,
           const SaTraceParams *p,
           double               width,
           double               height)
{
  double fs = style->font_size;
  Plot plot;

  plot.x0 = 3.2 * fs;
  plot.y0 = 1.9 * fs;
  plot.w = MAX (width - plot.x0 - 1.5 * fs, 1);
  plot.h = MAX (height - plot.y0 - 2.9 * fs, 1);
  visible_window (p, &plot.t0, &plot.t1);
  return plot;
}

void
sa_trace_zscore (const float *in,
                 int          n,
                 double      *out)
{
  double mean = 0, var = 0;
  int count = 0;

  for (int i = 0; i < n; i++)
    if (!isnan (in[i]))
      {
        mean += in[i];
        count++;
      }
  mean = count > 0 ? mean / count : 0;
  for (int i = 0; i < n; i++)
    if (!isnan (in[i]))
      var += (in[i] - mean) * (in[i] - mean);
  var = count > 0 ? var / count : 0;
  for (int i = 0; i < n; i++)
    out[i] = isnan (in[i]) ? NAN : var > 0 ? (in[i] - mean) / sqrt (var) : 0.0;
}

SaTraceModel *
sa_trace_model_new (const SaTraceParams *params)
{
  SaTraceModel *model;
  double zmax = 0;

  g_return_val_if_fail (params != NULL && params->n >= 0, NULL);

  model = g_new0 (SaTraceModel, 1);
  model->n = params->n;
  model->fbn = g_new (double, MAX (params->n, 1));
  if (params->fbn)
    sa_trace_zscore (params->fbn, params->n, model->fbn);
  else
    for (int i = 0; i < params->n; i++)
      model->fbn[i] = NAN;
  if (params->filter)
    {
      model->filter = g_new (double, MAX (params->n, 1));
      sa_trace_zscore (params->filter, params->n, model->filter);
    }
  for (int i = 0; i < params->n; i++)
    {
      if (!isnan (model->fbn[i]))
        zmax = MAX (zmax, fabs (model->fbn[i]));
      if (model->filter && !isnan (model->filter[i]))
        zmax = MAX (zmax, fabs (model->filter[i]));
    }
  /* Round up to a whole z so the axis labels are round numbers. */
  model->zlim = MAX (ceil (zmax), 1.0);
  for (int i = 0; i < params->n; i++)
    {
      model->fbn[i] = (model->fbn[i] + model->zlim) / (2 * model->zlim);
      if (model->filter)
        model->filter[i] = (model->filter[i] + model->zlim) / (2 * model->zlim);
    }
  return model;
}

void
sa_trace_model_free (SaTraceModel *model)
{
  if (model == NULL)
    return;
  g_free (model->fbn);
  g_free (model->filter);
  g_free (model);
}

static double
nice_step (double range,
           int    target)
{
  double raw = range / MAX (target, 1);
  double mag = pow (10, floor (log10 (raw)));
  double f = raw / mag;

  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

static double
time_to_x (const Plot *plot,
           double      t)
{
  return plot->x0 + (t - plot->t0) / (plot->t1 - plot->t0) * plot->w;
}

double
sa_traces_x_at (const SaRenderStyle *style,
                const SaTraceParams *params,
                double               width,
                double               height,
                double               seconds)
{
  Plot plot;

  g_return_val_if_fail (style != NULL && params != NULL, 0);
  plot = plot_area (style, params, width, height);
  return time_to_x (&plot, seconds);
}

double
sa_traces_time_at (const SaRenderStyle *style,
                   const SaTraceParams *params,
                   double               width,
                   double               height,
                   double               x)
{
  Plot plot;
  double t;

  g_return_val_if_fail (style != NULL && params != NULL, 0);
  plot = plot_area (style, params, width, height);
  t = plot.t0 + (x - plot.x0) / plot.w * (plot.t1 - plot.t0);
  return CLAMP (t, plot.t0, plot.t1);
}

static void
draw_series (cairo_t      *cr,
             const Plot   *plot,
             const double *y,
             int           n,
             double        tr)
{
  gboolean pen_down = FALSE;

  for (int i = 0; i < n; i++)
    {
      double t = i * tr, px, py;

      if (isnan (y[i]))
        {
          pen_down = FALSE;
          continue;
        }
      px = time_to_x (plot, t);
      py = plot->y0 + (1 - y[i]) * plot->h;
      if (pen_down)
        cairo_line_to (cr, px, py);
      else
        cairo_move_to (cr, px, py);
      pen_down = TRUE;
    }
  cairo_stroke (cr);
}

void
sa_traces_draw (cairo_t             *cr,
                const SaRenderStyle *style,
                const SaTraceParams *params,
                const SaTraceModel  *model,
                double               width,
                double               height)
{
  g_autoptr(SaTraceModel) own = NULL;
  Plot plot;
  double fs, step, lw;
  double legend_x;

  g_return_if_fail (cr != NULL && style != NULL && params != NULL);

  if (model == NULL)
    model = own = sa_trace_model_new (params);
  plot = plot_area (style, params, width, height);
  fs = style->font_size;
  lw = style->line_width;

  cairo_save (cr);
  cairo_set_line_width (cr, lw);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  /* Zero line and frame. */
  cairo_set_source_rgba (cr, style->fg[0], style->fg[1], style->fg[2], 0.35);
  cairo_move_to (cr, plot.x0, plot.y0 + plot.h / 2);
  cairo_line_to (cr, plot.x0 + plot.w, plot.y0 + plot.h / 2);
  cairo_stroke (cr);
  sa_render_set_rgb (cr, style->fg);
  cairo_move_to (cr, plot.x0, plot.y0);
  cairo_line_to (cr, plot.x0, plot.y0 + plot.h);
  cairo_line_to (cr, plot.x0 + plot.w, plot.y0 + plot.h);
  cairo_stroke (cr);

  /* Time ticks in seconds. */
  step = nice_step (plot.t1 - plot.t0, MAX ((int) (plot.w / (6 * fs)), 2));
  for (double t = ceil (plot.t0 / step) * step; t <= plot.t1 + 1e-9; t += step)
    {
      double x = time_to_x (&plot, t);
      g_autofree char *label = g_strdup_printf ("%g", t);

      cairo_move_to (cr, x, plot.y0 + plot.h);
      cairo_line_to (cr, x, plot.y0 + plot.h + 0.4 * fs);
      cairo_stroke (cr);
      sa_render_text (cr, style, label, 1.0, x, plot.y0 + plot.h + 0.5 * fs, 0.5, 0);
    }
  sa_render_text (cr, style, _("Time (s)"), 1.0, plot.x0 + plot.w / 2,
                  plot.y0 + plot.h + 1.6 * fs, 0.5, 0);

  /* z ticks: -zlim, 0, +zlim. */
  for (int k = -1; k <= 1; k++)
    {
      double y = plot.y0 + (0.5 - 0.5 * k) * plot.h;
      g_autofree char *label = g_strdup_printf ("%g", k * model->zlim);

      cairo_move_to (cr, plot.x0 - 0.4 * fs, y);
      cairo_line_to (cr, plot.x0, y);
      cairo_stroke (cr);
      sa_render_text (cr, style, label, 1.0, plot.x0 - 0.5 * fs, y, 1, 0.5);
    }
  cairo_save (cr);
  cairo_translate (cr, 0.2 * fs, plot.y0 + plot.h / 2);
  cairo_rotate (cr, -G_PI / 2);
  sa_render_text (cr, style, "z", 1.0, 0, 0, 0.5, 0);
  cairo_restore (cr);

  /* Series, clipped to the plot so zoomed views do not spill. */
  cairo_save (cr);
  cairo_rectangle (cr, plot.x0, plot.y0 - lw, plot.w, plot.h + 2 * lw);
  cairo_clip (cr);
  cairo_set_line_width (cr, 1.2 * lw);
  if (model->filter)
    {
      sa_render_set_rgb (cr, style->accent2);
      draw_series (cr, &plot, model->filter, model->n, params->tr);
    }
  sa_render_set_rgb (cr, style->accent);
  draw_series (cr, &plot, model->fbn, model->n, params->tr);

  if (params->cursor >= 0)
    {
      double x = time_to_x (&plot, params->cursor);

      cairo_set_line_width (cr, lw);
      cairo_set_source_rgba (cr, style->fg[0], style->fg[1], style->fg[2], 0.8);
      cairo_move_to (cr, x, plot.y0);
      cairo_line_to (cr, x, plot.y0 + plot.h);
      cairo_stroke (cr);
    }
  cairo_restore (cr);

  /* Legend (left) and r/p (right) above the plot. */
  legend_x = plot.x0;
  for (int s = 0; s < 2; s++)
    {
      const char *label = s == 0 ? (params->fbn_label ? params->fbn_label : _("FBN"))
                                 : (params->filter_label ? params->filter_label : _("Filter"));
      double ly = plot.y0 - 0.95 * fs;

      if (s == 1 && model->filter == NULL)
        break;
      sa_render_set_rgb (cr, s == 0 ? style->accent : style->accent2);
      cairo_set_line_width (cr, 1.5 * lw);
      cairo_move_to (cr, legend_x, ly);
      cairo_line_to (cr, legend_x + 1.5 * fs, ly);
      cairo_stroke (cr);
      sa_render_set_rgb (cr, style->fg);
      legend_x += 1.8 * fs;
      legend_x += sa_render_text (cr, style, label, 1.0, legend_x, ly, 0, 0.5) + 1.2 * fs;
    }
  if (!isnan (params->r))
    {
      g_autofree char *rp = NULL;

      if (isnan (params->p))
        rp = g_strdup_printf ("r = %.2f", params->r);
      else if (params->p < 0.001)
        rp = g_strdup_printf ("r = %.2f, p < 0.001", params->r);
      else
        rp = g_strdup_printf ("r = %.2f, p = %.3f", params->r, params->p);
      sa_render_set_rgb (cr, style->fg);
      sa_render_text (cr, style, rp, 1.0, plot.x0 + plot.w, plot.y0 - 0.95 * fs, 1, 0.5);
    }
  cairo_restore (cr);
}

double
sa_traces_plot_top (const SaRenderStyle *style,
                    double               height)
{
  SaTraceParams p = { .n = 1, .tr = 1 };

  g_return_val_if_fail (style != NULL, 0);
  return plot_area (style, &p, 1, height).y0;
}

double
sa_traces_plot_bottom (const SaRenderStyle *style,
                       double               height)
{
  SaTraceParams p = { .n = 1, .tr = 1 };
  Plot plot;

  g_return_val_if_fail (style != NULL, 0);
  plot = plot_area (style, &p, 1, height);
  return plot.y0 + plot.h;
}
