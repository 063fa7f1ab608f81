#include "config.h"

#include "ui/figure-export.h"

#include <glib/gi18n.h>
#include <math.h>

#include "compute/error.h"
#include "compute/io/movie.h"
#include "render/colorbar.h"
#include "render/frame-figure.h"
#include "render/glass-figure.h"
#include "render/heatmap.h"

#define N_TOP_FRAMES 4

typedef struct {
  SaExportKind    kind;
  SaPairFigure    pair;
  SaSliceVolume   map;
  SaFrame         frames[N_TOP_FRAMES];
  char           *captions[N_TOP_FRAMES];
  char           *title;
  char           *fbn_label;
  char           *filter_label;
  SaHeatmapParams heatmap;
  int            *row_order;
  int            *col_order;
  SaGlass        *glass;
  SaGlassFigure   glass_fig;
  SaFramesFigure  frames_fig;
  SaFrameFigure   frame_fig;
  guint8         *frame_rgb;
  char           *frame_caption;
} Figure;

static void
figure_clear (Figure *fig)
{
  for (int i = 0; i < N_TOP_FRAMES; i++)
    g_free (fig->captions[i]);
  g_free (fig->title);
  g_free (fig->fbn_label);
  g_free (fig->filter_label);
  g_free (fig->row_order);
  g_free (fig->col_order);
  g_clear_pointer (&fig->glass, sa_glass_free);
  g_free (fig->frame_rgb);
  g_free (fig->frame_caption);
}

static void
draw (cairo_t             *cr,
      const SaRenderStyle *style,
      double               width,
      double               height,
      gpointer             user_data)
{
  Figure *fig = user_data;

  switch (fig->kind)
    {
    case SA_EXPORT_PAIR:
      sa_figure_pair_draw (cr, style, width, height, &fig->pair);
      break;
    case SA_EXPORT_SLICES:
      sa_slices_draw (cr, style, &fig->pair.slices, width, height);
      break;
    case SA_EXPORT_TRACES:
      sa_traces_draw (cr, style, &fig->pair.traces, NULL, width, height);
      break;
    case SA_EXPORT_GLASS:
      sa_glass_figure_draw (cr, style, width, height, &fig->glass_fig);
      break;
    case SA_EXPORT_FRAMES:
      sa_frames_figure_draw (cr, style, width, height, &fig->frames_fig);
      break;
    case SA_EXPORT_FRAME:
      sa_frame_figure_draw (cr, style, width, height, &fig->frame_fig);
      break;
    case SA_EXPORT_HEATMAP:
    default:
      sa_heatmap_draw (cr, style, &fig->heatmap, width, height);
      break;
    }
}

/* The frame the movie pane shows at the cursor: the movie's, decoded at
 * its own size, so the figure has every pixel there is. */
static gboolean
load_cursor_frame (SaWorkbench  *wb,
                   Figure       *fig,
                   const char   *path,
                   GError      **error)
{
  const char *movie_path = sa_workbench_get_movie_path (wb);
  double t = sa_workbench_get_time (wb);

  if (movie_path != NULL)
    {
      g_autoptr(SaMovie) movie = sa_movie_open (movie_path, error);
      const SaMovieInfo *info;

      if (movie == NULL)
        return FALSE;
      info = sa_movie_get_info (movie);
      fig->frame_rgb = g_malloc ((gsize) info->width * info->height * 3);
      if (!sa_movie_frame_at (movie, t, info->width, info->height, SA_RESIZE_BILINEAR_AA,
                              fig->frame_rgb, NULL, error))
        return FALSE;
      fig->frame_fig.frame = (SaFrame) { fig->frame_rgb, info->width, info->height, info->width * 3,
                                         t, NULL };
    }
  else if (!sa_workbench_get_frame (wb, sa_workbench_get_tr_index (wb), &fig->frame_fig.frame))
    {
      sa_set_error (error, SA_ERROR_NOT_FOUND, path,
                    _("there is no movie frame to show: no movie goes with these results"));
      return FALSE;
    }
  fig->frame_caption = sa_frame_figure_caption (t, sa_workbench_get_tr_index (wb));
  fig->frame_fig.caption = fig->frame_caption;
  return TRUE;
}

gboolean
sa_export_figure (SaWorkbench          *wb,
                  const SaSliceParams  *slices,
                  const SaGlassParams  *glass,
                  SaExportKind          kind,
                  SaFigureFormat        format,
                  double                width_pt,
                  double                height_pt,
                  double                dpi,
                  const char           *path,
                  GError              **error)
{
  Figure fig = { .kind = kind };
  int fbn = sa_workbench_get_selected_fbn (wb);
  const SaPair *pair = sa_workbench_get_selected_pair (wb);
  const SaSliceVolume *anatomy = sa_workbench_get_anatomy (wb);
  gboolean ok;

  g_return_val_if_fail (SA_IS_WORKBENCH (wb), FALSE);

  if (kind == SA_EXPORT_FRAME)
    {
      ok = load_cursor_frame (wb, &fig, path, error) &&
           sa_figure_export (draw, &fig, format, width_pt, height_pt, dpi, path, error);
      figure_clear (&fig);
      return ok;
    }
  if (kind == SA_EXPORT_HEATMAP)
    {
      int rows = sa_workbench_get_n_fbns (wb), cols = sa_workbench_get_n_filters (wb);
      const float *r = sa_workbench_get_correlations (wb);

      if (r == NULL || rows == 0 || cols == 0)
        {
          sa_set_error (error, SA_ERROR_ARGUMENT, path, _("there is no correlation matrix to draw"));
          return FALSE;
        }
      fig.row_order = g_new (int, rows);
      fig.col_order = g_new (int, cols);
      sa_heatmap_sort_pairs (r, rows, cols, fig.row_order, fig.col_order);
      fig.heatmap = (SaHeatmapParams) { r, rows, cols, fig.row_order, fig.col_order, fbn,
                                        SA_COLORMAP_RDBU, 0 };
    }
  else
    {
      if (fbn < 0 || sa_workbench_get_fbn_course (wb, fbn) == NULL)
        {
          sa_set_error (error, SA_ERROR_ARGUMENT, path, _("no FBN is selected"));
          return FALSE;
        }
      if (anatomy == NULL && kind != SA_EXPORT_TRACES && kind != SA_EXPORT_FRAMES)
        {
          sa_set_error (error, SA_ERROR_ARGUMENT, path, _("there is no template to draw the map on"));
          return FALSE;
        }
      fig.fbn_label = sa_workbench_dup_fbn_label (wb, fbn);
      fig.filter_label = pair ? sa_workbench_dup_filter_label (wb, pair->filter) : NULL;
      fig.title = pair ? g_strdup_printf ("%s ↔ %s", fig.fbn_label, fig.filter_label)
                       : g_strdup (fig.fbn_label);
      fig.pair.title = fig.title;
      if (anatomy)
        {
          if (slices)
            fig.pair.slices = *slices;
          else
            sa_slice_params_init (&fig.pair.slices, anatomy);
          fig.pair.slices.anatomy = anatomy;
          fig.pair.slices.overlay = sa_workbench_get_map (wb, fbn, &fig.map) ? &fig.map : NULL;
          /* Figures show the whole brain, whatever the screen's zoom. */
          fig.pair.slices.zoom = 1.0;
          fig.pair.slices.pan[0] = fig.pair.slices.pan[1] = 0;
        }
      fig.pair.traces = (SaTraceParams) {
        .fbn = sa_workbench_get_fbn_course (wb, fbn),
        .filter = pair ? sa_workbench_get_filter_course (wb, pair->filter) : NULL,
        .n = sa_workbench_get_n_tr (wb),
        .tr = sa_workbench_get_tr (wb),
        .cursor = -1,
        .r = pair ? pair->r : NAN,
        .p = pair ? pair->p : NAN,
        .fbn_label = fig.fbn_label,
        .filter_label = fig.filter_label,
      };
      if (pair)
        {
          int top[N_TOP_FRAMES];
          int n = sa_workbench_top_frames (wb, pair->filter, N_TOP_FRAMES, top);

          for (int i = 0; i < n; i++)
            if (sa_workbench_get_frame (wb, top[i], &fig.frames[fig.pair.n_frames]))
              {
                fig.captions[i] = g_strdup_printf (_("TR %d"), top[i]);
                fig.frames[fig.pair.n_frames++].caption = fig.captions[i];
              }
          fig.pair.frames = fig.frames;
        }
    }

  if (kind == SA_EXPORT_FRAMES)
    {
      g_autofree char *title = NULL;

      if (pair == NULL || fig.pair.n_frames == 0)
        {
          sa_set_error (error, SA_ERROR_NOT_FOUND, path,
                        _("there are no movie frames to show (the dataset names no movie for this run)"));
          figure_clear (&fig);
          return FALSE;
        }
      title = g_strdup_printf (_("%s: top-activating frames"), fig.filter_label);
      g_free (fig.title);
      fig.title = g_steal_pointer (&title);
      fig.frames_fig = (SaFramesFigure) { fig.title, fig.frames, fig.pair.n_frames };
    }
  else if (kind == SA_EXPORT_GLASS)
    {
      double threshold = fig.pair.slices.threshold;

      fig.glass = sa_glass_new (fig.pair.slices.overlay, anatomy, threshold);
      if (glass)
        {
          fig.glass_fig.glass = fig.glass;
          fig.glass_fig.views[0] = *glass;
          fig.glass_fig.views[0].show_colorbar = FALSE;
          fig.glass_fig.n_views = 1;
        }
      else
        sa_glass_figure_init_classic (&fig.glass_fig, fig.glass, fig.pair.slices.colormap);
      fig.glass_fig.title = fig.fbn_label;
    }

  ok = sa_figure_export (draw, &fig, format, width_pt, height_pt, dpi, path, error);
  figure_clear (&fig);
  return ok;
}

static const char *const kind_names[SA_N_EXPORT_KINDS] = {
  "pair", "slices", "traces", "heatmap", "glass", "frames", "frame"
};

gboolean
sa_export_kind_parse (const char   *name,
                      SaExportKind *kind)
{
  g_return_val_if_fail (name != NULL && kind != NULL, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_ascii_strcasecmp (name, kind_names[i]) == 0)
      {
        *kind = (SaExportKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
sa_export_kind_name (SaExportKind kind)
{
  g_return_val_if_fail (kind < SA_N_EXPORT_KINDS, NULL);
  return kind_names[kind];
}

const char *
sa_export_kind_label (SaExportKind kind)
{
  switch (kind)
    {
    case SA_EXPORT_PAIR:
      return _("Pair figure (map, traces, frames)");
    case SA_EXPORT_SLICES:
      return _("Brain slices");
    case SA_EXPORT_TRACES:
      return _("Traces");
    case SA_EXPORT_HEATMAP:
      return _("Pairing heat map");
    case SA_EXPORT_GLASS:
      return _("Glass brain (3D view)");
    case SA_EXPORT_FRAMES:
      return _("Filter's top frames");
    case SA_EXPORT_FRAME:
      return _("Movie frame at the cursor");
    case SA_N_EXPORT_KINDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

double
sa_export_kind_height_mm (SaExportKind kind,
                          gboolean     with_frames)
{
  switch (kind)
    {
    case SA_EXPORT_PAIR:
      return with_frames ? 130 : 100;
    case SA_EXPORT_SLICES:
      return 62;
    case SA_EXPORT_GLASS:
      return 72;
    case SA_EXPORT_FRAMES:
      return 45;
    case SA_EXPORT_FRAME:
      /* A 4:3 frame 127 mm wide, or 16:9 at 170 mm, with its caption. */
      return 100;
    case SA_EXPORT_TRACES:
    case SA_EXPORT_HEATMAP:
    case SA_N_EXPORT_KINDS:
    default:
      return 70;
    }
}
