#include "config.h"

#include <glib/gi18n.h>

#include "compute/embed/source.h"

#include "compute/error.h"

typedef struct {
  char      *name;
  GPtrArray *runs;          /* SaEmbedRun* */
  GPtrArray *memory;        /* const float*, memory sources only */
} Subject;

struct _SaEmbedSource {
  gint64              n_voxels;
  GPtrArray          *subjects;   /* Subject* */
  SaEmbedAcquireFunc  acquire;
  SaEmbedReleaseFunc  release;
  gpointer            user_data;
  GDestroyNotify      destroy;
  gboolean            is_memory;
};

static void
run_free (gpointer data)
{
  SaEmbedRun *run = data;

  g_free (run->subject);
  g_free (run->run_key);
  g_free (run->label);
  g_free (run);
}

static void
subject_free (gpointer data)
{
  Subject *subject = data;

  g_free (subject->name);
  g_ptr_array_unref (subject->runs);
  g_ptr_array_unref (subject->memory);
  g_free (subject);
}

SaEmbedSource *
sa_embed_source_new (gint64              n_voxels,
                     SaEmbedAcquireFunc  acquire,
                     SaEmbedReleaseFunc  release,
                     gpointer            user_data,
                     GDestroyNotify      destroy)
{
  SaEmbedSource *source;

  g_return_val_if_fail (n_voxels >= 0, NULL);

  source = g_new0 (SaEmbedSource, 1);
  source->n_voxels = n_voxels;
  source->subjects = g_ptr_array_new_with_free_func (subject_free);
  source->acquire = acquire;
  source->release = release;
  source->user_data = user_data;
  source->destroy = destroy;
  return source;
}

static const float *
memory_acquire (gpointer  user_data,
                guint     subject,
                guint     run,
                GError  **error)
{
  SaEmbedSource *source = user_data;
  Subject *s = g_ptr_array_index (source->subjects, subject);

  return g_ptr_array_index (s->memory, run);
}

SaEmbedSource *
sa_embed_source_new_memory (gint64 n_voxels)
{
  SaEmbedSource *source = sa_embed_source_new (n_voxels, memory_acquire, NULL, NULL, NULL);

  source->user_data = source;
  source->is_memory = TRUE;
  return source;
}

void
sa_embed_source_free (SaEmbedSource *source)
{
  if (source == NULL)
    return;
  if (source->destroy != NULL)
    source->destroy (source->user_data);
  g_ptr_array_unref (source->subjects);
  g_free (source);
}

int
sa_embed_source_find_subject (SaEmbedSource *source,
                              const char    *name)
{
  g_return_val_if_fail (source != NULL, -1);

  for (guint i = 0; i < source->subjects->len; i++)
    {
      Subject *s = g_ptr_array_index (source->subjects, i);

      if (g_strcmp0 (s->name, name) == 0)
        return (int) i;
    }
  return -1;
}

guint
sa_embed_source_add_run (SaEmbedSource *source,
                         const char    *subject,
                         const char    *run_key,
                         int            n_timepoints,
                         const char    *label)
{
  int index;
  Subject *s;
  SaEmbedRun *run;

  g_return_val_if_fail (source != NULL && subject != NULL && run_key != NULL, 0);

  index = sa_embed_source_find_subject (source, subject);
  if (index < 0)
    {
      s = g_new0 (Subject, 1);
      s->name = g_strdup (subject);
      s->runs = g_ptr_array_new_with_free_func (run_free);
      s->memory = g_ptr_array_new ();
      g_ptr_array_add (source->subjects, s);
    }
  else
    s = g_ptr_array_index (source->subjects, index);

  run = g_new0 (SaEmbedRun, 1);
  run->subject = g_strdup (subject);
  run->run_key = g_strdup (run_key);
  run->n_timepoints = n_timepoints;
  run->label = label != NULL ? g_strdup (label)
                             : g_strdup_printf ("sub-%s %s", subject, run_key);
  g_ptr_array_add (s->runs, run);
  g_ptr_array_add (s->memory, NULL);
  return s->runs->len - 1;
}

void
sa_embed_source_add_memory_run (SaEmbedSource *source,
                                const char    *subject,
                                const char    *run_key,
                                const float   *data,
                                int            n_timepoints)
{
  guint run;
  Subject *s;

  g_return_if_fail (source != NULL && source->is_memory && data != NULL);

  run = sa_embed_source_add_run (source, subject, run_key, n_timepoints, NULL);
  s = g_ptr_array_index (source->subjects, sa_embed_source_find_subject (source, subject));
  s->memory->pdata[run] = (gpointer) data;
}

gint64
sa_embed_source_n_voxels (SaEmbedSource *source)
{
  return source->n_voxels;
}

guint
sa_embed_source_n_subjects (SaEmbedSource *source)
{
  return source->subjects->len;
}

const char *
sa_embed_source_subject (SaEmbedSource *source,
                         guint          subject)
{
  g_return_val_if_fail (subject < source->subjects->len, NULL);
  return ((Subject *) g_ptr_array_index (source->subjects, subject))->name;
}

guint
sa_embed_source_n_runs (SaEmbedSource *source,
                        guint          subject)
{
  g_return_val_if_fail (subject < source->subjects->len, 0);
  return ((Subject *) g_ptr_array_index (source->subjects, subject))->runs->len;
}

const SaEmbedRun *
sa_embed_source_run (SaEmbedSource *source,
                     guint          subject,
                     guint          run)
{
  Subject *s;

  g_return_val_if_fail (subject < source->subjects->len, NULL);
  s = g_ptr_array_index (source->subjects, subject);
  g_return_val_if_fail (run < s->runs->len, NULL);
  return g_ptr_array_index (s->runs, run);
}

const float *
sa_embed_source_acquire (SaEmbedSource *source,
                         guint          subject,
                         guint          run,
                         GError       **error)
{
  const SaEmbedRun *info = sa_embed_source_run (source, subject, run);
  const float *data;

  g_return_val_if_fail (info != NULL, NULL);

  data = source->acquire (source->user_data, subject, run, error);
  if (data == NULL && error != NULL && *error == NULL)
    sa_set_error (error, SA_ERROR_FAILED, info->label, _("run data could not be read"));
  return data;
}

void
sa_embed_source_release (SaEmbedSource *source,
                         guint          subject,
                         guint          run)
{
  if (source->release != NULL)
    source->release (source->user_data, subject, run);
}
