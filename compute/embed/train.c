#include "config.h"

#include <glib/gi18n.h>

#include "compute/embed/train.h"

#include <math.h>
#include <string.h>

#include "compute/embed/checkpoint.h"
#include "compute/error.h"

typedef struct {
  guint subject;
  guint run;
  int   start;
} Window;

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

/* One generator per (seed, stream): the split uses stream 0, the shuffle of
 * epoch e stream e + 1, so a resumed run draws what an uninterrupted one did. */
static GRand *
rand_for (guint64 seed,
          guint32 stream)
{
  guint32 key[3] = { (guint32) seed, (guint32) (seed >> 32), stream };

  return g_rand_new_with_seed_array (key, 3);
}

static void
shuffle (GRand *rand,
         guint *items,
         guint  n)
{
  for (guint i = n; i > 1; i--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) i);
      guint tmp = items[i - 1];

      items[i - 1] = items[j];
      items[j] = tmp;
    }
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return (x > y) - (x < y);
}

static GArray *
lookup_subjects (SaEmbedSource      *source,
                 const char *const  *names,
                 const char         *part,
                 GError            **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      int index = sa_embed_source_find_subject (source, names[i]);
      guint u;

      if (index < 0)
        {
          sa_set_error (error, SA_ERROR_NOT_FOUND, NULL,
                        _("%s subject \"%s\" is not in the dataset"), part, names[i]);
          return NULL;
        }
      u = (guint) index;
      g_array_append_val (out, u);
    }
  if (out->len == 0)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("an explicit split needs at least one %s subject"), part);
      return NULL;
    }
  return g_steal_pointer (&out);
}

gboolean
sa_embed_split (SaEmbedSource         *source,
                const SaEmbedOptions  *options,
                GArray               **train,
                GArray               **val,
                GArray               **test,
                GError               **error)
{
  guint n = sa_embed_source_n_subjects (source);
  guint n_test, n_val;
  g_autofree guint *order = NULL;
  g_autoptr(GRand) rand = NULL;

  if (options->train_subjects != NULL || options->val_subjects != NULL
      || options->test_subjects != NULL)
    {
      g_autoptr(GArray) a = lookup_subjects (source, options->train_subjects, "training", error);
      g_autoptr(GArray) b = a ? lookup_subjects (source, options->val_subjects, "validation", error) : NULL;
      g_autoptr(GArray) c = b ? lookup_subjects (source, options->test_subjects, "test", error) : NULL;

      if (c == NULL)
        return FALSE;
      *train = g_steal_pointer (&a);
      *val = g_steal_pointer (&b);
      *test = g_steal_pointer (&c);
      return TRUE;
    }

  if (n < 3)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("the embedding needs at least 3 subjects for its "
                    "train/validation/test split (60/10/30, one at least in each); "
                    "the dataset has %u"), n);
      return FALSE;
    }
  n_test = MAX (1, (guint) lround (0.3 * n));
  n_val = MAX (1, (guint) lround (0.1 * n));
  if (n_test + n_val >= n)
    n_test = n - n_val - 1;

  order = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    order[i] = i;
  rand = rand_for (options->seed, 0);
  shuffle (rand, order, n);

  *train = g_array_new (FALSE, FALSE, sizeof (guint));
  *val = g_array_new (FALSE, FALSE, sizeof (guint));
  *test = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_vals (*train, order, n - n_val - n_test);
  g_array_append_vals (*val, order + n - n_val - n_test, n_val);
  g_array_append_vals (*test, order + n - n_test, n_test);
  g_array_sort (*train, compare_uint);
  g_array_sort (*val, compare_uint);
  g_array_sort (*test, compare_uint);
  return TRUE;
}

static GArray *
make_windows (SaEmbedSource *source,
              GArray        *subjects,
              int            window,
              GError       **error)
{
  g_autoptr(GArray) windows = g_array_new (FALSE, FALSE, sizeof (Window));

  for (guint i = 0; i < subjects->len; i++)
    {
      guint s = g_array_index (subjects, guint, i);

      for (guint r = 0; r < sa_embed_source_n_runs (source, s); r++)
        {
          const SaEmbedRun *run = sa_embed_source_run (source, s, r);

          if (run->n_timepoints < window)
            {
              sa_set_error (error, SA_ERROR_MISMATCH, run->label,
                            _("run has %d TRs, fewer than the training window of %d TRs"),
                            run->n_timepoints, window);
              return NULL;
            }
          /* Non-overlapping windows: each TR is seen once per epoch. */
          for (int start = 0; start + window <= run->n_timepoints; start += window)
            {
              Window w = { s, r, start };

              g_array_append_val (windows, w);
            }
        }
    }
  return g_steal_pointer (&windows);
}

static gboolean
check_finite (const float       *data,
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

static gboolean
gather (SaEmbedSource *source,
        const Window  *windows,
        const guint   *order,
        guint          count,
        int            window,
        float         *buffer,
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
      if (!check_finite (buffer + i * size, size, n, w->start, run, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
torch_ok (SaTorchStatus   status,
          char           *message,
          GError        **error)
{
  if (status == SA_TORCH_OK)
    return TRUE;
  sa_set_error (error, SA_ERROR_TORCH, NULL, "%s", message ? message : "libtorch failed");
  sa_torch_free (message);
  return FALSE;
}

static GBytes *
save_state (SaTorchEmbed *model,
            GError      **error)
{
  void *data = NULL;
  size_t size = 0;
  char *message = NULL;

  if (!torch_ok (sa_torch_embed_save_state (model, &data, &size, &message), message, error))
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

  return torch_ok (sa_torch_embed_load_state (model, data, size, &message), message, error);
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
                   buffer, error))
        return FALSE;
      if (train)
        status = sa_torch_embed_train_step (model, buffer, count, window, &loss, &message);
      else
        status = sa_torch_embed_eval_loss (model, buffer, count, window, &loss, &message);
      if (!torch_ok (status, message, error))
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

static void
courses_free (gpointer data)
{
  SaEmbedCourses *c = data;

  g_free (c->subject);
  g_free (c->run_key);
  g_free (c->l);
  g_free (c);
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

/* Encodes run @r of subject @s; adds its reconstruction error and total
 * sum of squares (about each voxel's mean) to @sse and @sst when not NULL. */
static float *
encode_run (SaTorchEmbed  *model,
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
  if (!check_finite (data, (gsize) t * n, n, 0, run, error))
    goto fail;
  l = g_new (float, (gsize) t * m);
  if (!torch_ok (sa_torch_embed_encode (model, data, t, l, &message), message, error))
    goto fail;
  if (sse != NULL)
    {
      g_autofree double *mean = g_new0 (double, n);

      rec = g_new (float, (gsize) t * n);
      if (!torch_ok (sa_torch_embed_reconstruct (model, data, t, rec, &message), message, error))
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
static gboolean
infer (SaEmbedResult *result,
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
          l = encode_run (result->model, source, s, r, m, &sse, &sst, error);
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

static void
report_epoch (const SaEmbedOptions *options,
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
  if (sa_embed_source_n_runs (source, s) > 0)
    {
      /* A live view is a convenience: a run that cannot be read now will
       * fail the inference at the end, with its error. */
      info.l = encode_run (model, source, s, 0, options->m, NULL, NULL, NULL);
      if (info.l != NULL)
        info.l_t = sa_embed_source_run (source, s, 0)->n_timepoints;
    }
  options->epoch_func (&info, options->epoch_data);
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

static int
shortest_run (SaEmbedSource *source,
              GArray        *a,
              GArray        *b)
{
  int shortest = G_MAXINT;
  GArray *parts[2] = { a, b };

  for (int p = 0; p < 2; p++)
    for (guint i = 0; i < parts[p]->len; i++)
      {
        guint s = g_array_index (parts[p], guint, i);

        for (guint r = 0; r < sa_embed_source_n_runs (source, s); r++)
          shortest = MIN (shortest, sa_embed_source_run (source, s, r)->n_timepoints);
      }
  return shortest;
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
  window = options->window > 0 ? options->window : shortest_run (source, train, val);
  if (window == G_MAXINT || window < 1)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, NULL, _("the training subjects have no runs"));
      return NULL;
    }
  train_windows = make_windows (source, train, window, error);
  val_windows = train_windows ? make_windows (source, val, window, error) : NULL;
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
  result->courses = g_ptr_array_new_with_free_func (courses_free);
  result->best_val_loss = INFINITY;

  config.n_voxels = n;
  config.m = options->m;
  config.arch = options->arch;
  config.heads = options->heads;
  config.seed = options->seed;
  config.device = options->device;
  config.lr = options->lr;
  config.l1 = options->l1;
  if (!torch_ok (sa_torch_embed_new (&config, &result->model, &message), message, error))
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
      g_autoptr(GRand) rand = rand_for (options->seed, (guint32) epoch + 1);
      double train_loss, val_loss;
      gboolean best;

      for (guint i = 0; i < train_windows->len; i++)
        order[i] = i;
      shuffle (rand, order, train_windows->len);
      if (!run_batches (result->model, source, train_windows, order, window, options->batch,
                        buffer, TRUE, &train_loss, progress, epoch, options->epochs,
                        cancellable, error)
          || !run_batches (result->model, source, val_windows, val_order, window,
                           options->batch, buffer, FALSE, &val_loss, NULL, epoch,
                           options->epochs, cancellable, error))
        return NULL;

      g_array_append_val (result->train_loss, train_loss);
      g_array_append_val (result->val_loss, val_loss);
      best = val_loss < result->best_val_loss;
      if (best)
        {
          if (!torch_ok (sa_torch_embed_keep_best (result->model, &message), message, error))
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
        report_epoch (options, result->model, source, test, epoch, train_loss, val_loss, best);
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
      && !torch_ok (sa_torch_embed_use_best (result->model, &message), message, error))
    return NULL;
  g_clear_pointer (&buffer, g_free);

  result->w = g_new (float, (gsize) n * options->m);
  if (!torch_ok (sa_torch_embed_get_w (result->model, result->w, &message), message, error))
    return NULL;
  if (!infer (result, source, test, cancellable, error))
    return NULL;
  return g_steal_pointer (&result);
}
