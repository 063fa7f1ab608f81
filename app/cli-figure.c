/* syncact figure — a pane or the pair figure, drawn headless by render/
 *
 * Either from a dataset's derivatives (`figure DATASET`, with --run,
 * --model, --layer and --fbn-set choosing as the window's selectors do) or
 * from explicit files (--maps, --timeseries, --activations). Both load
 * through ui/results-loader, and draw with the window's own export code,
 * so the file matches the screen.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/cli.h"
#include "compute/error.h"
#include "ui/figure-export.h"
#include "ui/results-loader.h"

#define N_TOP 4

typedef struct {
  char  *maps, *timeseries, *activations, *pairs, *template_path, *movie, *out;
  char  *format, *kind, *run, *model, *layer, *fbn_set;
  int    fbn;
  double tr, width_mm, height_mm, dpi, threshold, time;
} FigureOptions;

static void
options_clear (FigureOptions *o)
{
  g_free (o->maps);
  g_free (o->timeseries);
  g_free (o->activations);
  g_free (o->pairs);
  g_free (o->template_path);
  g_free (o->movie);
  g_free (o->out);
  g_free (o->format);
  g_free (o->kind);
  g_free (o->run);
  g_free (o->model);
  g_free (o->layer);
  g_free (o->fbn_set);
}

/* The workbench of `figure DATASET`: the chosen combination, no frames yet
 * (only the figure's few are decoded). @movie gets the run's movie. */
static SaWorkbench *
load_dataset (const char          *root,
              FigureOptions       *o,
              SaResultsLoadFlags   flags,
              char               **movie,
              GError             **error)
{
  SaResultsChoice choice = { NULL, o->fbn_set, o->run, o->model, o->layer };
  g_autoptr(SaResults) results = NULL;

  if (o->template_path != NULL || o->tr > 0)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_ARGUMENT,
                   _("--template and --tr go with --maps/--timeseries/--activations, not a DATASET"));
      return NULL;
    }
  results = sa_results_open (root, &choice, flags, NULL, error);
  if (results == NULL)
    return NULL;
  if (o->movie == NULL)
    *movie = g_strdup (sa_workbench_get_movie_path (results->workbench));
  return g_steal_pointer (&results->workbench);
}

static SaWorkbench *
load_files (FigureOptions       *o,
            SaResultsLoadFlags   flags,
            GError             **error)
{
  g_autoptr(SaWorkbench) wb = NULL;

  if (o->maps == NULL || o->timeseries == NULL || o->activations == NULL)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_ARGUMENT,
                   _("give a DATASET, or --maps, --timeseries and --activations"));
      return NULL;
    }
  if (o->run || o->model || o->layer || o->fbn_set)
    {
      g_set_error (error, SA_ERROR, SA_ERROR_ARGUMENT,
                   _("--run, --model, --layer and --fbn-set choose among a DATASET's results"));
      return NULL;
    }
  wb = sa_workbench_new ();
  if (!sa_results_fill (wb, flags, o->maps, o->timeseries, o->activations, o->pairs, o->template_path,
                        o->tr, NULL, error))
    return NULL;
  return g_steal_pointer (&wb);
}

/* --kind frame: the cursor goes to --time, or where the window's click on
 * the paired filter's top frame puts it (the start of that TR). */
static gboolean
set_frame_time (SaWorkbench    *wb,
                FigureOptions  *o,
                const char     *movie,
                const char     *source,
                GError        **error)
{
  double t = 0, duration = sa_workbench_get_duration (wb);

  if (!isnan (o->time))
    {
      if (!(o->time >= 0 && o->time < duration))
        {
          sa_set_error (error, SA_ERROR_ARGUMENT, source, _("--time %g s is not in the run (0 to %g s)"),
                        o->time, duration);
          return FALSE;
        }
      t = o->time;
    }
  else if (o->fbn >= 1)
    {
      const SaPair *pair = sa_workbench_get_pair (wb, o->fbn - 1);
      int top;

      if (pair && sa_workbench_top_frames (wb, pair->filter, 1, &top) == 1)
        t = top * sa_workbench_get_tr (wb);
    }
  if (o->fbn >= 1)
    sa_workbench_set_selected_fbn (wb, o->fbn - 1);
  if (movie)
    sa_workbench_set_movie_path (wb, movie);
  sa_workbench_set_time (wb, t);
  return TRUE;
}

int
sa_cli_figure (int argc, char **argv)
{
  FigureOptions o = { .width_mm = 183, .dpi = 300, .threshold = 0.3, .time = NAN };
  GOptionEntry entries[] = {
    { "fbn", 0, 0, G_OPTION_ARG_INT, &o.fbn, N_("The FBN to draw, numbered from 1 (fbn-001)"), "I" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &o.out, N_("Output file"), "FILE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o.format, N_("png, svg or pdf (default: from the file name)"), "FORMAT" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &o.kind, N_("pair (default), slices, traces, heatmap, glass, frames or frame"), "KIND" },
    { "time", 0, 0, G_OPTION_ARG_DOUBLE, &o.time, N_("With --kind frame: the movie time in seconds (default: the paired filter's top TR, else 0)"), "S" },
    { "run", 0, 0, G_OPTION_ARG_STRING, &o.run, N_("With a DATASET: the run (e.g. task-movie_run-1)"), "KEY" },
    { "model", 0, 0, G_OPTION_ARG_STRING, &o.model, N_("With a DATASET: the model, as in the file names (e.g. democnn)"), "M" },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &o.layer, N_("With a DATASET: the layer, as in the file names (e.g. conv3)"), "L" },
    { "fbn-set", 0, 0, G_OPTION_ARG_STRING, &o.fbn_set, N_("With a DATASET: the FBN set (default FBN)"), "DESC" },
    { "maps", 0, 0, G_OPTION_ARG_FILENAME, &o.maps, N_("FBN spatial maps, one volume per FBN (4D NIfTI)"), "FILE" },
    { "timeseries", 0, 0, G_OPTION_ARG_FILENAME, &o.timeseries, N_("FBN time courses: TSV, one column per FBN"), "FILE" },
    { "activations", 0, 0, G_OPTION_ARG_FILENAME, &o.activations, N_("Filter activations: HDF5 with /activations [T × K]"), "FILE" },
    { "pairs", 0, 0, G_OPTION_ARG_FILENAME, &o.pairs, N_("Pairs table from syncact pair (default: each FBN's best filter)"), "FILE" },
    { "template", 0, 0, G_OPTION_ARG_FILENAME, &o.template_path, N_("Anatomy under the map (default: ch2better)"), "FILE" },
    { "movie", 0, 0, G_OPTION_ARG_FILENAME, &o.movie, N_("The movie, for the filter's top frames (default: the run's)"), "FILE" },
    { "tr", 0, 0, G_OPTION_ARG_DOUBLE, &o.tr, N_("Repetition time in seconds (default: the activations' tr attribute)"), "S" },
    { "width-mm", 0, 0, G_OPTION_ARG_DOUBLE, &o.width_mm, N_("Width in mm (default 183, a double column)"), "MM" },
    { "height-mm", 0, 0, G_OPTION_ARG_DOUBLE, &o.height_mm, N_("Height in mm (default: by kind)"), "MM" },
    { "dpi", 0, 0, G_OPTION_ARG_DOUBLE, &o.dpi, N_("Resolution of PNG output (default 300)"), "DPI" },
    { "threshold", 0, 0, G_OPTION_ARG_DOUBLE, &o.threshold, N_("Hide |loading| below this share of the map's peak (default 0.3)"), "F" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SaWorkbench) wb = NULL;
  g_autofree char *movie = NULL;
  SaFigureFormat format;
  SaExportKind kind = SA_EXPORT_PAIR;
  SaResultsLoadFlags flags;
  SaSliceParams params;
  const SaPair *pair;
  int status = 1;

  if (!sa_cli_parse ("figure", "[DATASET]", entries, &argc, &argv))
    {
      options_clear (&o);
      return 2;
    }
  if (o.kind && !sa_export_kind_parse (o.kind, &kind))
    {
      g_set_error (&error, SA_ERROR, SA_ERROR_ARGUMENT,
                   _("--kind %s: use pair, slices, traces, heatmap, glass, frames or frame"), o.kind);
      goto out;
    }
  /* A movie frame needs no FBN unless it picks the time. */
  if (argc > 2 || o.out == NULL || (o.fbn < 1 && !(kind == SA_EXPORT_FRAME && o.fbn == 0)))
    {
      g_set_error (&error, SA_ERROR, SA_ERROR_ARGUMENT,
                   _("usage: syncact figure [DATASET] --fbn I (from 1) --out FILE [--kind K] [--format F]"));
      goto out;
    }
  if (!sa_figure_format_parse (o.format ? o.format : o.out, &format))
    {
      sa_set_error (&error, SA_ERROR_ARGUMENT, o.out, _("cannot tell the format: use --format png, svg or pdf"));
      goto out;
    }
  if (!isnan (o.time) && kind != SA_EXPORT_FRAME)
    {
      g_set_error (&error, SA_ERROR, SA_ERROR_ARGUMENT, _("--time goes with --kind frame"));
      goto out;
    }

  /* The template (a 141 MB float volume for ch2better) only where a map
   * is drawn on it. */
  flags = kind == SA_EXPORT_TRACES || kind == SA_EXPORT_HEATMAP || kind == SA_EXPORT_FRAMES ||
          kind == SA_EXPORT_FRAME
          ? SA_RESULTS_LOAD_NO_ANATOMY : SA_RESULTS_LOAD_DEFAULT;
  if (argc == 2)
    wb = load_dataset (argv[1], &o, flags, &movie, &error);
  else
    wb = load_files (&o, flags, &error);
  if (wb == NULL)
    goto out;
  if (o.movie)
    movie = g_strdup (o.movie);
  if (o.fbn > sa_workbench_get_n_fbns (wb))
    {
      sa_set_error (&error, SA_ERROR_ARGUMENT, argc == 2 ? argv[1] : o.timeseries,
                    _("has %d FBNs; --fbn %d is not one of them"), sa_workbench_get_n_fbns (wb), o.fbn);
      goto out;
    }
  if (kind == SA_EXPORT_FRAME)
    {
      if (!set_frame_time (wb, &o, movie, argc == 2 ? argv[1] : o.activations, &error))
        goto out;
      if (o.height_mm <= 0)
        o.height_mm = sa_export_kind_height_mm (kind, TRUE);
      if (sa_export_figure (wb, NULL, NULL, kind, format, o.width_mm / 25.4 * 72,
                            o.height_mm / 25.4 * 72, o.dpi, o.out, &error))
        status = 0;
      goto out;
    }
  sa_workbench_set_selected_fbn (wb, o.fbn - 1);
  pair = sa_workbench_get_pair (wb, o.fbn - 1);
  if (movie && pair && (kind == SA_EXPORT_PAIR || kind == SA_EXPORT_FRAMES) &&
      !sa_results_load_top_frames (wb, movie, pair->filter, N_TOP, &error))
    goto out;

  /* As the window lands on an FBN: crosshair on its peak, threshold a share
   * of that peak. */
  {
    const SaSliceVolume *anat = sa_workbench_get_anatomy (wb);
    SaSliceVolume map;
    double peak = 0;

    if (anat != NULL)
      sa_slice_params_init (&params, anat);
    else
      memset (&params, 0, sizeof params);
    sa_workbench_get_map_peak (wb, o.fbn - 1, params.cursor);
    if (sa_workbench_get_map (wb, o.fbn - 1, &map))
      for (gsize i = 0; i < (gsize) map.nx * map.ny * map.nz; i++)
        peak = MAX (peak, fabs (map.data[i]));
    params.threshold = o.threshold * peak;
  }
  if (o.height_mm <= 0)
    o.height_mm = sa_export_kind_height_mm (kind, movie != NULL);
  if (sa_export_figure (wb, params.anatomy ? &params : NULL, NULL, kind, format, o.width_mm / 25.4 * 72,
                        o.height_mm / 25.4 * 72, o.dpi, o.out, &error))
    status = 0;

out:
  options_clear (&o);
  return status == 0 ? 0 : sa_cli_fail ("figure", error);
}
