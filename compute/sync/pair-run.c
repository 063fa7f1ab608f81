#include "config.h"

#include <glib/gi18n.h>

#include "compute/sync/pair-run.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "compute/error.h"
#include "compute/sync/ceiling.h"

/* Enough random halves that the ceiling's split noise is far below the
 * differences between FBNs that matter. */
#define CEILING_SPLITS 100

SaPairRun *
sa_pair_run_compute (const SaPairRunInput *input,
                     const SaDirection    *directions,
                     int                   n_directions,
                     const SaNullOptions  *null_options,
                     const SaProgress     *progress,
                     GCancellable         *cancellable,
                     GError              **error)
{
  g_autoptr(SaPairRun) run = g_new0 (SaPairRun, 1);

  g_return_val_if_fail (input != NULL && directions != NULL, NULL);
  g_return_val_if_fail (n_directions >= 1 && n_directions <= 2, NULL);

  run->corr = sa_correlation_compute (input->fbns, input->n_fbns, input->n_times, input->fbn_source,
                                      input->filters, input->n_filters, input->filter_times,
                                      input->filter_source, error);
  if (run->corr == NULL)
    return NULL;
  if (input->subject_fbns != NULL)
    {
      run->ceiling = sa_noise_ceiling (input->subject_fbns, input->n_subjects, input->n_fbns,
                                       input->n_times, CEILING_SPLITS,
                                       null_options ? null_options->seed : 0, error);
      if (run->ceiling == NULL)
        return NULL;
    }
  if (null_options != NULL && null_options->kind != SA_NULL_NONE)
    {
      run->null = sa_null_compute (run->corr, null_options, progress, cancellable, error);
      if (run->null == NULL)
        return NULL;
    }
  for (int d = 0; d < n_directions; d++)
    {
      SaPairing *p = sa_pairing_compute (run->corr, directions[d]);

      if (run->null != NULL)
        sa_null_apply (run->null, run->corr, p);
      if (run->ceiling != NULL)
        for (int q = 0; q < p->n_pairs; q++)
          p->pairs[q].noise_ceiling = run->ceiling[p->pairs[q].fbn];
      run->pairings[run->n_pairings++] = p;
    }
  sa_progress_report (progress, 1.0, NULL);
  return g_steal_pointer (&run);
}

gboolean
sa_pair_run_write (const SaPairRun   *run,
                   const SaPairsInfo *info,
                   const char        *out_dir,
                   const char        *prefix,
                   GError           **error)
{
  g_autofree char *summary = NULL;

  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      sa_set_error (error, SA_ERROR_IO, out_dir, _("cannot create the folder: %s"), g_strerror (errno));
      return FALSE;
    }
  for (int d = 0; d < run->n_pairings; d++)
    {
      g_autofree char *name = g_strdup_printf ("%s_desc-%s_pairs.tsv", prefix,
                                               sa_direction_to_string (run->pairings[d]->direction));
      g_autofree char *path = g_build_filename (out_dir, name, NULL);

      if (!sa_pairs_write (run->pairings[d], run->corr, info, path, error))
        return FALSE;
    }
  summary = g_build_filename (out_dir, "summary.tsv", NULL);
  return sa_summary_update (summary, (const SaPairing *const *) run->pairings, run->n_pairings,
                            run->corr, info, error);
}

void
sa_pair_run_free (SaPairRun *run)
{
  if (run == NULL)
    return;
  sa_correlation_free (run->corr);
  sa_null_free (run->null);
  g_free (run->ceiling);
  for (int d = 0; d < run->n_pairings; d++)
    sa_pairing_free (run->pairings[d]);
  g_free (run);
}
