#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "compute/embed/dual-regression.h"
#include "compute/embed/ica-embed.h"
#include "compute/error.h"

/* Runs of the chosen subjects as one flat list, served through
 * SaSubjectSource; the previously acquired run is released on each fetch so
 * only one is held. */
typedef struct {
  SaEmbedSource *source;
  GArray        *units;     /* guint pairs: subject, run */
  int            held;      /* unit index currently acquired, or -1 */
} RunList;

static void
run_list_release (RunList *list)
{
  if (list->held >= 0)
    {
      guint *u = &g_array_index (list->units, guint, 2 * list->held);
      sa_embed_source_release (list->source, u[0], u[1]);
      list->held = -1;
    }
}

static gboolean
run_list_fetch (gpointer      user_data,
                int           unit,
                const float **data,
                int          *n_timepoints,
                GError      **error)
{
  RunList *list = user_data;
  guint *u = &g_array_index (list->units, guint, 2 * unit);

  run_list_release (list);
  *data = sa_embed_source_acquire (list->source, u[0], u[1], error);
  if (*data == NULL)
    return FALSE;
  list->held = unit;
  *n_timepoints = sa_embed_source_run (list->source, u[0], u[1])->n_timepoints;
  return TRUE;
}

static gboolean
run_list_init (RunList        *list,
               SaEmbedSource  *source,
               GArray         *subjects,
               GError        **error)
{
  guint n = subjects != NULL ? subjects->len : sa_embed_source_n_subjects (source);

  list->source = source;
  list->held = -1;
  list->units = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < n; i++)
    {
      guint s = subjects != NULL ? g_array_index (subjects, guint, i) : i;
      if (s >= sa_embed_source_n_subjects (source))
        {
          sa_set_error (error, SA_ERROR_ARGUMENT, NULL, _("no subject %u in the dataset"), s);
          return FALSE;
        }
      for (guint r = 0; r < sa_embed_source_n_runs (source, s); r++)
        {
          guint pair[2] = { s, r };
          g_array_append_vals (list->units, pair, 2);
        }
    }
  if (list->units->len == 0)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL, _("no fMRI run to work on"));
      return FALSE;
    }
  return TRUE;
}

static void
run_list_clear (RunList *list)
{
  run_list_release (list);
  g_clear_pointer (&list->units, g_array_unref);
}

SaGroupIca *
sa_group_ica_run_source (SaEmbedSource          *source,
                         GArray                 *subjects,
                         const SaGroupIcaParams *params,
                         const SaProgress       *progress,
                         GCancellable           *cancellable,
                         GError                **error)
{
  RunList list = { NULL, NULL, -1 };
  SaSubjectSource units;
  SaGroupIca *ica = NULL;

  g_return_val_if_fail (source != NULL, NULL);

  if (run_list_init (&list, source, subjects, error))
    {
      units.n_subjects = list.units->len / 2;
      units.n_voxels = sa_embed_source_n_voxels (source);
      units.fetch = run_list_fetch;
      units.user_data = &list;
      ica = sa_group_ica_run (&units, NULL, units.n_subjects, params, progress,
                              cancellable, error);
    }
  run_list_clear (&list);
  return ica;
}

static void
courses_free (gpointer data)
{
  SaEmbedCourses *c = data;

  g_free (c->subject);
  g_free (c->run_key);
  g_free (c->l);
  g_free (c);
}

GPtrArray *
sa_dual_regression_source (const float       *maps,
                           int                m,
                           SaEmbedSource     *source,
                           GArray            *subjects,
                           const SaProgress  *progress,
                           GCancellable      *cancellable,
                           GError           **error)
{
  RunList list = { NULL, NULL, -1 };
  g_autoptr(SaDualRegression) dr = NULL;
  g_autoptr(GPtrArray) courses = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  guint n_units, n_runs;

  g_return_val_if_fail (maps != NULL && source != NULL, NULL);

  dr = sa_dual_regression_new (maps, sa_embed_source_n_voxels (source), m, error);
  if (dr == NULL)
    return NULL;
  if (!run_list_init (&list, source, subjects, error))
    {
      run_list_clear (&list);
      return NULL;
    }
  courses = g_ptr_array_new_with_free_func (courses_free);
  keys = g_ptr_array_new ();
  n_units = list.units->len / 2;
  for (guint i = 0; i < n_units; i++)
    {
      guint *u = &g_array_index (list.units, guint, 2 * i);
      const SaEmbedRun *run = sa_embed_source_run (source, u[0], u[1]);
      const float *data = NULL;
      SaEmbedCourses *c;
      int T = 0;

      sa_progress_report (progress, (double) i / n_units, "Dual regression");
      if (sa_check_cancelled (cancellable, error)
          || !run_list_fetch (&list, (int) i, &data, &T, error))
        {
          run_list_clear (&list);
          return NULL;
        }
      c = g_new0 (SaEmbedCourses, 1);
      c->subject = g_strdup (run->subject);
      c->run_key = g_strdup (run->run_key);
      c->n_timepoints = T;
      c->l = g_new (float, (gsize) T * m);
      sa_dual_regression_stage1 (dr, data, T, c->l);
      g_ptr_array_add (courses, c);
      if (!g_ptr_array_find_with_equal_func (keys, run->run_key, g_str_equal, NULL))
        g_ptr_array_add (keys, run->run_key);
    }
  run_list_clear (&list);

  /* Means per run key over the shortest of its runs, as the trainer does. */
  n_runs = courses->len;
  for (guint k = 0; k < keys->len; k++)
    {
      const char *key = g_ptr_array_index (keys, k);
      SaEmbedCourses *mean = g_new0 (SaEmbedCourses, 1);
      int count = 0;

      mean->run_key = g_strdup (key);
      mean->n_timepoints = G_MAXINT;
      for (guint i = 0; i < n_runs; i++)
        {
          SaEmbedCourses *c = g_ptr_array_index (courses, i);
          if (g_strcmp0 (c->run_key, key) == 0)
            mean->n_timepoints = MIN (mean->n_timepoints, c->n_timepoints);
        }
      mean->l = g_new0 (float, (gsize) mean->n_timepoints * m);
      for (guint i = 0; i < n_runs; i++)
        {
          SaEmbedCourses *c = g_ptr_array_index (courses, i);
          if (g_strcmp0 (c->run_key, key) != 0)
            continue;
          count++;
          for (gsize j = 0; j < (gsize) mean->n_timepoints * m; j++)
            mean->l[j] += c->l[j];
        }
      for (gsize j = 0; j < (gsize) mean->n_timepoints * m; j++)
        mean->l[j] /= count;
      g_ptr_array_add (courses, mean);
    }
  sa_progress_report (progress, 1.0, "Dual regression");
  return g_steal_pointer (&courses);
}
