#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "app/cli.h"
#include "compute/torch/sa-torch.h"

static int sa_cli_help (int argc, char **argv);

static const SaCliCommand commands[] = {
  { "figure",  "[DATASET | --maps MAPS.nii.gz --timeseries FBN.tsv --activations ACTS.h5] --fbn I --out FILE", N_("Draw the pair figure or one pane as PNG, SVG or PDF"), sa_cli_figure },
  { "info",    "PATH [--json]", N_("Show what SyncAct reads in a NIfTI file, a movie or a dataset"), sa_cli_info },
  { "run",     "DATASET --model M --layer L [--layer L2 …] [--fbns M] [--arch lt|lstm|msa] [--epochs E] [--seed K] [--out DIR]",
               N_("The whole pipeline: train (or reuse), annotate, extract, pair every run; reuses what is valid"), sa_cli_pipeline },
  { "pair",    "DATASET --model M --layer L | --timeseries FBN.tsv --activations ACTS.h5 --out DIR", N_("Pair FBNs and filters by correlation, with honest statistics"), sa_cli_pair },
  { "layers",  "MODEL.pt [--size WxH]", N_("List a model's modules, conv layers and their channels"), sa_cli_layers },
  { "extract", "--model M --layer L --movie FILE --tr S --out FILE.h5", N_("Filter activations of a layer for every TR of a movie"), sa_cli_extract },
  { "train",   "DATASET [--fbns M] [--arch lt|lstm|msa] [--epochs E] [--window T] [--seed K] [--out DIR] [--resume]",
               N_("Train the fMRI embedding (FBNs) on a dataset"),                                  sa_cli_train },
  { "demo",    "--out DIR [--subjects N] [--duration S] [--tr S] [--seed K]",
               N_("Generate the demo dataset: a movie, simulated fMRI and the planted truth"), sa_cli_demo },
  { "version", "",              N_("Show the version of SyncAct and its libraries"),                sa_cli_version },
  { "help",    "",              N_("Show this help"),                                               sa_cli_help },
};

const SaCliCommand *
sa_cli_find (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

void
sa_cli_print_help (FILE *out)
{
  fprintf (out, "%s\n", _("Usage: syncact [COMMAND] [OPTIONS…]"));
  fprintf (out, "%s\n\n", _("Without a command, SyncAct opens its window on the built-in demo."));
  fprintf (out, "%s\n", _("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-8s %s\n  %-8s   %s\n", commands[i].name, commands[i].args, "",
             _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “syncact COMMAND --help” for a command’s options."));
}

static int
sa_cli_help (int argc, char **argv)
{
  sa_cli_print_help (stdout);
  return 0;
}

int
sa_cli_version (int argc, char **argv)
{
  printf ("syncact %s\n", PACKAGE_VERSION);
  printf ("libtorch %s (%s)\n", sa_torch_version (),
          sa_torch_cuda_device_count () > 0 ? "CUDA" : "CPU");
  printf ("GLib %u.%u.%u\n", glib_major_version, glib_minor_version, glib_micro_version);
  return 0;
}

int
sa_cli_fail (const char *command, GError *error)
{
  if (command != NULL)
    fprintf (stderr, "syncact %s: %s\n", command, error ? error->message : _("failed"));
  else
    fprintf (stderr, "syncact: %s\n", error ? error->message : _("failed"));
  return 1;
}

gboolean
sa_cli_parse (const char    *command,
              const char    *parameter_string,
              GOptionEntry  *entries,
              int           *argc,
              char        ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("syncact %s", command);

  g_set_prgname (prgname);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "syncact %s: %s\n", command, error->message);
      return FALSE;
    }
  return TRUE;
}

int
sa_cli_run (int argc, char **argv)
{
  const SaCliCommand *cmd;

  g_return_val_if_fail (argc >= 2, 2);

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    return sa_cli_help (argc, argv);
  if (g_str_equal (argv[1], "--version"))
    return sa_cli_version (argc, argv);

  cmd = sa_cli_find (argv[1]);
  if (cmd == NULL)
    {
      fprintf (stderr, _("syncact: unknown command “%s”\n"), argv[1]);
      sa_cli_print_help (stderr);
      return 2;
    }
  /* Each command sees itself as argv[0]. */
  return cmd->func (argc - 1, argv + 1);
}
