/* syncact train: Sync-ACT's fMRI embedding on a BIDS dataset */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "app/cli.h"
#include "app/cli-train-fbn.h"
#include "app/progress-bar.h"
#include "compute/embed/outputs.h"
#include "compute/embed/source-dataset.h"
#include "compute/embed/train.h"
#include "compute/error.h"
#include "compute/io/bids.h"
#include "compute/io/dataset-mask.h"

static char **
split_list (const char *list)
{
  return list != NULL ? g_strsplit (list, ",", -1) : NULL;
}

/* "task-movie" when every run shares the task, "group" otherwise. */
static char *
output_prefix (SaBidsDataset *dataset)
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

static char *
command_line (int argc, char **argv)
{
  g_autoptr(GString) s = g_string_new ("syncact train");

  for (int i = 1; i < argc; i++)
    {
      g_autofree char *quoted = g_shell_quote (argv[i]);

      g_string_append_c (s, ' ');
      g_string_append (s, quoted);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

int
sa_cli_train (int argc, char **argv)
{
  SaEmbedOptions options;
  g_autofree char *arch = NULL;
  g_autofree char *rotate = NULL;
  g_autofree char *maps = NULL;
  SaFbnChoice fbn_choice;
  g_autofree char *out_dir = NULL;
  g_autofree char *mask_path = NULL;
  g_autofree char *device = NULL;
  g_autofree char *train_list = NULL, *val_list = NULL, *test_list = NULL;
  g_auto(GStrv) train = NULL, val = NULL, test = NULL;
  gint64 seed = 0;
  gboolean resume = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaBidsDataset) dataset = NULL;
  g_autoptr(SaMask) mask = NULL;
  g_autoptr(SaEmbedSource) source = NULL;
  g_autoptr(SaEmbedResult) result = NULL;
  g_autoptr(SaProgressBar) bar = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *checkpoint = NULL;
  g_autofree char *components = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *recorded = command_line (argc, argv);
  SaEmbedOutputs outputs = { 0 };
  SaProgress progress;

  sa_embed_options_init (&options);
  GOptionEntry entries[] = {
    { "fbns", 0, 0, G_OPTION_ARG_INT, &options.m, N_("Number of FBNs (default 64)"), "M" },
    { "arch", 0, 0, G_OPTION_ARG_STRING, &arch, N_("Temporal module: lt, lstm or msa (default msa); ica: spatial group ICA"), "ARCH" },
    { "rotate", 0, 0, G_OPTION_ARG_STRING, &rotate, N_("ica: rotate the learned FBN maps to spatial independence (default none)"), "ROT" },
    { "maps", 0, 0, G_OPTION_ARG_FILENAME, &maps, N_("FBN maps to use (4D NIfTI on the data's grid), time courses by dual regression"), "FILE" },
    { "heads", 0, 0, G_OPTION_ARG_INT, &options.heads, N_("Attention heads for msa (default 4)"), "H" },
    { "epochs", 0, 0, G_OPTION_ARG_INT, &options.epochs, N_("Training epochs (default 100)"), "E" },
    { "window", 0, 0, G_OPTION_ARG_INT, &options.window, N_("TRs per training window (default: the shortest run)"), "T" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &options.batch, N_("Windows per batch (default 16)"), "B" },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &options.lr, N_("Adam learning rate (default 0.01)"), "X" },
    { "l1", 0, 0, G_OPTION_ARG_DOUBLE, &options.l1, N_("L1 penalty on the FBN maps (default 0: off)"), "W" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed for the split, the shuffles and the weights (default 0)"), "K" },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, N_("cpu, cuda, cuda:N or auto (default auto: the first GPU when libtorch has one)"), "DEV" },
    { "mask", 0, 0, G_OPTION_ARG_FILENAME, &mask_path, N_("Brain mask on the data's grid"), "FILE" },
    { "train", 0, 0, G_OPTION_ARG_STRING, &train_list, N_("Training subjects, comma separated (with --val and --test)"), "IDS" },
    { "val", 0, 0, G_OPTION_ARG_STRING, &val_list, N_("Validation subjects"), "IDS" },
    { "test", 0, 0, G_OPTION_ARG_STRING, &test_list, N_("Test subjects"), "IDS" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_dir, N_("Output folder (default DATASET/derivatives/syncact)"), "DIR" },
    { "resume", 0, 0, G_OPTION_ARG_NONE, &resume, N_("Continue from the last checkpoint in the output folder"), NULL },
    { NULL }
  };

  if (!sa_cli_parse ("train", _("DATASET"), entries, &argc, &argv))
    return 2;
  if (argc != 2)
    {
      fprintf (stderr, "syncact train: %s\n", _("give one dataset folder"));
      return 2;
    }
  if (!sa_cli_train_fbn_choice (arch, rotate, maps, &fbn_choice, &error))
    return sa_cli_fail ("train", error);
  if (arch != NULL && fbn_choice.method != SA_FBN_METHOD_GROUP_ICA
      && !sa_embed_arch_parse (arch, &options.arch))
    {
      sa_set_error (&error, SA_ERROR_ARGUMENT, NULL,
                    _("unknown architecture \"%s\" (lt, lstm, msa or ica)"), arch);
      return sa_cli_fail ("train", error);
    }
  if (seed < 0)
    {
      sa_set_error (&error, SA_ERROR_ARGUMENT, NULL, _("the seed must not be negative"));
      return sa_cli_fail ("train", error);
    }
  if ((train_list != NULL) != (test_list != NULL) || (train_list != NULL) != (val_list != NULL))
    {
      sa_set_error (&error, SA_ERROR_ARGUMENT, NULL,
                    _("--train, --val and --test go together"));
      return sa_cli_fail ("train", error);
    }
  options.seed = (guint64) seed;
  options.device = device;
  train = split_list (train_list);
  val = split_list (val_list);
  test = split_list (test_list);
  options.train_subjects = (const char *const *) train;
  options.val_subjects = (const char *const *) val;
  options.test_subjects = (const char *const *) test;

  dataset = sa_bids_open (argv[1], &error);
  if (dataset == NULL)
    return sa_cli_fail ("train", error);
  if (out_dir == NULL)
    out_dir = sa_bids_derivatives_dir (dataset);
  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      sa_set_error (&error, SA_ERROR_IO, out_dir, _("cannot create the output folder"));
      return sa_cli_fail ("train", error);
    }
  mask = sa_mask_open_for_dataset (dataset, mask_path, &error);
  if (mask == NULL)
    return sa_cli_fail ("train", error);

  bar = sa_progress_bar_new (_("train"));
  progress = (SaProgress) { sa_progress_bar_update, bar, 0.0, 0.1 };
  cache_dir = sa_bids_cache_dir (dataset);
  source = sa_embed_source_new_for_dataset (dataset, mask, cache_dir, &progress, NULL, &error);
  if (source == NULL)
    {
      sa_progress_bar_finish (bar, FALSE);
      return sa_cli_fail ("train", error);
    }

  prefix = output_prefix (dataset);
  checkpoint = g_strdup_printf ("%s/%s_desc-FBN_checkpoint.bin", out_dir, prefix);
  options.checkpoint = checkpoint;
  options.resume = resume;
  if (sa_cli_train_fbn_wanted (&fbn_choice))
    {
      SaEmbedOutputs fbn_outputs = { .out_dir = out_dir, .prefix = prefix, .options = &options,
                                     .dataset = dataset->root, .command_line = recorded,
                                     .tr = dataset->tr };

      return sa_cli_train_fbn (source, &options, &fbn_choice, mask, &fbn_outputs, bar);
    }
  progress = (SaProgress) { sa_progress_bar_update, bar, 0.1, 0.9 };
  result = sa_embed_train (source, &options, &progress, NULL, &error);
  if (result == NULL)
    {
      sa_progress_bar_finish (bar, FALSE);
      return sa_cli_fail ("train", error);
    }
  sa_progress_bar_finish (bar, TRUE);

  components = g_strdup_printf ("%s/%s_desc-FBN_components.nii.gz", out_dir, prefix);
  outputs.out_dir = out_dir;
  outputs.prefix = prefix;
  outputs.options = &options;
  outputs.dataset = dataset->root;
  outputs.command_line = recorded;
  outputs.tr = dataset->tr;
  if (!sa_embed_write_components (result->w, result->n_voxels, result->m, mask, components,
                                  &error)
      || !sa_embed_write_outputs (&outputs, result, &error))
    return sa_cli_fail ("train", error);

  /* %lld, not G_GINT64_FORMAT: xgettext cannot expand the macro, so the
   * message would never match its translation. */
  printf (_("%d FBNs (%s) on %lld voxels: best validation loss %.4f at epoch %d "
            "of %d; test reconstruction R² %.3f\n"),
          result->m, sa_embed_arch_name (result->arch), (long long) result->n_voxels,
          result->best_val_loss,
          result->best_epoch, result->epochs_run, result->test_r2);
  printf ("%s\n", components);
  return 0;
}
