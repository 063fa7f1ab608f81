/* syncact run / syncact pair DATASET: the whole pipeline over a BIDS dataset.
 *
 * Each step's output is a file in the derivatives folder and the unit of work
 * (DESIGN §6): a step whose output is still valid for the same inputs and
 * parameters is reused, so a re-run, or a run after a cluster job array did
 * part of the work, only does what is missing or changed. The steps are the
 * `train`, `extract` and `pair` commands themselves, so their outputs are the
 * same whichever way a user gets them. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/cli-run.h"
#include "app/cli.h"
#include "app/progress-bar.h"
#include "compute/annotate/atlas.h"
#include "compute/error.h"

static void
run_options_clear (RunOptions *o)
{
  g_free (o->model);
  g_strfreev (o->layers);
  g_free (o->arch);
  g_free (o->rotate);
  g_free (o->maps);
  g_free (o->out);
  g_free (o->device);
  g_free (o->mask);
  g_free (o->reduce);
  g_free (o->size);
  g_free (o->null_name);
  g_free (o->labels);
  g_free (o->fbn_labels);
  g_free (o->direction);
  g_free (o->atlas_dir);
  g_free (o->scores);
}

static char *
task_prefix (SaBidsDataset *dataset)
{
  const char *task = NULL;

  for (guint i = 0; i < dataset->runs->len; i++)
    {
      SaBidsRun *run = g_ptr_array_index (dataset->runs, i);

      if (task != NULL && g_strcmp0 (task, run->task) != 0)
        return g_strdup ("group");
      task = run->task;
    }
  return task != NULL ? g_strdup_printf ("task-%s", task) : g_strdup ("group");
}

/* Ctrl+C: every output is written under a temporary name and renamed when
 * complete, so what is there is whole; say so and stop. Only
 * async-signal-safe calls here. */
static gboolean on_interrupt_tty;
static const char *on_interrupt_text;

static void
on_interrupt (int sig)
{
  static const char clear[] = "\r\033[K";

  if (on_interrupt_tty)
    (void) write (STDERR_FILENO, clear, sizeof clear - 1);
  (void) write (STDERR_FILENO, on_interrupt_text, strlen (on_interrupt_text));
  _exit (128 + sig);
}

/* Moves the bar to the start of step @i's share and hands the share to
 * the bars the step makes. */
static void
start_step (SaProgressBar *bar,
            const double  *weights,
            int            i,
            const char    *label)
{
  double from = 0;

  for (int j = 0; j < i; j++)
    from += weights[j];
  fflush (stdout);
  sa_progress_bar_host (bar, from, MIN (from + weights[i], 1.0), label);
  /* What the step prints comes on a line of its own; its bars redraw. */
  sa_progress_bar_clear (bar);
}

static int
pipeline_fail (SaProgressBar *bar,
               const char    *name,
               GError        *error)
{
  sa_progress_bar_host (NULL, 0, 0, NULL);
  sa_progress_bar_finish (bar, FALSE);
  return sa_cli_fail (name, error);
}

static int
pipeline (RunOptions *o,
          int         argc,
          char      **argv,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SaBidsDataset) dataset = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *model_value = NULL;
  g_autofree char *label = NULL;
  g_autofree double *weights = NULL;
  g_autoptr(SaProgressBar) bar = NULL;
  int step = 0, n_steps, w = 0, n_weights;

  if (argc != 2)
    {
      fprintf (stderr, "syncact %s: %s\n", name, _("give one dataset folder"));
      return 2;
    }
  if (o->model == NULL || o->layers == NULL || o->layers[0] == NULL)
    {
      fprintf (stderr, "syncact %s: %s\n", name, _("--model and --layer are required"));
      return 2;
    }
  if (o->fbns < 1 || o->epochs < 1 || o->seed < 0 || o->surrogates < 1
      || !(o->alpha > 0 && o->alpha < 1))
    {
      fprintf (stderr, "syncact %s: %s\n", name,
               _("--fbns, --epochs and --surrogates must be ≥ 1, --seed ≥ 0, --alpha in (0, 1)"));
      return 2;
    }
  dataset = sa_bids_open (argv[1], &error);
  if (dataset == NULL)
    return sa_cli_fail (name, error);
  for (guint i = 0; i < dataset->warnings->len; i++)
    fprintf (stderr, _("syncact %s: warning: %s\n"), name,
             (char *) g_ptr_array_index (dataset->warnings, i));
  if (o->out == NULL)
    o->out = sa_bids_derivatives_dir (dataset);
  if (g_mkdir_with_parents (o->out, 0755) != 0)
    {
      sa_set_error (&error, SA_ERROR_IO, o->out, _("cannot create the output folder"));
      return sa_cli_fail (name, error);
    }
  prefix = task_prefix (dataset);
  model_value = sa_run_entity_value (o->model, TRUE);
  n_steps = 1 + (int) (dataset->run_keys->len * g_strv_length (o->layers));
  weights = sa_run_plan (o, dataset, prefix, model_value, &n_weights);
  /* The title stays untranslated: the GUI reads "run: 40%" lines. */
  bar = sa_progress_bar_new (name);
  on_interrupt_tty = isatty (fileno (stderr));
  on_interrupt_text = _("syncact run: interrupted; finished steps are kept, and the same command "
                        "goes on from them\n");
  signal (SIGINT, on_interrupt);
  signal (SIGTERM, on_interrupt);

  label = g_strdup_printf (_("[%d/%d] embedding"), ++step, n_steps);
  printf ("%s\n", label);
  start_step (bar, weights, w++, label);
  if (!sa_run_step_train (o, dataset, prefix, &error))
    return pipeline_fail (bar, name, error);
  start_step (bar, weights, w++, label);
  sa_run_step_annotate (o, prefix, name);

  for (guint k = 0; k < dataset->run_keys->len; k++)
    {
      const char *run_key = g_ptr_array_index (dataset->run_keys, k);
      SaBidsRun *run = sa_run_movie_run (dataset, run_key, &error);

      if (run == NULL)
        return pipeline_fail (bar, name, error);
      for (int l = 0; o->layers[l] != NULL; l++)
        {
          g_autofree char *pairs_prefix = sa_run_pairs_prefix (run_key, model_value, o->layers[l]);
          g_autofree char *h5 = g_strdup_printf ("%s/%s_desc-activations_stim.h5", o->out,
                                                 pairs_prefix);
          g_autoptr(SaActivations) acts = NULL;
          g_autofree char *head = NULL;
          int first_tr = 0;

          head = g_strdup_printf (_("[%d/%d] %s, %s %s"), ++step, n_steps, run_key, o->model,
                                  o->layers[l]);
          sa_progress_bar_clear (bar);
          printf ("%s\n", head);
          g_free (label);
          label = g_strdup_printf ("[%d/%d] %s %s", step, n_steps, run_key, o->layers[l]);
          start_step (bar, weights, w++, label);
          if (!sa_run_step_extract (o, run, o->layers[l], h5, &first_tr, &acts, &error))
            return pipeline_fail (bar, name, error);
          start_step (bar, weights, w++, label);
          if (!sa_run_step_pair (o, dataset, run_key, o->layers[l], h5, pairs_prefix, first_tr,
                                 &error))
            return pipeline_fail (bar, name, error);
          start_step (bar, weights, w++, label);
          if (!sa_run_step_cross (o, run, run_key, pairs_prefix, acts, &error))
            return pipeline_fail (bar, name, error);
        }
    }
  g_assert (w == n_weights);
  fflush (stdout);
  sa_progress_bar_host (NULL, 0, 0, NULL);
  sa_progress_bar_update (1.0, NULL, bar);
  sa_progress_bar_finish (bar, TRUE);
  printf (_("summary: %s/summary.tsv\n"), o->out);
  return 0;
}

static int
run_command (const char *name,
             gboolean    train,
             int         argc,
             char      **argv)
{
  RunOptions o = { 0, };
  int status;

  o.train = train;
  o.fbns = 64;
  o.epochs = 100;
  o.surrogates = 1000;
  o.alpha = 0.05;
  {
    GOptionEntry entries[] = {
      { "model", 0, 0, G_OPTION_ARG_FILENAME, &o.model, N_("TorchScript file or builtin:democnn"), N_("MODEL") },
      { "layer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.layers, N_("Dotted module name (repeat for several)"), N_("LAYER") },
      { "fbns", 0, 0, G_OPTION_ARG_INT, &o.fbns, N_("Number of FBNs (default 64)"), "M" },
      { "arch", 0, 0, G_OPTION_ARG_STRING, &o.arch, N_("Embedding, as train takes it: lt, lstm, msa or ica (default msa)"), "ARCH" },
      { "rotate", 0, 0, G_OPTION_ARG_STRING, &o.rotate, N_("Rotate a trained embedding's maps: ica"), N_("HOW") },
      { "maps", 0, 0, G_OPTION_ARG_FILENAME, &o.maps, N_("Use these FBN maps (4D NIfTI) instead of training"), "FILE" },
      { "epochs", 0, 0, G_OPTION_ARG_INT, &o.epochs, N_("Training epochs (default 100)"), "E" },
      { "window", 0, 0, G_OPTION_ARG_INT, &o.window, N_("TRs per training window (default: the shortest run)"), "T" },
      { "seed", 0, 0, G_OPTION_ARG_INT64, &o.seed, N_("Seed for training and surrogates (default 0)"), "K" },
      { "device", 0, 0, G_OPTION_ARG_STRING, &o.device, N_("cpu, cuda or auto (default auto)"), "DEV" },
      { "mask", 0, 0, G_OPTION_ARG_FILENAME, &o.mask, N_("Brain mask on the data's grid"), "FILE" },
      { "reduce", 0, 0, G_OPTION_ARG_STRING, &o.reduce, N_("max (default), mean or topk-mean"), N_("HOW") },
      { "size", 0, 0, G_OPTION_ARG_STRING, &o.size, N_("Frame size fed to the model (default 256x180)"), N_("WxH") },
      { "null", 0, 0, G_OPTION_ARG_STRING, &o.null_name, N_("Surrogate null: shift (default), phase or none"), N_("KIND") },
      { "surrogates", 0, 0, G_OPTION_ARG_INT, &o.surrogates, N_("Number of surrogates (default 1000)"), N_("N") },
      { "alpha", 0, 0, G_OPTION_ARG_DOUBLE, &o.alpha, N_("Significance level (default 0.05)"), N_("A") },
      { "direction", 0, 0, G_OPTION_ARG_STRING, &o.direction, N_("fbn2filter, filter2fbn or both (default)"), N_("DIR") },
      { "labels", 0, 0, G_OPTION_ARG_FILENAME, &o.labels, N_("Filter labels (CSV: filter or unit, label)"), N_("FILTERS.csv") },
      { "fbn-labels", 0, 0, G_OPTION_ARG_FILENAME, &o.fbn_labels, N_("FBN labels (TSV: fbn, label)"), N_("FBNS.tsv") },
      { "scores", 0, 0, G_OPTION_ARG_FILENAME, &o.scores, N_("Per-model scores (TSV: model, score): mean r against them over summary.tsv"), N_("SCORES.tsv") },
      { "atlases", 0, 0, G_OPTION_ARG_FILENAME, &o.atlas_dir, "Folder of the atlases (default " SA_ATLAS_DIR ")", "DIR" },
      { "out", 0, 0, G_OPTION_ARG_FILENAME, &o.out, N_("Output folder (default DATASET/derivatives/syncact)"), "DIR" },
      { NULL }
    };

    if (!sa_cli_parse (name, _("DATASET"), entries, &argc, &argv))
      {
        run_options_clear (&o);
        return 2;
      }
  }
  status = pipeline (&o, argc, argv, name);
  run_options_clear (&o);
  return status;
}

int
sa_cli_pipeline (int argc, char **argv)
{
  return run_command ("run", TRUE, argc, argv);
}

int
sa_cli_pair_dataset (int argc, char **argv)
{
  return run_command ("pair", FALSE, argc, argv);
}
