#include "config.h"

#include "compute/embed/source-dataset.h"

#include "compute/error.h"
#include "compute/io/run-cache.h"

/* Runs mapped at once. A batch touches up to batch-size runs; reopening a
 * cache costs a header check, far less than a training step, while each
 * mapped run may hold hundreds of MB of pages resident. */
#define MAX_OPEN 4

typedef struct {
  guint       subject;
  guint       run;
  SaRunCache *cache;
} Open;

typedef struct {
  const SaMask *mask;
  char         *cache_dir;
  GPtrArray    *paths;     /* per (subject, run): bold path, in source order */
  GArray       *first;     /* guint: index in paths of each subject's first run */
  GQueue        open;      /* Open*, most recently used first */
} Dataset;

static void
dataset_free (gpointer data)
{
  Dataset *d = data;
  Open *o;

  while ((o = g_queue_pop_head (&d->open)) != NULL)
    {
      sa_run_cache_free (o->cache);
      g_free (o);
    }
  g_free (d->cache_dir);
  g_ptr_array_unref (d->paths);
  g_array_unref (d->first);
  g_free (d);
}

static const float *
dataset_acquire (gpointer  user_data,
                 guint     subject,
                 guint     run,
                 GError  **error)
{
  Dataset *d = user_data;
  const char *path;
  SaRunCache *cache;
  Open *o;

  for (GList *l = d->open.head; l != NULL; l = l->next)
    {
      o = l->data;
      if (o->subject == subject && o->run == run)
        {
          g_queue_unlink (&d->open, l);
          g_queue_push_head_link (&d->open, l);
          return sa_run_cache_data (o->cache);
        }
    }
  path = g_ptr_array_index (d->paths, g_array_index (d->first, guint, subject) + run);
  cache = sa_run_cache_open (path, d->mask, d->cache_dir, NULL, NULL, error);
  if (cache == NULL)
    return NULL;
  if (g_queue_get_length (&d->open) >= MAX_OPEN)
    {
      o = g_queue_pop_tail (&d->open);
      sa_run_cache_free (o->cache);
      g_free (o);
    }
  o = g_new0 (Open, 1);
  o->subject = subject;
  o->run = run;
  o->cache = cache;
  g_queue_push_head (&d->open, o);
  return sa_run_cache_data (cache);
}

SaEmbedSource *
sa_embed_source_new_for_dataset (SaBidsDataset    *dataset,
                                 const SaMask     *mask,
                                 const char       *cache_dir,
                                 const SaProgress *progress,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  Dataset *d;
  g_autoptr(SaEmbedSource) source = NULL;
  const char *last_subject = NULL;
  guint n_runs = dataset->runs->len;

  g_return_val_if_fail (dataset != NULL && mask != NULL, NULL);

  d = g_new0 (Dataset, 1);
  d->mask = mask;
  d->cache_dir = g_strdup (cache_dir);
  d->paths = g_ptr_array_new_with_free_func (g_free);
  d->first = g_array_new (FALSE, FALSE, sizeof (guint));
  g_queue_init (&d->open);
  source = sa_embed_source_new (mask->n_in, dataset_acquire, NULL, d, dataset_free);

  /* dataset->runs is sorted by subject, so each subject's runs are adjacent. */
  for (guint i = 0; i < n_runs; i++)
    {
      SaBidsRun *run = g_ptr_array_index (dataset->runs, i);
      SaProgress sub = sa_progress_sub (progress, (double) i / n_runs, (i + 1.0) / n_runs);
      g_autoptr(SaRunCache) cache = NULL;

      if (sa_check_cancelled (cancellable, error))
        return NULL;
      cache = sa_run_cache_open (run->bold_path, mask, cache_dir, &sub, cancellable, error);
      if (cache == NULL)
        return NULL;
      if (last_subject == NULL || g_strcmp0 (last_subject, run->subject) != 0)
        {
          guint first = d->paths->len;

          g_array_append_val (d->first, first);
          last_subject = run->subject;
        }
      g_ptr_array_add (d->paths, g_strdup (run->bold_path));
      sa_embed_source_add_run (source, run->subject, run->run_key,
                               sa_run_cache_n_timepoints (cache), run->bold_path);
    }
  return g_steal_pointer (&source);
}
