#include "config.h"

#include <glib/gi18n.h>

#include "compute/embed/train.h"
#include "compute/embed/train-private.h"

#include <math.h>
#include <string.h>

#include "compute/error.h"

gboolean
sa_embed_check_finite (const float       *data,
                       gsize              n,
                       gint64             n_voxels,
                       int                first_tr,
                       const SaEmbedRun  *run,
                       GError           **error)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (data[i]))
      {
        sa_set_error (error, SA_ERROR_INVALID_DATA, run->label,
                      "NaN or infinite value at TR %d, voxel %" G_GINT64_FORMAT
                      " of the masked data", first_tr + (int) (i / n_voxels),
                      (gint64) (i % n_voxels));
        return FALSE;
      }
  return TRUE;
}

gboolean
sa_embed_torch_ok (SaTorchStatus   status,
                   char           *message,
                   GError        **error)
{
  if (status == SA_TORCH_OK)
    return TRUE;
  sa_set_error (error, SA_ERROR_TORCH, NULL, "%s", message ? message : "libtorch failed");
  sa_torch_free (message);
  return FALSE;
}

void
sa_embed_courses_free (gpointer data)
{
  SaEmbedCourses *c = data;

  g_free (c->subject);
  g_free (c->run_key);
  g_free (c->l);
  g_free (c);
}

const SaEmbedCourses *
sa_embed_result_mean (SaEmbedResult *result,
                      const char    *run_key)
{
  for (guint i = 0; i < result->courses->len; i++)
    {
      SaEmbedCourses *c = g_ptr_array_index (result->courses, i);

      if (c->subject == NULL && (run_key == NULL || g_strcmp0 (c->run_key, run_key) == 0))
        return c;
    }
  return NULL;
}

/* Encodes run @r of subject @s; adds its reconstruction error and total
 * sum of squares (about each voxel's mean) to @sse and @sst when not NULL. */
float *
sa_embed_encode_run (SaTorchEmbed  *model,
                     SaEmbedSource *source,
                     guint          s,
                     guint          r,
                     int            m,
                     double        *sse,
                     double        *sst,
                     GError       **error)
{
  const SaEmbedRun *run = sa_embed_source_run (source, s, r);
  gint64 n = sa_embed_source_n_voxels (source);
  int t = run->n_timepoints;
  const float *data = sa_embed_source_acquire (source, s, r, error);
  g_autofree float *l = NULL;
  g_autofree float *rec = NULL;
  char *message = NULL;

  if (data == NULL)
    return NULL;
  if (!sa_embed_check_finite (data, (gsize) t * n, n, 0, run, error))
    goto fail;
  l = g_new (float, (gsize) t * m);
  if (!sa_embed_torch_ok (sa_torch_embed_encode (model, data, t, l, &message), message, error))
    goto fail;
  if (sse != NULL)
    {
      g_autofree double *mean = g_new0 (double, n);

      rec = g_new (float, (gsize) t * n);
      if (!sa_embed_torch_ok (sa_torch_embed_reconstruct (model, data, t, rec, &message), message, error))
        goto fail;
      for (int i = 0; i < t; i++)
        for (gint64 v = 0; v < n; v++)
          mean[v] += data[(gsize) i * n + v] / t;
      for (int i = 0; i < t; i++)
        for (gint64 v = 0; v < n; v++)
          {
            gsize k = (gsize) i * n + v;
            double e = data[k] - rec[k], d = data[k] - mean[v];

            *sse += e * e;
            *sst += d * d;
          }
    }
  sa_embed_source_release (source, s, r);
  return g_steal_pointer (&l);

fail:
  sa_embed_source_release (source, s, r);
  return NULL;
}

/* Each test subject's runs, then per run key the mean over the subjects
 * that have it (over the shortest of their lengths). */
gboolean
sa_embed_infer (SaEmbedResult *result,
                SaEmbedSource *source,
                GArray        *test,
                GCancellable  *cancellable,
                GError       **error)
{
  int m = result->m;
  double sse = 0, sst = 0;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  guint n_subject_courses;

  for (guint i = 0; i < test->len; i++)
    {
      guint s = g_array_index (test, guint, i);

      for (guint r = 0; r < sa_embed_source_n_runs (source, s); r++)
        {
          const SaEmbedRun *run = sa_embed_source_run (source, s, r);
          SaEmbedCourses *c;
          float *l;

          if (sa_check_cancelled (cancellable, error))
            return FALSE;
          l = sa_embed_encode_run (result->model, source, s, r, m, &sse, &sst, error);
          if (l == NULL)
            return FALSE;
          c = g_new0 (SaEmbedCourses, 1);
          c->subject = g_strdup (run->subject);
          c->run_key = g_strdup (run->run_key);
          c->n_timepoints = run->n_timepoints;
          c->l = l;
          g_ptr_array_add (result->courses, c);
          if (!g_ptr_array_find_with_equal_func (keys, run->run_key, g_str_equal, NULL))
            g_ptr_array_add (keys, run->run_key);
        }
    }
  result->test_r2 = sst > 0 ? 1.0 - sse / sst : NAN;

  n_subject_courses = result->courses->len;
  for (guint k = 0; k < keys->len; k++)
    {
      const char *key = g_ptr_array_index (keys, k);
      SaEmbedCourses *mean = g_new0 (SaEmbedCourses, 1);
      int count = 0;

      mean->run_key = g_strdup (key);
      mean->n_timepoints = G_MAXINT;
      for (guint i = 0; i < n_subject_courses; i++)
        {
          SaEmbedCourses *c = g_ptr_array_index (result->courses, i);

          if (g_strcmp0 (c->run_key, key) == 0)
            mean->n_timepoints = MIN (mean->n_timepoints, c->n_timepoints);
        }
      mean->l = g_new0 (float, (gsize) mean->n_timepoints * m);
      for (guint i = 0; i < n_subject_courses; i++)
        {
          SaEmbedCourses *c = g_ptr_array_index (result->courses, i);

          if (g_strcmp0 (c->run_key, key) != 0)
            continue;
          count++;
          for (gsize j = 0; j < (gsize) mean->n_timepoints * m; j++)
            mean->l[j] += c->l[j];
        }
      for (gsize j = 0; j < (gsize) mean->n_timepoints * m; j++)
        mean->l[j] /= count;
      g_ptr_array_add (result->courses, mean);
    }
  return TRUE;
}

void
sa_embed_report_epoch (const SaEmbedOptions *options,
                       SaTorchEmbed         *model,
                       SaEmbedSource        *source,
                       GArray               *test,
                       int                   epoch,
                       double                train_loss,
                       double                val_loss,
                       gboolean              best)
{
  SaEmbedEpoch info = { 0 };
  gint64 n = sa_embed_source_n_voxels (source);
  char *message = NULL;
  guint s = g_array_index (test, guint, 0);

  info.epoch = epoch + 1;
  info.epochs = options->epochs;
  info.train_loss = train_loss;
  info.val_loss = val_loss;
  info.best = best;
  info.n_voxels = n;
  info.m = options->m;
  info.w = g_new (float, (gsize) n * options->m);
  if (sa_torch_embed_get_w (model, info.w, &message) != SA_TORCH_OK)
    {
      g_warning ("%s", message);
      sa_torch_free (message);
    }
  /* A live view is a convenience: a run that cannot be read now will fail
   * the inference at the end, with its error. */
  if (options->epoch_run_key != NULL)
    {
      g_autoptr(GPtrArray) courses = g_ptr_array_new_with_free_func (g_free);
      int t = G_MAXINT;

      for (guint i = 0; i < test->len; i++)
        {
          guint ts = g_array_index (test, guint, i);

          for (guint r = 0; r < sa_embed_source_n_runs (source, ts); r++)
            {
              const SaEmbedRun *run = sa_embed_source_run (source, ts, r);
              float *l;

              if (g_strcmp0 (run->run_key, options->epoch_run_key) != 0)
                continue;
              l = sa_embed_encode_run (model, source, ts, r, options->m, NULL, NULL, NULL);
              if (l == NULL)
                continue;
              g_ptr_array_add (courses, l);
              t = MIN (t, run->n_timepoints);
            }
        }
      if (courses->len > 0)
        {
          info.l = g_new0 (float, (gsize) t * options->m);
          for (guint c = 0; c < courses->len; c++)
            {
              const float *l = g_ptr_array_index (courses, c);

              for (gsize j = 0; j < (gsize) t * options->m; j++)
                info.l[j] += l[j];
            }
          for (gsize j = 0; j < (gsize) t * options->m; j++)
            info.l[j] /= courses->len;
          info.l_t = t;
          info.run_key = options->epoch_run_key;
          info.l_subjects = (int) courses->len;
        }
    }
  if (info.l == NULL && sa_embed_source_n_runs (source, s) > 0)
    {
      info.l = sa_embed_encode_run (model, source, s, 0, options->m, NULL, NULL, NULL);
      if (info.l != NULL)
        {
          info.l_t = sa_embed_source_run (source, s, 0)->n_timepoints;
          info.run_key = sa_embed_source_run (source, s, 0)->run_key;
          info.l_subjects = 1;
        }
    }
  options->epoch_func (&info, options->epoch_data);
}
