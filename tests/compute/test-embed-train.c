/* The embedding trainer: split, windows, checkpoints and resume, bad input. */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "compute/embed/outputs.h"
#include "compute/embed/train.h"
#include "compute/io/tsv.h"
#include <json-glib/json-glib.h>
#include "compute/error.h"
#include "tests/testutil.h"

typedef struct {
  SaEmbedSource *source;
  GPtrArray     *buffers;
} Data;

/* @n_subjects subjects, one run each of @t TRs × @n voxels: a shared rank-3
 * signal plus subject noise. Mechanics only; quality is tested on planted
 * networks in test-embed-planted.c. */
static Data *
data_new (int n_subjects, int t, int n)
{
  Data *data = g_new0 (Data, 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autofree double *a = g_new (double, t * 3);
  g_autofree double *b = g_new (double, 3 * n);

  for (int i = 0; i < t * 3; i++)
    a[i] = g_rand_double_range (rand, -1, 1);
  for (int i = 0; i < 3 * n; i++)
    b[i] = g_rand_double_range (rand, -1, 1);
  data->source = sa_embed_source_new_memory (n);
  data->buffers = g_ptr_array_new_with_free_func (g_free);
  for (int s = 0; s < n_subjects; s++)
    {
      float *x = g_new (float, (gsize) t * n);
      g_autofree char *name = g_strdup_printf ("%02d", s + 1);

      for (int i = 0; i < t; i++)
        for (int v = 0; v < n; v++)
          {
            double y = 0.3 * g_rand_double_range (rand, -1, 1);

            for (int j = 0; j < 3; j++)
              y += a[i * 3 + j] * b[j * n + v];
            x[(gsize) i * n + v] = (float) y;
          }
      g_ptr_array_add (data->buffers, x);
      sa_embed_source_add_memory_run (data->source, name, "task-movie", x, t);
    }
  return data;
}

static void
data_free (Data *data)
{
  sa_embed_source_free (data->source);
  g_ptr_array_unref (data->buffers);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Data, data_free)

static void
small_options (SaEmbedOptions *options)
{
  sa_embed_options_init (options);
  options->m = 8;
  options->heads = 2;
  options->epochs = 4;
  options->window = 20;
  options->batch = 4;
  options->seed = 42;
  options->device = "cpu";
}

static char *
join (GArray *indices)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < indices->len; i++)
    g_string_append_printf (s, "%s%u", i ? "," : "", g_array_index (indices, guint, i));
  return g_string_free (s, FALSE);
}

static void
test_split (void)
{
  g_autoptr(Data) data = data_new (10, 20, 10);
  SaEmbedOptions options;
  g_autoptr(GArray) tr = NULL, va = NULL, te = NULL, tr2 = NULL, va2 = NULL, te2 = NULL;
  g_autoptr(GArray) tr3 = NULL, va3 = NULL, te3 = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  gboolean seen[10] = { FALSE };

  small_options (&options);
  g_assert_true (sa_embed_split (data->source, &options, &tr, &va, &te, NULL));
  g_assert_cmpuint (tr->len, ==, 6);
  g_assert_cmpuint (va->len, ==, 1);
  g_assert_cmpuint (te->len, ==, 3);
  GArray *parts[3] = { tr, va, te };
  for (int p = 0; p < 3; p++)
    for (guint i = 0; i < parts[p]->len; i++)
      {
        guint s = g_array_index (parts[p], guint, i);

        g_assert_false (seen[s]);
        seen[s] = TRUE;
      }

  g_assert_true (sa_embed_split (data->source, &options, &tr2, &va2, &te2, NULL));
  a = join (te);
  b = join (te2);
  g_assert_cmpstr (a, ==, b);
  options.seed = 43;
  g_assert_true (sa_embed_split (data->source, &options, &tr3, &va3, &te3, NULL));
  c = g_strconcat (join (tr3), "|", join (te3), NULL);
  g_test_message ("seed 42 test %s; seed 43 train|test %s", a, c);
}

static void
test_split_explicit (void)
{
  g_autoptr(Data) data = data_new (4, 20, 10);
  SaEmbedOptions options;
  const char *train[] = { "01", "02", NULL };
  const char *val[] = { "03", NULL };
  const char *test[] = { "04", NULL };
  const char *bad[] = { "99", NULL };
  g_autoptr(GArray) tr = NULL, va = NULL, te = NULL;
  g_autoptr(GError) error = NULL;

  small_options (&options);
  options.train_subjects = train;
  options.val_subjects = val;
  options.test_subjects = test;
  g_assert_true (sa_embed_split (data->source, &options, &tr, &va, &te, NULL));
  g_assert_cmpuint (g_array_index (te, guint, 0), ==, 3);
  options.test_subjects = bad;
  g_assert_false (sa_embed_split (data->source, &options, &tr, &va, &te, &error));
  g_assert_nonnull (strstr (error->message, "\"99\""));
}

static void
test_too_few_subjects (void)
{
  g_autoptr(Data) data = data_new (2, 40, 30);
  SaEmbedOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaEmbedResult) result = NULL;

  small_options (&options);
  result = sa_embed_train (data->source, &options, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "at least 3 subjects"));
  g_assert_nonnull (strstr (error->message, "has 2"));
}

static void
test_window_too_long (void)
{
  g_autoptr(Data) data = data_new (5, 30, 30);
  SaEmbedOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaEmbedResult) result = NULL;

  small_options (&options);
  options.window = 31;
  result = sa_embed_train (data->source, &options, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SA_ERROR, SA_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "30 TRs"));
  g_assert_nonnull (strstr (error->message, "window of 31"));
  g_assert_true (g_str_has_prefix (error->message, "sub-"));
}

static void
test_nan (void)
{
  g_autoptr(Data) data = data_new (5, 40, 30);
  SaEmbedOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaEmbedResult) result = NULL;

  small_options (&options);
  /* Every subject's run is read during training, validation or inference. */
  for (guint i = 0; i < data->buffers->len; i++)
    ((float *) g_ptr_array_index (data->buffers, i))[25 * 30 + 4] = NAN;
  result = sa_embed_train (data->source, &options, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SA_ERROR, SA_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "NaN"));
  g_assert_nonnull (strstr (error->message, "TR 25, voxel 4"));
}

static void
test_empty_mask (void)
{
  g_autoptr(SaEmbedSource) source = sa_embed_source_new_memory (0);
  static const float none[1];
  SaEmbedOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaEmbedResult) result = NULL;

  for (int s = 0; s < 4; s++)
    {
      g_autofree char *name = g_strdup_printf ("%d", s);

      sa_embed_source_add_memory_run (source, name, "task-movie", none, 40);
    }
  small_options (&options);
  result = sa_embed_train (source, &options, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_nonnull (strstr (error->message, "selects no voxel"));
}

typedef struct {
  GCancellable *cancellable;
  int           stop_after;
  int           calls;
  double        last_val;
} Watch;

static void
on_epoch (const SaEmbedEpoch *epoch,
          gpointer            user_data)
{
  Watch *watch = user_data;

  g_assert_nonnull (epoch->w);
  g_assert_nonnull (epoch->l);
  g_assert_cmpint (epoch->l_t, ==, 60);
  watch->calls++;
  watch->last_val = epoch->val_loss;
  if (watch->stop_after > 0 && epoch->epoch == watch->stop_after)
    g_cancellable_cancel (watch->cancellable);
  g_free (epoch->w);
  g_free (epoch->l);
}

static SaEmbedResult *
train (Data *data, SaEmbedOptions *options, GError **error)
{
  return sa_embed_train (data->source, options, NULL, NULL, error);
}

/* A run cancelled after epoch 2 and resumed from its checkpoint ends with
 * the weights, losses and time courses of a run never interrupted. */
static void
test_resume (gconstpointer arch_data)
{
  g_autoptr(Data) data = data_new (6, 60, 150);
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *ck_a = g_build_filename (dir, "a.ckpt", NULL);
  g_autofree char *ck_b = g_build_filename (dir, "b.ckpt", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Watch watch = { cancellable, 2, 0, 0 };
  SaEmbedOptions options;
  g_autoptr(SaEmbedResult) whole = NULL;
  g_autoptr(SaEmbedResult) cut = NULL;
  g_autoptr(SaEmbedResult) resumed = NULL;
  g_autoptr(GError) error = NULL;
  gsize n_w;

  small_options (&options);
  options.arch = GPOINTER_TO_INT (arch_data);
  options.checkpoint = ck_a;
  whole = train (data, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (whole->epochs_run, ==, 4);

  options.checkpoint = ck_b;
  options.epoch_func = on_epoch;
  options.epoch_data = &watch;
  cut = sa_embed_train (data->source, &options, NULL, cancellable, &error);
  g_assert_null (cut);
  g_assert_error (error, SA_ERROR, SA_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (watch.calls, ==, 2);

  options.resume = TRUE;
  watch.stop_after = 0;
  resumed = train (data, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (resumed->resumed_from, ==, 2);
  g_assert_cmpint (watch.calls, ==, 4);
  g_assert_cmpint (resumed->best_epoch, ==, whole->best_epoch);

  n_w = (gsize) whole->n_voxels * whole->m * sizeof (float);
  g_assert_cmpmem (whole->w, n_w, resumed->w, n_w);
  g_assert_cmpmem (whole->train_loss->data, 4 * sizeof (double),
                   resumed->train_loss->data, 4 * sizeof (double));
  g_assert_cmpmem (whole->val_loss->data, 4 * sizeof (double),
                   resumed->val_loss->data, 4 * sizeof (double));
  {
    const SaEmbedCourses *a = sa_embed_result_mean (whole, NULL);
    const SaEmbedCourses *b = sa_embed_result_mean (resumed, NULL);

    g_assert_cmpint (a->n_timepoints, ==, 60);
    g_assert_cmpmem (a->l, 60 * whole->m * sizeof (float), b->l, 60 * whole->m * sizeof (float));
  }

  /* Another seed is another run: its checkpoint is refused, by name. */
  options.seed = 7;
  g_assert_null (train (data, &options, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_MISMATCH);
  g_assert_true (g_str_has_prefix (error->message, ck_b));
}

typedef struct {
  float      *l;
  int         l_t, l_subjects, calls;
  char       *run_key;
} LiveWatch;

static void
keep_epoch (const SaEmbedEpoch *epoch,
            gpointer            user_data)
{
  LiveWatch *watch = user_data;

  watch->calls++;
  g_free (watch->l);
  g_free (watch->run_key);
  watch->l = epoch->l;
  watch->l_t = epoch->l_t;
  watch->l_subjects = epoch->l_subjects;
  watch->run_key = g_strdup (epoch->run_key);
  g_free (epoch->w);
}

/* With epoch_run_key the live view is the mean over the test subjects: after
 * one epoch (the best, so the final weights) it is the result's mean. */
static void
test_epoch_mean (void)
{
  g_autoptr(Data) data = data_new (10, 50, 120);
  SaEmbedOptions options;
  LiveWatch watch = { 0 };
  g_autoptr(SaEmbedResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const SaEmbedCourses *mean;

  small_options (&options);
  options.epochs = 1;
  options.epoch_func = keep_epoch;
  options.epoch_data = &watch;
  options.epoch_run_key = "task-movie";
  result = sa_embed_train (data->source, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (watch.calls, ==, 1);
  g_assert_cmpstr (watch.run_key, ==, "task-movie");
  g_assert_cmpint (watch.l_subjects, ==, (int) result->test->len);
  g_assert_cmpint (watch.l_subjects, >, 1);
  mean = sa_embed_result_mean (result, "task-movie");
  g_assert_cmpint (watch.l_t, ==, mean->n_timepoints);
  for (gsize j = 0; j < (gsize) mean->n_timepoints * result->m; j++)
    g_assert_cmpfloat_with_epsilon (watch.l[j], mean->l[j], 1e-5);

  /* A key no test subject has: the first test subject's first run. */
  options.epoch_run_key = "task-nothing";
  g_clear_pointer (&result, sa_embed_result_free);
  result = sa_embed_train (data->source, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (watch.l_subjects, ==, 1);
  g_assert_cmpstr (watch.run_key, ==, "task-movie");
  g_free (watch.l);
  g_free (watch.run_key);
}

static void
test_damaged_checkpoint (void)
{
  g_autoptr(Data) data = data_new (4, 40, 20);
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *ck = g_build_filename (dir, "x.ckpt", NULL);
  SaEmbedOptions options;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (ck, "SYNCACT-EMBED-CHECKPOINT 2\n{\"settings\":", -1, NULL));
  small_options (&options);
  options.checkpoint = ck;
  options.resume = TRUE;
  g_assert_null (train (data, &options, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, ck));
}

static void
test_outputs_shape (void)
{
  g_autoptr(Data) data = data_new (10, 60, 100);
  SaEmbedOptions options;
  g_autoptr(SaEmbedResult) result = NULL;
  g_autoptr(GError) error = NULL;

  small_options (&options);
  options.arch = SA_TORCH_EMBED_LT;
  options.epochs = 3;
  result = train (data, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->test->len, ==, 3);
  /* 3 test subjects, 1 run each, then 1 mean. */
  g_assert_cmpuint (result->courses->len, ==, 4);
  g_assert_cmpuint (result->train_loss->len, ==, 3);
  g_assert_true (result->best_epoch >= 1 && result->best_epoch <= 3);
  g_assert_true (isfinite (result->test_r2));
  g_test_message ("lt, 3 epochs: train loss %.3f -> %.3f, test R2 %.3f",
                  g_array_index (result->train_loss, double, 0),
                  g_array_index (result->train_loss, double, 2), result->test_r2);
  g_assert_cmpfloat (g_array_index (result->train_loss, double, 2), <,
                     g_array_index (result->train_loss, double, 0));

  /* Tables and sidecar; the maps need a mask (tested with the CLI). */
  {
    g_autofree char *dir = sa_test_tmpdir ();
    g_autofree char *out = g_build_filename (dir, "derivatives", "syncact", NULL);
    g_autofree char *mean = g_build_filename (out, "task-movie_desc-FBN_mixing.tsv", NULL);
    g_autofree char *sub = g_strdup_printf ("sub-%s/func/sub-%s_task-movie_desc-FBN_mixing.tsv",
                                            (char *) g_ptr_array_index (result->test, 0),
                                            (char *) g_ptr_array_index (result->test, 0));
    g_autofree char *sub_path = g_build_filename (out, sub, NULL);
    g_autofree char *json = g_build_filename (out, "task-movie_desc-FBN_components.json", NULL);
    g_autofree char *blocker = g_build_filename (dir, "file", NULL);
    g_autofree char *under = g_build_filename (blocker, "out", NULL);
    g_autoptr(JsonParser) parser = json_parser_new ();
    SaEmbedOutputs outputs = { out, "task-movie", &options, "memory", "test", 2.0 };
    g_auto(GStrv) columns = NULL;
    g_autofree double *values = NULL;
    int rows = 0, cols = 0;
    JsonObject *root, *split;
    const SaEmbedCourses *c = sa_embed_result_mean (result, "task-movie");

    g_assert_true (sa_embed_write_outputs (&outputs, result, &error));
    g_assert_true (sa_tsv_read_matrix (mean, &columns, &rows, &cols, &values, &error));
    g_assert_cmpint (rows, ==, 60);
    g_assert_cmpint (cols, ==, 8);
    g_assert_cmpstr (columns[0], ==, "fbn-001");
    g_assert_cmpstr (columns[7], ==, "fbn-008");
    for (int i = 0; i < rows * cols; i++)
      g_assert_cmpfloat (fabs (values[i] - c->l[i]), <=, 1e-6 * (1 + fabs (c->l[i])));
    g_assert_true (g_file_test (sub_path, G_FILE_TEST_EXISTS));
    g_assert_true (json_parser_load_from_file (parser, json, &error));
    root = json_node_get_object (json_parser_get_root (parser));
    split = json_object_get_object_member (root, "Split");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (split, "test")), ==, 3);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
        json_object_get_object_member (root, "Losses"), "validation")), ==, 3);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "Parameters"),
                                                 "seed"), ==, 42);

    /* An output folder that cannot be made: one error naming it. */
    g_assert_true (g_file_set_contents (blocker, "x", -1, NULL));
    outputs.out_dir = under;
    g_assert_false (sa_embed_write_outputs (&outputs, result, &error));
    g_assert_error (error, SA_ERROR, SA_ERROR_IO);
    g_assert_true (g_str_has_prefix (error->message, under));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/embed/train/split", test_split);
  g_test_add_func ("/compute/embed/train/split-explicit", test_split_explicit);
  g_test_add_func ("/compute/embed/train/too-few-subjects", test_too_few_subjects);
  g_test_add_func ("/compute/embed/train/window-too-long", test_window_too_long);
  g_test_add_func ("/compute/embed/train/nan", test_nan);
  g_test_add_func ("/compute/embed/train/empty-mask", test_empty_mask);
  g_test_add_func ("/compute/embed/train/damaged-checkpoint", test_damaged_checkpoint);
  g_test_add_func ("/compute/embed/train/outputs", test_outputs_shape);
  g_test_add_func ("/compute/embed/train/epoch-mean", test_epoch_mean);
  g_test_add_data_func ("/compute/embed/train/resume-msa", GINT_TO_POINTER (SA_TORCH_EMBED_MSA),
                        test_resume);
  g_test_add_data_func ("/compute/embed/train/resume-lstm",
                        GINT_TO_POINTER (SA_TORCH_EMBED_LSTM), test_resume);
  return g_test_run ();
}
