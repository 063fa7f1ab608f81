/* syncact figure — a pane or the pair figure, drawn headless by render/
 *
 * Reads the results as files (the FBN maps, their time courses, the filter
 * activations), pairs by argmax r as `syncact pair` does (FBN → filter) and
 * draws with the window's own export code, so the file matches the screen.
 * Reading them from a dataset's derivatives folder is for the data layer to
 * add in front of this.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "app/cli.h"
#include "compute/error.h"
#include "compute/io/h5-matrix.h"
#include "compute/io/movie.h"
#include "compute/io/nifti.h"
#include "compute/io/tsv.h"
#include "compute/sync/correlate.h"
#include "compute/sync/stats.h"
#include "ui/figure-export.h"

#define N_TOP 4

/* T × n table → n × T rows (FBN-major). */
static double *
transpose (const double *v,
           int           rows,
           int           cols)
{
  double *out = g_new (double, (gsize) rows * cols);

  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      out[(gsize) c * rows + r] = v[(gsize) r * cols + c];
  return out;
}

static float *
to_float (const double *v,
          gsize         n)
{
  float *out = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    out[i] = (float) v[i];
  return out;
}

/* Only the frames the figure shows are decoded; the rest stay black. */
static gboolean
load_frames (SaWorkbench  *wb,
             const char   *path,
             int           filter,
             GError      **error)
{
  g_autoptr(SaMovie) movie = sa_movie_open (path, error);
  const SaMovieInfo *info;
  int n_tr = sa_workbench_get_n_tr (wb), top[N_TOP], n, w = 256, h;
  double tr = sa_workbench_get_tr (wb);
  g_autofree guint8 *frames = NULL;

  if (movie == NULL)
    return FALSE;
  info = sa_movie_get_info (movie);
  h = MAX ((int) lround (w * (double) info->height / MAX (info->width, 1)), 1);
  frames = g_malloc0 ((gsize) w * h * 3 * n_tr);
  n = sa_workbench_top_frames (wb, filter, N_TOP, top);
  for (int i = 0; i < n; i++)
    {
      /* The frame shown at the end of the TR, as the activations used. */
      gint64 index = sa_movie_frame_for_tr (movie, top[i], tr);
      double t = info->fps > 0 ? (index + 0.5) / info->fps : (top[i] + 1) * tr;

      if (!sa_movie_frame_at (movie, t, w, h, SA_RESIZE_BILINEAR_AA,
                              frames + (gsize) top[i] * w * h * 3, NULL, error))
        return FALSE;
    }
  sa_workbench_set_frames (wb, w, h, n_tr, frames);
  return TRUE;
}

int
sa_cli_figure (int argc, char **argv)
{
  g_autofree char *maps_path = NULL, *fbn_path = NULL, *acts_path = NULL;
  g_autofree char *template_path = NULL, *movie_path = NULL, *out = NULL;
  g_autofree char *format_name = NULL, *kind_name = NULL;
  int fbn = 0;
  double tr = 0, width_mm = 183, height_mm = 0, dpi = 300, threshold = 0.3;
  GOptionEntry entries[] = {
    { "maps", 0, 0, G_OPTION_ARG_FILENAME, &maps_path, N_("FBN spatial maps, one volume per FBN (4D NIfTI)"), "FILE" },
    { "timeseries", 0, 0, G_OPTION_ARG_FILENAME, &fbn_path, N_("FBN time courses: TSV, one column per FBN"), "FILE" },
    { "activations", 0, 0, G_OPTION_ARG_FILENAME, &acts_path, N_("Filter activations: HDF5 with /activations [T × K]"), "FILE" },
    { "fbn", 0, 0, G_OPTION_ARG_INT, &fbn, N_("The FBN to draw, numbered from 1 (fbn-001)"), "I" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("Output file"), "FILE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, N_("png, svg or pdf (default: from the file name)"), "FORMAT" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_name, N_("pair (default), slices, traces or heatmap"), "KIND" },
    { "template", 0, 0, G_OPTION_ARG_FILENAME, &template_path, N_("Anatomy under the map (default: ch2better)"), "FILE" },
    { "movie", 0, 0, G_OPTION_ARG_FILENAME, &movie_path, N_("The movie, for the filter's top frames"), "FILE" },
    { "tr", 0, 0, G_OPTION_ARG_DOUBLE, &tr, N_("Repetition time in seconds (default: the activations' tr attribute)"), "S" },
    { "width-mm", 0, 0, G_OPTION_ARG_DOUBLE, &width_mm, N_("Width in mm (default 183, a double column)"), "MM" },
    { "height-mm", 0, 0, G_OPTION_ARG_DOUBLE, &height_mm, N_("Height in mm (default: by kind)"), "MM" },
    { "dpi", 0, 0, G_OPTION_ARG_DOUBLE, &dpi, N_("Resolution of PNG output (default 300)"), "DPI" },
    { "threshold", 0, 0, G_OPTION_ARG_DOUBLE, &threshold, N_("Hide |loading| below this share of the map's peak (default 0.3)"), "F" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SaVolume) maps = NULL, anatomy = NULL;
  g_autoptr(SaCorrelation) corr = NULL;
  g_autoptr(SaWorkbench) wb = NULL;
  g_auto(GStrv) fbn_names = NULL;
  g_autofree double *fbn_v = NULL, *acts_v = NULL, *fbn_rows = NULL, *acts_rows = NULL;
  g_autofree float *fbn_f = NULL, *acts_f = NULL, *r = NULL;
  g_autofree SaPair *pairs = NULL;
  SaFigureFormat format;
  SaExportKind kind = SA_EXPORT_PAIR;
  SaSliceParams params;
  int n_tr, m, a_tr, k;

  if (!sa_cli_parse ("figure", NULL, entries, &argc, &argv))
    return 2;
  if (maps_path == NULL || fbn_path == NULL || acts_path == NULL || out == NULL || fbn < 1)
    {
      g_set_error (&error, SA_ERROR, SA_ERROR_ARGUMENT,
                   "--maps, --timeseries, --activations, --fbn I (from 1) and --out are required");
      return sa_cli_fail ("figure", error);
    }
  if (!sa_figure_format_parse (format_name ? format_name : out, &format))
    {
      sa_set_error (&error, SA_ERROR_ARGUMENT, out,
                    _("cannot tell the format: use --format png, svg or pdf"));
      return sa_cli_fail ("figure", error);
    }
  if (kind_name && !sa_export_kind_parse (kind_name, &kind))
    {
      g_set_error (&error, SA_ERROR, SA_ERROR_ARGUMENT,
                   "--kind %s: use pair, slices, traces or heatmap", kind_name);
      return sa_cli_fail ("figure", error);
    }

  /* Time courses: one row per TR in both files. */
  if (!sa_tsv_read_matrix (fbn_path, &fbn_names, &n_tr, &m, &fbn_v, &error) ||
      !sa_h5_read_matrix (acts_path, "/activations", &a_tr, &k, &acts_v, &error))
    return sa_cli_fail ("figure", error);
  if (tr <= 0)
    {
      g_autofree char *attr = sa_h5_read_string_attr (acts_path, "/activations", "tr");
      tr = attr ? g_ascii_strtod (attr, NULL) : 0;
    }
  if (!(tr > 0))
    {
      sa_set_error (&error, SA_ERROR_ARGUMENT, acts_path, _("no tr attribute: pass --tr S"));
      return sa_cli_fail ("figure", error);
    }
  if (fbn > m)
    {
      sa_set_error (&error, SA_ERROR_ARGUMENT, fbn_path, _("has %d FBNs; --fbn %d is not one of them"), m, fbn);
      return sa_cli_fail ("figure", error);
    }
  fbn_rows = transpose (fbn_v, n_tr, m);
  acts_rows = transpose (acts_v, a_tr, k);
  corr = sa_correlation_compute (fbn_rows, m, n_tr, fbn_path, acts_rows, k, a_tr, acts_path, &error);
  if (corr == NULL)
    return sa_cli_fail ("figure", error);

  /* Each FBN's best filter (largest r), with the parametric p the paper
   * reports; `syncact pair` gives the family-wise one. */
  r = to_float (corr->r, (gsize) m * k);
  pairs = g_new0 (SaPair, m);
  for (int i = 0; i < m; i++)
    {
      int best = -1;

      for (int j = 0; j < k; j++)
        if (corr->filter_valid[j] && (best < 0 || corr->r[(gsize) i * k + j] > corr->r[(gsize) i * k + best]))
          best = j;
      pairs[i] = (SaPair) { i, MAX (best, 0), corr->r[(gsize) i * k + MAX (best, 0)], NAN, NAN, FALSE };
      pairs[i].p = sa_pearson_p (pairs[i].r, n_tr);
      pairs[i].significant = pairs[i].p < 0.05;
    }

  maps = sa_volume_load (maps_path, NULL, NULL, &error);
  if (maps == NULL)
    return sa_cli_fail ("figure", error);
  if (maps->nt != m)
    {
      sa_set_error (&error, SA_ERROR_MISMATCH, maps_path, _("has %d volumes but %s has %d FBN columns"),
                    maps->nt, fbn_path, m);
      return sa_cli_fail ("figure", error);
    }
  if (template_path == NULL)
    template_path = g_build_filename (MRICRON_TEMPLATES, "ch2better.nii.gz", NULL);
  anatomy = sa_volume_load (template_path, NULL, NULL, &error);
  if (anatomy == NULL)
    return sa_cli_fail ("figure", error);

  wb = sa_workbench_new ();
  fbn_f = to_float (fbn_rows, (gsize) m * n_tr);
  acts_f = to_float (acts_rows, (gsize) k * a_tr);
  sa_workbench_set_anatomy (wb, anatomy->nx, anatomy->ny, anatomy->nz, anatomy->data,
                            (const double (*)[4]) anatomy->affine);
  sa_workbench_set_time_courses (wb, tr, n_tr, m, fbn_f, k, acts_f);
  sa_workbench_set_maps (wb, maps->nx, maps->ny, maps->nz, m, maps->data,
                         (const double (*)[4]) maps->affine);
  sa_workbench_set_correlations (wb, r);
  sa_workbench_set_pairs (wb, pairs, m);
  sa_workbench_set_selected_fbn (wb, fbn - 1);
  if (movie_path && !load_frames (wb, movie_path, pairs[fbn - 1].filter, &error))
    return sa_cli_fail ("figure", error);

  /* As the window lands on an FBN: crosshair on its peak, threshold a share
   * of that peak. */
  {
    const SaSliceVolume *anat = sa_workbench_get_anatomy (wb);
    SaSliceVolume map;
    double peak = 0;

    sa_slice_params_init (&params, anat);
    sa_workbench_get_map_peak (wb, fbn - 1, params.cursor);
    if (sa_workbench_get_map (wb, fbn - 1, &map))
      for (gsize i = 0; i < (gsize) map.nx * map.ny * map.nz; i++)
        peak = MAX (peak, fabs (map.data[i]));
    params.threshold = threshold * peak;
  }
  if (height_mm <= 0)
    height_mm = kind == SA_EXPORT_PAIR ? (movie_path ? 130 : 100) : kind == SA_EXPORT_SLICES ? 62 : 70;
  if (!sa_export_figure (wb, &params, kind, format, width_mm / 25.4 * 72, height_mm / 25.4 * 72,
                         dpi, out, &error))
    return sa_cli_fail ("figure", error);
  return 0;
}
