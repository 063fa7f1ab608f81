/* syncact train: the identifiable-FBN options (--arch ica, --rotate ica, --maps) */
#include "config.h"

#include "app/cli-train-fbn.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "app/cli.h"
#include "compute/error.h"

gboolean
sa_cli_train_fbn_choice (const char   *arch,
                         const char   *rotate,
                         const char   *maps,
                         SaFbnChoice  *choice,
                         GError      **error)
{
  *choice = (SaFbnChoice) { SA_FBN_METHOD_AUTOENCODER, FALSE, NULL, NULL };
  if (g_strcmp0 (arch, "ica") == 0)
    choice->method = SA_FBN_METHOD_GROUP_ICA;
  if (rotate != NULL)
    {
      if (g_strcmp0 (rotate, "ica") != 0 && g_strcmp0 (rotate, "none") != 0)
        {
          sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                        _("unknown rotation \"%s\" (ica or none)"), rotate);
          return FALSE;
        }
      choice->rotate_ica = g_strcmp0 (rotate, "ica") == 0;
    }
  if (choice->rotate_ica && choice->method == SA_FBN_METHOD_GROUP_ICA)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("--rotate ica applies to lt, lstm and msa; --arch ica is independent "
                      "already"));
      return FALSE;
    }
  if (maps != NULL)
    {
      if (arch != NULL || choice->rotate_ica)
        {
          sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                        _("--maps gives the FBNs: it goes without --arch and --rotate"));
          return FALSE;
        }
      choice->method = SA_FBN_METHOD_MAPS;
      choice->maps_path = maps;
    }
  return TRUE;
}

gboolean
sa_cli_train_fbn_wanted (const SaFbnChoice *choice)
{
  return choice->method != SA_FBN_METHOD_AUTOENCODER || choice->rotate_ica;
}

int
sa_cli_train_fbn (SaEmbedSource        *source,
                  const SaEmbedOptions *options,
                  const SaFbnChoice    *choice,
                  const SaMask         *mask,
                  const SaEmbedOutputs *outputs,
                  SaProgressBar        *bar)
{
  SaFbnChoice c = *choice;
  SaProgress progress = { sa_progress_bar_update, bar, 0.1, 0.9 };
  g_autoptr(SaFbnRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *components = NULL;

  c.mask = mask;
  run = sa_fbn_train (source, options, &c, &progress, NULL, &error);
  if (run == NULL)
    {
      sa_progress_bar_finish (bar, FALSE);
      return sa_cli_fail ("train", error);
    }
  sa_progress_bar_finish (bar, TRUE);
  if (!sa_fbn_write_outputs (outputs, run, mask, &error))
    return sa_cli_fail ("train", error);

  if (run->has_ica && !run->ica.converged)
    fprintf (stderr, "syncact train: %s\n",
             _("warning: FastICA did not converge; the FBNs may mix networks (try another "
               "--seed or fewer --fbns)"));
  summary = sa_fbn_run_describe (run);
  printf ("%s\n", summary);
  if (run->unrotated != NULL)
    printf (_("unrotated autoencoder: best validation loss %.4f at epoch %d of %d; test "
              "reconstruction R² %.3f (files desc-FBNunrotated)\n"),
            run->unrotated->best_val_loss, run->unrotated->best_epoch,
            run->unrotated->epochs_run, run->unrotated->test_r2);
  {
    g_autofree char *name = g_strdup_printf ("%s_desc-FBN_components.nii.gz",
                                             outputs->prefix != NULL ? outputs->prefix : "group");

    components = g_build_filename (outputs->out_dir, name, NULL);
  }
  printf ("%s\n", components);
  return 0;
}
