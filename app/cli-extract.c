#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "app/cli.h"
#include "app/progress-bar.h"
#include "compute/ann/extract.h"
#include "compute/error.h"

int
sa_cli_extract (int argc, char **argv)
{
  g_autofree char *model = NULL;
  g_autofree char *layer = NULL;
  g_autofree char *movie = NULL;
  g_autofree char *reduce = NULL;
  g_autofree char *size = NULL;
  g_autofree char *resize = NULL;
  g_autofree char *norm = NULL;
  g_autofree char *device = NULL;
  g_autofree char *out = NULL;
  g_autofree char *bids = NULL;
  double tr = 0, topk = 10;
  int n_tr = 0, batch = 16, threads = 0;
  GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &model, N_("TorchScript file or builtin:democnn"), N_("MODEL") },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &layer, N_("Dotted module name (see `syncact layers`)"), N_("LAYER") },
    { "movie", 0, 0, G_OPTION_ARG_FILENAME, &movie, N_("The movie shown during the run"), N_("FILE") },
    { "tr", 0, 0, G_OPTION_ARG_DOUBLE, &tr, N_("Repetition time in seconds"), N_("S") },
    { "n-tr", 0, 0, G_OPTION_ARG_INT, &n_tr, N_("Number of TRs (default: the movie's length)"), N_("N") },
    { "reduce", 0, 0, G_OPTION_ARG_STRING, &reduce, N_("max (default), mean or topk-mean"), N_("HOW") },
    { "topk", 0, 0, G_OPTION_ARG_DOUBLE, &topk, N_("Percentage of units for topk-mean (default 10)"), N_("PCT") },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, N_("Frame size fed to the model (default 256x180)"), N_("WxH") },
    { "resize", 0, 0, G_OPTION_ARG_STRING, &resize, N_("Resize method (default bilinear-aa)"), N_("METHOD") },
    { "normalize", 0, 0, G_OPTION_ARG_STRING, &norm, N_("imagenet (default), none or M,M,M/S,S,S"), N_("NORM") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, N_("cpu, cuda or cuda:N (default: the best available)"), N_("DEVICE") },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, N_("Frames per forward pass (default 16)"), N_("N") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, N_("libtorch intra-op threads"), N_("N") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("Output HDF5 file (reused when its settings match)"), N_("FILE.h5") },
    { "bids", 0, 0, G_OPTION_ARG_FILENAME, &bids, N_("Also write PREFIX_stim.tsv.gz and PREFIX_stim.json"), N_("PREFIX") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SaProgressBar) bar = NULL;
  g_autoptr(SaActivations) acts = NULL;
  SaExtractOptions opts;
  SaProgress progress = { 0 };
  gboolean reused = FALSE;

  if (!sa_cli_parse ("extract", NULL, entries, &argc, &argv))
    return 2;
  if (model == NULL || layer == NULL || movie == NULL || tr <= 0 || out == NULL)
    {
      fprintf (stderr, "syncact extract: %s\n",
               _("--model, --layer, --movie, --tr and --out are required"));
      return 2;
    }
  sa_extract_options_init (&opts);
  opts.model = model;
  opts.layer = layer;
  opts.movie = movie;
  opts.tr = tr;
  opts.n_tr = n_tr;
  opts.topk_percent = topk;
  opts.device = device;
  opts.batch_size = batch;
  opts.threads = threads;
  if ((reduce != NULL && !sa_reduce_parse (reduce, &opts.reduce, &error))
      || (size != NULL && !sa_cli_parse_size (size, &opts.width, &opts.height, &error))
      || (resize != NULL && !sa_resize_parse (resize, &opts.resize, &error))
      || (norm != NULL && !sa_normalize_parse (norm, &opts.norm, &error)))
    return sa_cli_fail ("extract", error);
  if (batch <= 0 || batch > 4096)
    {
      sa_set_error (&error, SA_ERROR_ARGUMENT, NULL, _("--batch must be between 1 and 4096"));
      return sa_cli_fail ("extract", error);
    }

  bar = sa_progress_bar_new (_("Extracting activations"));
  progress.func = sa_progress_bar_update;
  progress.user_data = bar;
  progress.start = 0;
  progress.span = 1;
  acts = sa_extract_cached (&opts, out, &reused, &progress, NULL, &error);
  sa_progress_bar_finish (bar, acts != NULL);
  if (acts == NULL)
    return sa_cli_fail ("extract", error);
  if (bids != NULL && !sa_activations_export_bids (acts, bids, &error))
    return sa_cli_fail ("extract", error);
  printf (reused ? _("%s: reused (%d TRs × %d filters, %s %s)\n")
                 : _("%s: %d TRs × %d filters (%s %s)\n"),
          out, acts->n_tr, acts->n_units, acts->layer, acts->reduce);
  return 0;
}
