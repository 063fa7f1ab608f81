#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/bids.h"
#include "compute/io/bids-private.h"
#include "compute/io/nifti.h"
#include "compute/io/tsv.h"

void
sa_bids_candidate_free (SaBidsCandidate *c)
{
  g_free (c->path);
  g_free (c->identity);
  g_free (c->pipeline);
  g_free (c->space);
  g_free (c->rel_dir);
  g_free (c);
}

void
sa_bids_run_free (SaBidsRun *run)
{
  g_free (run->subject);
  g_free (run->session);
  g_free (run->task);
  g_free (run->run);
  g_free (run->space);
  g_free (run->bold_path);
  g_free (run->mask_path);
  g_free (run->events_path);
  g_free (run->movie_path);
  g_free (run->run_key);
  g_free (run->pipeline);
  g_free (run->tr_source);
  g_free (run);
}

void
sa_bids_warn (SaBidsDataset *dataset,
              const char    *format,
              ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (dataset->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}
/* The dims and affine of the file's grid in RAS+ voxel order: each voxel
 * axis goes to the world axis it mostly points along, flipped when it
 * points backwards. */
static void
ras_grid (const SaNiftiInfo *info,
          int                dims[3],
          double             affine[4][4])
{
  memset (affine, 0, sizeof (double) * 16);
  affine[3][3] = 1;
  for (int r = 0; r < 3; r++)
    affine[r][3] = info->affine[r][3];
  for (int j = 0; j < 3; j++)
    {
      int axis = 0;
      double sign;
      for (int r = 1; r < 3; r++)
        if (fabs (info->affine[r][j]) > fabs (info->affine[axis][j]))
          axis = r;
      sign = info->affine[axis][j] < 0 ? -1 : 1;
      dims[axis] = (int) info->dims[j];
      for (int r = 0; r < 3; r++)
        {
          affine[r][axis] = sign * info->affine[r][j];
          if (sign < 0)
            affine[r][3] += info->affine[r][j] * (double) (info->dims[j] - 1);
        }
    }
}

gboolean
sa_bids_same_grid (const int    a_dims[3],
                   double       a[4][4],
                   const int    b_dims[3],
                   double       b[4][4])
{
  for (int j = 0; j < 3; j++)
    {
      double size = sqrt (a[0][j] * a[0][j] + a[1][j] * a[1][j] + a[2][j] * a[2][j]);
      if (a_dims[j] != b_dims[j])
        return FALSE;
      for (int r = 0; r < 3; r++)
        if (fabs (a[r][j] - b[r][j]) > 1e-3 * size)
          return FALSE;
    }
  for (int r = 0; r < 3; r++)
    {
      double size = sqrt (a[r][0] * a[r][0] + a[r][1] * a[r][1] + a[r][2] * a[r][2]);
      if (fabs (a[r][3] - b[r][3]) > 1e-3 * MAX (size, 1e-6))
        return FALSE;
    }
  return TRUE;
}

static char *
mask_beside (const char *bold_path)
{
  static const char *const exts[] = { ".nii.gz", ".nii" };
  g_autofree char *stem = NULL;

  stem = g_str_has_suffix (bold_path, ".nii.gz")
           ? g_strndup (bold_path, strlen (bold_path) - strlen ("_bold.nii.gz"))
           : g_strndup (bold_path, strlen (bold_path) - strlen ("_bold.nii"));
  if (g_str_has_suffix (stem, "_desc-preproc"))
    stem[strlen (stem) - strlen ("_desc-preproc")] = '\0';
  for (gsize i = 0; i < G_N_ELEMENTS (exts); i++)
    {
      g_autofree char *path = g_strconcat (stem, "_desc-brain_mask", exts[i], NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

/* The movie of a run: the first events row with a stim_file. */
static gboolean
read_events (SaBidsDataset *dataset,
             SaBidsRun     *run,
             GError       **error)
{
  g_autoptr(SaTsv) tsv = sa_tsv_read (run->events_path, error);
  g_autofree char *stim = NULL;
  int c_onset, c_stim;

  if (tsv == NULL)
    return FALSE;
  c_onset = sa_tsv_column (tsv, "onset");
  c_stim = sa_tsv_column (tsv, "stim_file");
  if (c_onset < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, run->events_path, _("no “onset” column"));
      return FALSE;
    }
  if (c_stim < 0)
    {
      sa_bids_warn (dataset, "%s: no “stim_file” column, so no movie for this run", run->events_path);
      return TRUE;
    }
  for (guint i = 0; i < tsv->rows->len; i++)
    {
      const char *s = sa_tsv_get (tsv, i, c_stim);
      const char *onset = sa_tsv_get (tsv, i, c_onset);
      char *end = NULL;
      double t;

      if (s == NULL || *s == '\0' || strcmp (s, "n/a") == 0)
        continue;
      if (stim != NULL)
        {
          if (strcmp (stim, s) != 0)
            sa_bids_warn (dataset, "%s: several movies (%s, %s, …); SyncAct uses the first",
                  run->events_path, stim, s);
          break;
        }
      t = g_ascii_strtod (onset, &end);
      if (end == onset || *end != '\0' || !isfinite (t))
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, run->events_path,
                        _("line %u: onset “%s” is not a number"), i + 2, onset);
          return FALSE;
        }
      stim = g_strdup (s);
      run->movie_onset = t;
    }
  if (stim == NULL)
    {
      sa_bids_warn (dataset, "%s: no row names a stim_file, so no movie for this run", run->events_path);
      return TRUE;
    }
  run->movie_path = g_build_filename (dataset->root, "stimuli", stim, NULL);
  if (!g_file_test (run->movie_path, G_FILE_TEST_IS_REGULAR))
    {
      sa_bids_warn (dataset, "%s: movie stimuli/%s is missing", run->events_path, stim);
      g_clear_pointer (&run->movie_path, g_free);
    }
  return TRUE;
}

gboolean
sa_bids_describe_run (SaBidsDataset *dataset,
                      SaBidsCandidate *c,
                      SaBidsRun    **out,
                      double         ras_affine[4][4],
                      int            ras_dims[3],
                      GError       **error)
{
  g_autofree char *base = g_path_get_basename (c->path);
  g_autoptr(SaBidsName) name = sa_bids_name_parse (base);
  g_autoptr(SaNiftiInfo) info = NULL;
  g_autofree char *raw_twin = g_build_filename (dataset->root, c->rel_dir, base, NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GString) key = g_string_new (NULL);
  g_autoptr(GError) local = NULL;
  SaBidsRun *run;
  gboolean have_tr = FALSE;

  info = sa_nifti_info_read (c->path, error);
  if (info == NULL)
    return FALSE;
  if (info->ndim != 4 || info->dims[3] < 2)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, c->path,
                    _("a bold run must be a 4D time series (this file has %d dimensions, %lld volumes)"),
                    info->ndim, (long long) (info->ndim >= 4 ? info->dims[3] : 1));
      return FALSE;
    }

  run = g_new0 (SaBidsRun, 1);
  *out = run;
  run->subject = g_strdup (sa_bids_name_get (name, "sub"));
  run->session = g_strdup (sa_bids_name_get (name, "ses"));
  run->task = g_strdup (sa_bids_name_get (name, "task"));
  run->run = g_strdup (sa_bids_name_get (name, "run"));
  run->space = g_strdup (c->space);
  run->pipeline = g_strdup (c->pipeline);
  run->bold_path = g_strdup (c->path);
  run->mask_path = mask_beside (c->path);
  for (int i = 0; i < 4; i++)
    run->dims[i] = (int) info->dims[i];

  /* run_key: the identity without the subject, the same across subjects. */
  {
    g_autofree char *id = g_strdup (c->identity);
    const char *rest = strchr (id, '_');
    g_string_append (key, rest ? rest + 1 : "");
    run->run_key = g_strdup (key->str);
  }

  /* A derivative's own tree first, then the raw tree for what fMRIPrep
   * did not copy. */
  if (c->pipeline != NULL)
    {
      g_autofree char *top = g_build_filename (dataset->root, "derivatives", c->pipeline, NULL);
      have_tr = sa_bids_sidecar_tr (top, c->path, &run->tr, &run->tr_source, &local);
    }
  if (!have_tr && local == NULL)
    have_tr = sa_bids_sidecar_tr (dataset->root, raw_twin, &run->tr, &run->tr_source, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  if (!have_tr)
    {
      if (!(info->tr > 0))
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, c->path,
                        _("no RepetitionTime in any sidecar and none in the header (pixdim[4])"));
          return FALSE;
        }
      run->tr = info->tr;
      sa_bids_warn (dataset, "%s: no sidecar gives RepetitionTime; using the header's pixdim[4] = %g s",
            c->path, info->tr);
    }
  else if (info->tr > 0 && fabs (info->tr - run->tr) > 1e-3)
    sa_bids_warn (dataset, "%s: header pixdim[4] says TR = %g s but the sidecar %s says RepetitionTime = %g s; "
          "using the sidecar's %g s (BIDS)", c->path, info->tr, run->tr_source, run->tr, run->tr);

  events = sa_bids_applicable (dataset->root, raw_twin, "events", ".tsv");
  if (events->len == 0 && c->pipeline != NULL)
    {
      g_autofree char *top = g_build_filename (dataset->root, "derivatives", c->pipeline, NULL);
      g_clear_pointer (&events, g_ptr_array_unref);
      events = sa_bids_applicable (top, c->path, "events", ".tsv");
    }
  if (events->len > 0)
    {
      run->events_path = g_strdup (g_ptr_array_index (events, events->len - 1));
      if (!read_events (dataset, run, error))
        return FALSE;
    }
  else
    sa_bids_warn (dataset, "%s: no _events.tsv, so no movie for this run", c->path);

  ras_grid (info, ras_dims, ras_affine);
  return TRUE;
}
