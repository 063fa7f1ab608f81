#include "config.h"

#include <glib/gi18n.h>

#include "compute/embed/train.h"
#include "compute/embed/train-private.h"

#include <math.h>
#include <string.h>

#include "compute/embed/checkpoint.h"
#include "compute/error.h"

void
sa_embed_options_init (SaEmbedOptions *options)
{
  memset (options, 0, sizeof *options);
  options->m = 64;
  options->arch = SA_TORCH_EMBED_MSA;
  options->heads = 4;
  options->epochs = 100;
  options->batch = 16;
  options->lr = 0.01;
}

static const char *const arch_names[] = { "lt", "lstm", "msa" };

const char *
sa_embed_arch_name (SaTorchEmbedArch arch)
{
  return (guint) arch < G_N_ELEMENTS (arch_names) ? arch_names[arch] : "unknown";
}

gboolean
sa_embed_arch_parse (const char       *name,
                     SaTorchEmbedArch *arch)
{
  for (guint i = 0; i < G_N_ELEMENTS (arch_names); i++)
    if (g_strcmp0 (name, arch_names[i]) == 0)
      {
        *arch = (SaTorchEmbedArch) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
gather (SaEmbedSource *source,
        const Window  *windows,
        const guint   *order,
        guint          count,
        int            window,
        float         *buffer,
        gboolean       check,
        GError       **error)
{
  gint64 n = sa_embed_source_n_voxels (source);
  gsize size = (gsize) window * n;

  for (guint i = 0; i < count; i++)
    {
      const Window *w = &windows[order[i]];
      const SaEmbedRun *run = sa_embed_source_run (source, w->subject, w->run);
      const float *data = sa_embed_source_acquire (source, w->subject, w->run, error);

      if (data == NULL)
        return FALSE;
      memcpy (buffer + i * size, data + (gsize) w->start * n, size * sizeof (float));
      sa_embed_source_release (source, w->subject, w->run);
      if (check && !sa_embed_check_finite (buffer + i * size, size, n, w->start, run, error))
        return FALSE;
    }
  return TRUE;
}

static GBytes *
save_state (SaTorchEmbed *model,
            GError      **error)
{
  void *data = NULL;
  size_t size = 0;
  char *message = NULL;

  if (!sa_embed_torch_ok (sa_torch_embed_save_state (model, &data, &size, &message), message, error))
    return NULL;
  return g_bytes_new_with_free_func (data, size, sa_torch_free, data);
}

static gboolean
load_state (SaTorchEmbed *model,
            GBytes       *state,
            GError      **error)
{
  gsize size;
  const void *data = g_bytes_get_data (state, &size);
  char *message = NULL;

  return sa_embed_torch_ok (sa_torch_embed_load_state (model, data, size, &message), message, error);
}

static void
append_names (GString       *out,
              SaEmbedSource *source,
              GArray        *subjects)
{
  for (guint i = 0; i < subjects->len; i++)
    g_string_append_printf (out, "%s%s", i ? "," : "",
                            sa_embed_source_subject (source, g_array_index (subjects, guint, i)));
}

/* What a checkpoint must agree with to be resumed from (not the epoch count:
 * a finished run may be continued for more epochs). */
static char *
settings_string (SaEmbedSource        *source,
                 const SaEmbedOptions *options,
                 int                   window,
                 GArray               *train,
                 GArray               *val,
                 GArray               *test)
{
  GString *s = g_string_new (NULL);
  char lr[G_ASCII_DTOSTR_BUF_SIZE], l1[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (s, "voxels=%" G_GINT64_FORMAT " fbns=%d arch=%s heads=%d "
                          "window=%d batch=%d lr=%s l1=%s seed=%" G_GUINT64_FORMAT,
                          sa_embed_source_n_voxels (source), options->m,
                          sa_embed_arch_name (options->arch), options->heads, window,
                          options->batch, g_ascii_dtostr (lr, sizeof lr, options->lr),
                          g_ascii_dtostr (l1, sizeof l1, options->l1), options->seed);
  g_string_append (s, " train=");
  append_names (s, source, train);
  g_string_append (s, " val=");
  append_names (s, source, val);
  g_string_append (s, " test=");
  append_names (s, source, test);
  return g_string_free (s, FALSE);
}

static gboolean
run_batches (SaTorchEmbed  *model,
             SaEmbedSource *source,
             GArray        *windows,
             const guint   *order,
             int            window,
             int            batch,
             float         *buffer,
             gboolean       train,
             gboolean       check,
             double        *mean_loss,
             const SaProgress *progress,
             int            epoch,
             int            epochs,
             GCancellable  *cancellable,
             GError       **error)
{
  double sum = 0;
  guint n = windows->len;

  for (guint from = 0; from < n; from += (guint) batch)
    {
      guint count = MIN ((guint) batch, n - from);
      double loss = 0;
      char *message = NULL;
      SaTorchStatus status;

      if (sa_check_cancelled (cancellable, error))
        return FALSE;
      if (!gather (source, (const Window *) windows->data, order + from, count, window,
                   buffer, check, error))
        return FALSE;
      if (train)
        status = sa_torch_embed_train_step (model, buffer, count, window, &loss, &message);
      else
        status = sa_torch_embed_eval_loss (model, buffer, count, window, &loss, &message);
      if (!sa_embed_torch_ok (status, message, error))
        return FALSE;
      sum += loss * count;
      if (train && progress != NULL)
        {
          g_autofree char *text = g_strdup_printf ("epoch %d/%d, loss %.4f",
                                                   epoch + 1, epochs, sum / (from + count));

          sa_progress_report (progress, (epoch + (double) (from + count) / n) / epochs, text);
        }
    }
  *mean_loss = sum / n;
  return TRUE;
}

void
sa_embed_result_free (SaEmbedResult *result)
{
  if (result == NULL)
    return;
  g_free (result->w);
  g_clear_pointer (&result->train_loss, g_array_unref);
  g_clear_pointer (&result->val_loss, g_array_unref);
  g_clear_pointer (&result->train, g_ptr_array_unref);
  g_clear_pointer (&result->val, g_ptr_array_unref);
  g_clear_pointer (&result->test, g_ptr_array_unref);
  g_clear_pointer (&result->courses, g_ptr_array_unref);
  g_free (result->device);
  sa_torch_embed_free (result->model);
  g_free (result);
}

static GPtrArray *
subject_names (SaEmbedSource *source,
               GArray        *subjects)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < subjects->len; i++)
    g_ptr_array_add (out, g_strdup (sa_embed_source_subject (source,
                                                             g_array_index (subjects, guint, i))));
  return out;
}

static gboolean
check_options (const SaEmbedOptions *options,
               GError              **error)
{
  if (options->m < 1 || options->epochs < 1 || options->batch < 1 || options->window < 0
      || !(options->lr > 0) || !(options->l1 >= 0))
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("FBNs, epochs and batch must be at least 1, the window non-negative, "
                    "the learning rate positive and the L1 weight non-negative"));
      return FALSE;
    }
  if (options->arch == SA_TORCH_EMBED_MSA
      && (options->heads < 1 || options->m % options->heads != 0))
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("%d attention heads do not divide %d FBNs"), options->heads, options->m);
      return FALSE;
    }
  return TRUE;
}

SaEmbedResult *
sa_embed_train (SaEmbedSource        *source,
                const SaEmbedOptions *options,
                const SaProgress     *progress,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autoptr(GArray) train = NULL, val = NULL, test = NULL;
  g_autoptr(GArray) train_windows = NULL, val_windows = NULL;
  g_autoptr(SaEmbedResult) result = NULL;
  g_autoptr(SaEmbedCheckpoint) checkpoint = NULL;
  g_autofree char *settings = NULL;
  g_autofree float *buffer = NULL;
  g_autofree guint *order = NULL;
  g_autofree guint *val_order = NULL;
  SaTorchEmbedConfig config = { 0 };
  gint64 n = sa_embed_source_n_voxels (source);
  char *message = NULL;
  int window, start_epoch = 0;

  g_return_val_if_fail (source != NULL && options != NULL, NULL);

  if (!check_options (options, error))
    return NULL;
  if (n < 1)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, NULL,
                    _("the mask selects no voxel: nothing to embed"));
      return NULL;
    }
  if (!sa_embed_split (source, options, &train, &val, &test, error))
    return NULL;
  window = options->window > 0 ? options->window : sa_embed_shortest_run (source, train, val);
  if (window == G_MAXINT || window < 1)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, NULL, _("the training subjects have no runs"));
      return NULL;
    }
  train_windows = sa_embed_windows (source, train, window, error);
  val_windows = train_windows ? sa_embed_windows (source, val, window, error) : NULL;
  if (val_windows == NULL)
    return NULL;
  if (train_windows->len == 0 || val_windows->len == 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, NULL,
                    _("the training or validation subjects have no runs"));
      return NULL;
    }

  result = g_new0 (SaEmbedResult, 1);
  result->n_voxels = n;
  result->m = options->m;
  result->arch = options->arch;
  result->window = window;
  result->train_loss = g_array_new (FALSE, FALSE, sizeof (double));
  result->val_loss = g_array_new (FALSE, FALSE, sizeof (double));
  result->train = subject_names (source, train);
  result->val = subject_names (source, val);
  result->test = subject_names (source, test);
  result->courses = g_ptr_array_new_with_free_func (sa_embed_courses_free);
  result->best_val_loss = INFINITY;

  config.n_voxels = n;
  config.m = options->m;
  config.arch = options->arch;
  config.heads = options->heads;
  config.seed = options->seed;
  config.device = options->device;
  config.lr = options->lr;
  config.l1 = options->l1;
  if (!sa_embed_torch_ok (sa_torch_embed_new (&config, &result->model, &message), message, error))
    return NULL;
  result->device = g_strdup (sa_torch_embed_device (result->model));

  settings = settings_string (source, options, window, train, val, test);
  if (options->checkpoint != NULL && options->resume
      && g_file_test (options->checkpoint, G_FILE_TEST_EXISTS))
    {
      checkpoint = sa_embed_checkpoint_load (options->checkpoint, error);
      if (checkpoint == NULL)
        return NULL;
      if (g_strcmp0 (checkpoint->settings, settings) != 0)
        {
          sa_set_error (error, SA_ERROR_MISMATCH, options->checkpoint,
                        _("checkpoint was made with other settings (%s) than this run (%s); "
                        "remove it or start without resuming"),
                        checkpoint->settings, settings);
          return NULL;
        }
      if (!load_state (result->model, checkpoint->state, error))
        return NULL;
      start_epoch = checkpoint->epochs_done;
      result->resumed_from = start_epoch;
      g_array_append_vals (result->train_loss, checkpoint->train_loss->data,
                           checkpoint->train_loss->len);
      g_array_append_vals (result->val_loss, checkpoint->val_loss->data,
                           checkpoint->val_loss->len);
      result->best_epoch = checkpoint->best_epoch;
      result->best_val_loss = checkpoint->best_epoch > 0 ? checkpoint->best_val_loss : INFINITY;
    }

  buffer = g_try_new (float, (gsize) options->batch * window * n);
  if (buffer == NULL)
    {
      sa_set_error (error, SA_ERROR_FAILED, NULL,
                    "not enough memory for a batch of %d windows of %d TRs × %" G_GINT64_FORMAT
                    " voxels", options->batch, window, n);
      return NULL;
    }
  order = g_new (guint, train_windows->len);
  val_order = g_new (guint, val_windows->len);
  for (guint i = 0; i < val_windows->len; i++)
    val_order[i] = i;

  for (int epoch = start_epoch; epoch < options->epochs; epoch++)
    {
      g_autoptr(GRand) rand = sa_embed_rand (options->seed, (guint32) epoch + 1);
      double train_loss, val_loss;
      gboolean best;
      /* Every window is visited each epoch: checking them for NaNs in this
       * process's first epoch checks them all, without paying every epoch. */
      gboolean check = epoch == start_epoch;

      for (guint i = 0; i < train_windows->len; i++)
        order[i] = i;
      sa_embed_shuffle (rand, order, train_windows->len);
      if (!run_batches (result->model, source, train_windows, order, window, options->batch,
                        buffer, TRUE, check, &train_loss, progress, epoch,
                        options->epochs, cancellable, error)
          || !run_batches (result->model, source, val_windows, val_order, window,
                           options->batch, buffer, FALSE, check, &val_loss, NULL, epoch,
                           options->epochs, cancellable, error))
        return NULL;

      g_array_append_val (result->train_loss, train_loss);
      g_array_append_val (result->val_loss, val_loss);
      best = val_loss < result->best_val_loss;
      if (best)
        {
          if (!sa_embed_torch_ok (sa_torch_embed_keep_best (result->model, &message), message, error))
            return NULL;
          result->best_val_loss = val_loss;
          result->best_epoch = epoch + 1;
        }

      if (options->checkpoint != NULL)
        {
          g_autoptr(SaEmbedCheckpoint) c = sa_embed_checkpoint_new ();

          c->settings = g_strdup (settings);
          c->epochs_done = epoch + 1;
          g_array_append_vals (c->train_loss, result->train_loss->data, result->train_loss->len);
          g_array_append_vals (c->val_loss, result->val_loss->data, result->val_loss->len);
          c->best_epoch = result->best_epoch;
          c->best_val_loss = result->best_val_loss;
          c->state = save_state (result->model, error);
          if (c->state == NULL)
            return NULL;
          if (!sa_embed_checkpoint_save (c, options->checkpoint, error))
            return NULL;
        }
      if (options->epoch_func != NULL)
        sa_embed_report_epoch (options, result->model, source, test, epoch, train_loss, val_loss, best);
      if (progress != NULL)
        {
          g_autofree char *text = g_strdup_printf ("epoch %d/%d, loss %.4f, validation %.4f",
                                                   epoch + 1, options->epochs, train_loss,
                                                   val_loss);

          sa_progress_report (progress, (epoch + 1.0) / options->epochs, text);
        }
    }
  result->epochs_run = MAX (options->epochs, start_epoch);

  if (result->best_epoch > 0
      && !sa_embed_torch_ok (sa_torch_embed_use_best (result->model, &message), message, error))
    return NULL;
  g_clear_pointer (&buffer, g_free);

  result->w = g_new (float, (gsize) n * options->m);
  if (!sa_embed_torch_ok (sa_torch_embed_get_w (result->model, result->w, &message), message, error))
    return NULL;
  if (!sa_embed_infer (result, source, test, cancellable, error))
    return NULL;
  return g_steal_pointer (&result);
}

