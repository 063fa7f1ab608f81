/* The encoder–decoder through the shim's C API. */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "compute/torch/sa-torch-embed.h"
#include "tests/testutil.h"

/* Rank-@k data: T × n = A (T × k) · B (k × n) + small noise. */
static float *
low_rank (int t, int n, int k, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree double *a = g_new (double, (gsize) t * k);
  g_autofree double *b = g_new (double, (gsize) k * n);
  float *s = g_new (float, (gsize) t * n);

  for (int i = 0; i < t * k; i++)
    a[i] = g_rand_double_range (rand, -1, 1);
  for (int i = 0; i < k * n; i++)
    b[i] = g_rand_double_range (rand, -1, 1);
  for (int i = 0; i < t; i++)
    for (int v = 0; v < n; v++)
      {
        double x = 0.05 * g_rand_double_range (rand, -1, 1);

        for (int j = 0; j < k; j++)
          x += a[i * k + j] * b[j * n + v];
        s[(gsize) i * n + v] = (float) x;
      }
  return s;
}

static SaTorchEmbed *
new_model (int64_t n, int64_t m, SaTorchEmbedArch arch, uint64_t seed)
{
  SaTorchEmbedConfig config = { n, m, arch, 4, seed, "cpu", 0.01, 0 };
  SaTorchEmbed *model = NULL;
  char *msg = NULL;

  g_assert_cmpint (sa_torch_embed_new (&config, &model, &msg), ==, SA_TORCH_OK);
  g_assert_null (msg);
  return model;
}

static void
train_reduces_loss (gconstpointer data)
{
  SaTorchEmbedArch arch = GPOINTER_TO_INT (data);
  const int n = 200, t = 40, b = 4;
  g_autofree float *s = low_rank (b * t, n, 5, 1);
  SaTorchEmbed *model = new_model (n, 16, arch, 7);
  double first = 0, loss = 0, eval = 0;
  char *msg = NULL;

  g_assert_cmpint (sa_torch_embed_eval_loss (model, s, b, t, &first, &msg), ==, SA_TORCH_OK);
  for (int i = 0; i < 150; i++)
    g_assert_cmpint (sa_torch_embed_train_step (model, s, b, t, &loss, &msg), ==, SA_TORCH_OK);
  g_assert_cmpint (sa_torch_embed_eval_loss (model, s, b, t, &eval, &msg), ==, SA_TORCH_OK);
  g_test_message ("%s: MSE %.4f -> %.4f", arch == 0 ? "lt" : arch == 1 ? "lstm" : "msa",
                  first, eval);
  /* Rank-5 data through 16 FBNs: a working model explains most of it. */
  g_assert_cmpfloat (eval, <, 0.3 * first);
  sa_torch_embed_free (model);
}

static void
test_deterministic (void)
{
  const int n = 100, m = 8;
  g_autofree float *s = low_rank (2 * 20, n, 3, 2);
  g_autofree float *w1 = g_new (float, n * m);
  g_autofree float *w2 = g_new (float, n * m);
  g_autofree float *w3 = g_new (float, n * m);
  double loss;

  for (int run = 0; run < 3; run++)
    {
      SaTorchEmbed *model = new_model (n, m, SA_TORCH_EMBED_MSA, run < 2 ? 3 : 4);
      float *w = run == 0 ? w1 : run == 1 ? w2 : w3;

      for (int i = 0; i < 5; i++)
        g_assert_cmpint (sa_torch_embed_train_step (model, s, 2, 20, &loss, NULL), ==,
                         SA_TORCH_OK);
      g_assert_cmpint (sa_torch_embed_get_w (model, w, NULL), ==, SA_TORCH_OK);
      sa_torch_embed_free (model);
    }
  g_assert_cmpmem (w1, n * m * sizeof (float), w2, n * m * sizeof (float));
  g_assert_true (memcmp (w1, w3, n * m * sizeof (float)) != 0);
}

static void
test_w_roundtrip (void)
{
  const int n = 50, m = 4, t = 10;
  SaTorchEmbed *model = new_model (n, m, SA_TORCH_EMBED_LT, 1);
  g_autofree float *w = g_new (float, n * m);
  g_autofree float *back = g_new (float, n * m);
  g_autofree float *s = g_new0 (float, t * n);
  g_autofree float *l = g_new (float, t * m);

  for (int i = 0; i < n * m; i++)
    w[i] = (float) i / (n * m);
  g_assert_cmpint (sa_torch_embed_set_w (model, w, NULL), ==, SA_TORCH_OK);
  g_assert_cmpint (sa_torch_embed_get_w (model, back, NULL), ==, SA_TORCH_OK);
  g_assert_cmpmem (w, n * m * sizeof (float), back, n * m * sizeof (float));

  /* lt: L = S·W exactly. Voxel 3 on at every TR: L[t][j] = W[3][j]. */
  for (int i = 0; i < t; i++)
    s[i * n + 3] = 1.0f;
  g_assert_cmpint (sa_torch_embed_encode (model, s, t, l, NULL), ==, SA_TORCH_OK);
  for (int i = 0; i < t; i++)
    for (int j = 0; j < m; j++)
      g_assert_cmpfloat_with_epsilon (l[i * m + j], w[3 * m + j], 1e-6);
  sa_torch_embed_free (model);
}

/* A state saved mid-training and loaded into a fresh model continues
 * exactly as the original does: weights and Adam's moments travel. */
static void
test_state_roundtrip (void)
{
  const int n = 80, m = 8, t = 16;
  g_autofree float *s = low_rank (2 * t, n, 3, 5);
  SaTorchEmbed *a = new_model (n, m, SA_TORCH_EMBED_LSTM, 1);
  SaTorchEmbed *b = new_model (n, m, SA_TORCH_EMBED_LSTM, 2);
  SaTorchEmbed *other = new_model (n, m + 4, SA_TORCH_EMBED_LSTM, 2);
  g_autofree float *wa = g_new (float, n * m);
  g_autofree float *wb = g_new (float, n * m);
  g_autofree float *wbest = g_new (float, n * m);
  void *state = NULL;
  size_t size = 0;
  char *msg = NULL;
  double loss;

  g_assert_cmpint (sa_torch_embed_use_best (a, &msg), ==, SA_TORCH_INVALID_ARGUMENT);
  sa_torch_free (msg);
  msg = NULL;
  for (int i = 0; i < 3; i++)
    sa_torch_embed_train_step (a, s, 2, t, &loss, NULL);
  g_assert_cmpint (sa_torch_embed_keep_best (a, &msg), ==, SA_TORCH_OK);
  sa_torch_embed_get_w (a, wbest, NULL);
  g_assert_cmpint (sa_torch_embed_save_state (a, &state, &size, &msg), ==, SA_TORCH_OK);
  g_assert_cmpint (sa_torch_embed_load_state (b, state, size, &msg), ==, SA_TORCH_OK);
  for (int i = 0; i < 3; i++)
    {
      sa_torch_embed_train_step (a, s, 2, t, &loss, NULL);
      sa_torch_embed_train_step (b, s, 2, t, &loss, NULL);
    }
  sa_torch_embed_get_w (a, wa, NULL);
  sa_torch_embed_get_w (b, wb, NULL);
  g_assert_cmpmem (wa, n * m * sizeof (float), wb, n * m * sizeof (float));
  g_assert_true (memcmp (wa, wbest, n * m * sizeof (float)) != 0);
  /* The kept best weights travel in the state too. */
  g_assert_cmpint (sa_torch_embed_use_best (b, &msg), ==, SA_TORCH_OK);
  sa_torch_embed_get_w (b, wb, NULL);
  g_assert_cmpmem (wbest, n * m * sizeof (float), wb, n * m * sizeof (float));

  g_assert_cmpint (sa_torch_embed_load_state (other, state, size, &msg), !=, SA_TORCH_OK);
  g_assert_nonnull (strstr (msg, "another size"));
  sa_torch_free (msg);
  msg = NULL;
  g_assert_cmpint (sa_torch_embed_load_state (other, "garbage", 7, &msg), !=, SA_TORCH_OK);
  g_assert_nonnull (msg);
  sa_torch_free (msg);

  sa_torch_free (state);
  sa_torch_embed_free (a);
  sa_torch_embed_free (b);
  sa_torch_embed_free (other);
}

/* The paper's wider settings build and take a step at a realistic voxel count. */
static void
test_wide (void)
{
  const int n = 2000, t = 30;
  g_autofree float *s = low_rank (t, n, 4, 9);

  for (int m = 128; m <= 512; m *= 2)
    for (int arch = 0; arch < 3; arch++)
      {
        SaTorchEmbed *model = new_model (n, m, arch, 1);
        double loss = 0;
        char *msg = NULL;

        g_assert_cmpint (sa_torch_embed_train_step (model, s, 1, t, &loss, &msg), ==,
                         SA_TORCH_OK);
        g_assert_true (isfinite (loss));
        sa_torch_embed_free (model);
      }
}

static void
test_bad_arguments (void)
{
  SaTorchEmbedConfig config = { 100, 10, SA_TORCH_EMBED_MSA, 4, 0, "cpu", 0.01, 0 };
  SaTorchEmbed *model = NULL;
  char *msg = NULL;
  float x[4] = { 0 };
  double loss;

  g_assert_cmpint (sa_torch_embed_new (&config, &model, &msg), ==, SA_TORCH_INVALID_ARGUMENT);
  g_assert_null (model);
  g_assert_nonnull (strstr (msg, "heads"));
  sa_torch_free (msg);
  msg = NULL;

  config.heads = 5;
  config.device = "tpu";
  g_assert_cmpint (sa_torch_embed_new (&config, &model, &msg), ==, SA_TORCH_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (msg, "tpu"));
  sa_torch_free (msg);
  msg = NULL;

  config.device = "cuda:77";
  g_assert_cmpint (sa_torch_embed_new (&config, &model, &msg), ==, SA_TORCH_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (msg, "cuda:77"));
  sa_torch_free (msg);
  msg = NULL;

  config.device = "cpu";
  config.lr = 1e30;
  g_assert_cmpint (sa_torch_embed_new (&config, &model, &msg), ==, SA_TORCH_OK);
  g_assert_cmpint (sa_torch_embed_train_step (model, NULL, 1, 1, &loss, &msg), ==,
                   SA_TORCH_INVALID_ARGUMENT);
  sa_torch_free (msg);
  msg = NULL;
  /* A NaN in the batch stops before the step, with a message. */
  {
    g_autofree float *s = g_new0 (float, 100 * 2);

    s[7] = NAN;
    g_assert_cmpint (sa_torch_embed_train_step (model, s, 1, 2, &loss, &msg), ==, SA_TORCH_ERROR);
    g_assert_nonnull (strstr (msg, "not finite"));
    sa_torch_free (msg);
  }
  (void) x;
  sa_torch_embed_free (model);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/compute/embed/model/train-lt", GINT_TO_POINTER (SA_TORCH_EMBED_LT),
                        train_reduces_loss);
  g_test_add_data_func ("/compute/embed/model/train-lstm",
                        GINT_TO_POINTER (SA_TORCH_EMBED_LSTM), train_reduces_loss);
  g_test_add_data_func ("/compute/embed/model/train-msa", GINT_TO_POINTER (SA_TORCH_EMBED_MSA),
                        train_reduces_loss);
  g_test_add_func ("/compute/embed/model/deterministic", test_deterministic);
  g_test_add_func ("/compute/embed/model/w-roundtrip", test_w_roundtrip);
  g_test_add_func ("/compute/embed/model/state-roundtrip", test_state_roundtrip);
  g_test_add_func ("/compute/embed/model/wide", test_wide);
  g_test_add_func ("/compute/embed/model/bad-arguments", test_bad_arguments);
  return g_test_run ();
}
