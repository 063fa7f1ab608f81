#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "app/cli.h"
#include "app/progress-bar.h"
#include "compute/demo/demo-dataset.h"
#include "compute/error.h"

int
sa_cli_demo (int argc, char **argv)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaProgressBar) bar = NULL;
  SaDemoParams params;
  SaProgress progress = { 0 };
  gint64 seed = 1;
  gboolean ok;

  sa_demo_params_init (&params);
  {
    GOptionEntry entries[] = {
      { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("New (or empty) folder for the dataset"), N_("DIR") },
      { "subjects", 0, 0, G_OPTION_ARG_INT, &params.n_subjects, N_("Number of subjects (default 8)"), N_("N") },
      { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &params.duration, N_("Movie length in seconds (default 300)"), N_("S") },
      { "tr", 0, 0, G_OPTION_ARG_DOUBLE, &params.tr, N_("Repetition time in seconds (default 2)"), N_("S") },
      { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Random seed (default 1)"), N_("K") },
      { "networks", 0, 0, G_OPTION_ARG_INT, &params.n_networks, N_("Planted networks (default 5)"), N_("K") },
      { "fps", 0, 0, G_OPTION_ARG_INT, &params.fps, N_("Movie frames per second (default 24)"), N_("N") },
      { NULL }
    };

    if (!sa_cli_parse ("demo", NULL, entries, &argc, &argv))
      return 2;
  }
  if (out == NULL)
    {
      fprintf (stderr, "syncact demo: %s\n", _("--out is required"));
      return 2;
    }
  if (seed < 0)
    {
      sa_set_error (&error, SA_ERROR_ARGUMENT, NULL, _("--seed must not be negative"));
      return sa_cli_fail ("demo", error);
    }
  params.seed = (guint64) seed;

  bar = sa_progress_bar_new (_("Generating the demo dataset"));
  progress.func = sa_progress_bar_update;
  progress.user_data = bar;
  progress.span = 1;
  ok = sa_demo_generate (out, &params, &progress, NULL, &error);
  sa_progress_bar_finish (bar, ok);
  if (!ok)
    return sa_cli_fail ("demo", error);
  printf (_("%s: %d subjects, %d TRs of %g s, tasks movie and control; truth in code/truth/\n"),
          out, params.n_subjects, (int) (params.duration / params.tr + 1e-9), params.tr);
  return 0;
}
