/* job-runner.c — worker thread, coalesced progress, ETA, cancel */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ui/job-runner.h"

struct _SaJobRunner {
  GObject       parent_instance;

  GMainContext *context;      /* where properties change and callbacks run */
  GCancellable *cancellable;  /* of the running job, NULL when idle */
  gboolean      running;
  double        fraction;
  char         *title;
  char         *text;
  gint64        started;      /* monotonic µs */

  /* Written by the worker, read by the idle: the newest report wins. */
  GMutex        lock;
  double        pending_fraction;
  char         *pending_message;
  guint         idle_id;      /* nonzero while one idle is queued */
};

enum { PROP_0, PROP_RUNNING, PROP_FRACTION, PROP_TEXT, N_PROPS };
static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (SaJobRunner, sa_job_runner, G_TYPE_OBJECT)

typedef struct {
  SaJobFunc      func;
  gpointer       data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} Job;

static void
job_free (gpointer p)
{
  Job *job = p;

  if (job->data_free)
    job->data_free (job->data);
  g_free (job);
}

char *
sa_job_format_eta (double seconds)
{
  int s;

  if (!(seconds >= 0) || !isfinite (seconds))
    return NULL;
  s = (int) ceil (seconds);
  if (s >= 3600)
    return g_strdup_printf (_("%d h %02d min left"), s / 3600, (s / 60) % 60);
  if (s >= 60)
    return g_strdup_printf (_("%d min %02d s left"), s / 60, s % 60);
  return g_strdup_printf (_("%d s left"), s);
}

static void
set_text (SaJobRunner *self,
          const char  *message)
{
  double elapsed = (g_get_monotonic_time () - self->started) / (double) G_USEC_PER_SEC;
  g_autofree char *eta = NULL;
  GString *text = g_string_new (message ? message : self->title);

  /* A linear extrapolation is only worth showing once there is something
   * to extrapolate from. */
  if (self->fraction > 0.02 && self->fraction < 1 && elapsed > 1)
    eta = sa_job_format_eta (elapsed * (1 - self->fraction) / self->fraction);
  if (eta)
    g_string_append_printf (text, " — %s", eta);
  g_free (self->text);
  self->text = g_string_free (text, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TEXT]);
}

static gboolean
flush_progress (gpointer user_data)
{
  SaJobRunner *self = user_data;
  g_autofree char *message = NULL;
  double fraction;

  g_mutex_lock (&self->lock);
  fraction = self->pending_fraction;
  message = g_steal_pointer (&self->pending_message);
  self->idle_id = 0;
  g_mutex_unlock (&self->lock);

  if (!self->running)
    return G_SOURCE_REMOVE;
  if (fraction >= 0)
    {
      self->fraction = CLAMP (fraction, 0, 1);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FRACTION]);
    }
  set_text (self, message);
  return G_SOURCE_REMOVE;
}

/* Worker thread. */
static void
report (double      fraction,
        const char *message,
        gpointer    user_data)
{
  SaJobRunner *self = user_data;

  g_mutex_lock (&self->lock);
  self->pending_fraction = fraction;
  if (message)
    {
      g_free (self->pending_message);
      self->pending_message = g_strdup (message);
    }
  if (self->idle_id == 0)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_callback (source, flush_progress, g_object_ref (self), g_object_unref);
      self->idle_id = g_source_attach (source, self->context);
      g_source_unref (source);
    }
  g_mutex_unlock (&self->lock);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  SaProgress progress = { report, source_object, 0, 1 };
  GError *error = NULL;
  gpointer result = job->func (job->data, &progress, cancellable, &error);

  if (error)
    {
      if (result && job->result_free)
        job->result_free (result);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, result, job->result_free);
}

typedef struct {
  GAsyncReadyCallback done;
  gpointer            user_data;
} Done;

static void
job_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  SaJobRunner *self = SA_JOB_RUNNER (source);
  Done *d = user_data;

  self->running = FALSE;
  g_clear_object (&self->cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
  if (d->done)
    d->done (source, result, d->user_data);
  g_free (d);
}

gboolean
sa_job_runner_start (SaJobRunner         *self,
                     const char          *title,
                     SaJobFunc            func,
                     gpointer             data,
                     GDestroyNotify       data_free,
                     GDestroyNotify       result_free,
                     GAsyncReadyCallback  done,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;
  Done *d;

  g_return_val_if_fail (SA_IS_JOB_RUNNER (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (self->running)
    {
      if (data_free)
        data_free (data);
      return FALSE;
    }
  self->running = TRUE;
  self->fraction = 0;
  self->started = g_get_monotonic_time ();
  g_free (self->title);
  self->title = g_strdup (title);
  self->cancellable = g_cancellable_new ();

  job = g_new0 (Job, 1);
  *job = (Job) { func, data, data_free, result_free };
  d = g_new0 (Done, 1);
  *d = (Done) { done, user_data };
  task = g_task_new (self, self->cancellable, job_done, d);
  g_task_set_source_tag (task, sa_job_runner_start);
  g_task_set_task_data (task, job, job_free);
  /* A cancelled job still reports through job_done, once its worker has
   * returned: nothing it owns is freed under it. */
  g_task_set_return_on_cancel (task, FALSE);
  /* The worker's own error (SA_ERROR_CANCELLED naming what stopped) wins. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, job_thread);

  set_text (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FRACTION]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
  return TRUE;
}

gpointer
sa_job_runner_finish (SaJobRunner  *self,
                      GAsyncResult *result,
                      GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sa_job_runner_cancel (SaJobRunner *self)
{
  g_return_if_fail (SA_IS_JOB_RUNNER (self));
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
}

typedef struct {
  GSourceFunc    func;
  gpointer       data;
  GDestroyNotify data_free;
  GCancellable  *cancellable;
} Post;

static gboolean
post_run (gpointer user_data)
{
  Post *p = user_data;

  if (!g_cancellable_is_cancelled (p->cancellable))
    p->func (p->data);
  return G_SOURCE_REMOVE;
}

static void
post_free (gpointer user_data)
{
  Post *p = user_data;

  if (p->data_free)
    p->data_free (p->data);
  g_clear_object (&p->cancellable);
  g_free (p);
}

void
sa_job_runner_post (SaJobRunner    *self,
                    GSourceFunc     func,
                    gpointer        data,
                    GDestroyNotify  data_free)
{
  Post *p = g_new0 (Post, 1);
  GSource *source;

  *p = (Post) { func, data, data_free, NULL };
  /* The cancellable is only replaced on the main thread after the job's
   * worker has returned, so reading it from the worker here is safe. */
  p->cancellable = self->cancellable ? g_object_ref (self->cancellable) : g_cancellable_new ();
  /* Always an idle, never g_main_context_invoke_full(): that calls @func
   * right here on the worker when the main context happens to be free (a
   * test iterating it by hand, between two iterations). At idle priority,
   * below input and redraw, as the progress is: a worker posting faster
   * than the window can show keeps it busy, never unresponsive. */
  source = g_idle_source_new ();
  g_source_set_callback (source, post_run, p, post_free);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

gboolean
sa_job_runner_get_running (SaJobRunner *self)
{
  g_return_val_if_fail (SA_IS_JOB_RUNNER (self), FALSE);
  return self->running;
}

double
sa_job_runner_get_fraction (SaJobRunner *self)
{
  g_return_val_if_fail (SA_IS_JOB_RUNNER (self), 0);
  return self->fraction;
}

const char *
sa_job_runner_get_text (SaJobRunner *self)
{
  g_return_val_if_fail (SA_IS_JOB_RUNNER (self), NULL);
  return self->text;
}

static void
sa_job_runner_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SaJobRunner *self = SA_JOB_RUNNER (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_job_runner_dispose (GObject *object)
{
  sa_job_runner_cancel (SA_JOB_RUNNER (object));
  G_OBJECT_CLASS (sa_job_runner_parent_class)->dispose (object);
}

static void
sa_job_runner_finalize (GObject *object)
{
  SaJobRunner *self = SA_JOB_RUNNER (object);

  g_clear_object (&self->cancellable);
  g_main_context_unref (self->context);
  g_free (self->title);
  g_free (self->text);
  g_free (self->pending_message);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (sa_job_runner_parent_class)->finalize (object);
}

static void
sa_job_runner_class_init (SaJobRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sa_job_runner_get_property;
  object_class->dispose = sa_job_runner_dispose;
  object_class->finalize = sa_job_runner_finalize;

  props[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL,
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
sa_job_runner_init (SaJobRunner *self)
{
  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
}

SaJobRunner *
sa_job_runner_new (void)
{
  return g_object_new (SA_TYPE_JOB_RUNNER, NULL);
}
