#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "compute/torch/sa-torch-model.h"
#include "tests/testutil.h"

/* The torchvision models and their forward-hook outputs are made once, by
 * the first test that needs them. */
static char *tv_dir;
static char *tv_manifest;
static gboolean tv_tried;

static gboolean
tv_setup (void)
{
  if (!tv_tried)
    {
      const char *argv[] = { NULL, "112", NULL };
      tv_tried = TRUE;
      tv_dir = sa_test_tmpdir ();
      argv[0] = tv_dir;
      tv_manifest = sa_test_python ("tests/py/make_torchvision_models.py", argv);
    }
  if (tv_manifest == NULL)
    g_test_skip ("torchvision models not available");
  return tv_manifest != NULL;
}

static float *
read_floats (const char *path,
             gsize       expected)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, expected * sizeof (float));
  return (float *) data;
}

static SaTorchModel *
load_ok (const char *path)
{
  SaTorchModel *model = NULL;
  char *msg = NULL;
  SaTorchStatus st = sa_torch_model_load (path, "cpu", &model, &msg);

  if (st != SA_TORCH_OK)
    g_error ("%s: %s", path, msg);
  return model;
}

/* Every recorded layer of @arch, tapped all at once, against the hooks. */
static void
test_torchvision (gconstpointer data)
{
  const char *name = data;   /* "arch/script" or "arch/trace" */
  g_auto(GStrv) parts = g_strsplit (name, "/", 2);
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) dims = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;
  g_autofree char *pt = NULL;
  g_autofree char *input_path = NULL;
  g_autofree float *input = NULL;
  SaTorchModel *model;
  SaTorchTap *tap = NULL;
  char *msg = NULL;

  if (!tv_setup ())
    return;
  lines = g_strsplit (tv_manifest, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", 3);
      if (g_strv_length (f) == 3 && g_str_equal (f[0], parts[0]))
        {
          g_ptr_array_add (layers, g_strdup (f[1]));
          g_ptr_array_add (dims, g_strdup (f[2]));
        }
    }
  g_assert_cmpuint (layers->len, >, 0);

  pt = g_strdup_printf ("%s/%s-%s.pt", tv_dir, parts[0], parts[1]);
  model = load_ok (pt);
  input_path = g_build_filename (tv_dir, "input.bin", NULL);
  input = read_floats (input_path, 3 * 112 * 112);

  if (sa_torch_tap_new (model, (const char *const *) layers->pdata, layers->len,
                        &tap, &msg) != SA_TORCH_OK)
    g_error ("%s: %s", pt, msg);
  if (sa_torch_tap_run (tap, input, 1, 112, 112, &msg) != SA_TORCH_OK)
    g_error ("%s: %s", pt, msg);

  for (guint l = 0; l < layers->len; l++)
    {
      g_auto(GStrv) d = g_strsplit (dims->pdata[l], ",", -1);
      int64_t shape[SA_TORCH_MAX_DIMS];
      const float *got = NULL;
      g_autofree float *want = NULL;
      g_autofree char *ref = NULL;
      gsize numel = 1;
      double max_ref = 0, max_diff = 0;
      int nd = sa_torch_tap_output (tap, l, &got, shape);

      g_assert_cmpint (nd, ==, (int) g_strv_length (d));
      for (int k = 0; k < nd; k++)
        {
          g_assert_cmpint (shape[k], ==, g_ascii_strtoll (d[k], NULL, 10));
          numel *= shape[k];
        }
      ref = g_strdup_printf ("%s/%s--%s.bin", tv_dir, parts[0], (char *) layers->pdata[l]);
      want = read_floats (ref, numel);
      for (gsize i = 0; i < numel; i++)
        {
          max_ref = MAX (max_ref, fabs (want[i]));
          max_diff = MAX (max_diff, fabs (want[i] - got[i]));
        }
      g_test_message ("%s %s: max |ref| %g, max diff %g", name,
                      (char *) layers->pdata[l], max_ref, max_diff);
      g_assert_cmpfloat (max_ref, >, 0);
      g_assert_cmpfloat (max_diff, <=, 1e-4 * max_ref);
    }
  sa_torch_tap_free (tap);
  sa_torch_model_free (model);
}

static void
test_democnn_modules (void)
{
  SaTorchModel *model = load_ok ("builtin:democnn");
  const char *want_names[] = { "", "conv1", "conv2", "conv3", "fc" };
  const int64_t want_c[] = { 10, 16, 32, 64, 10 };
  int64_t shape[SA_TORCH_MAX_DIMS];
  char *msg = NULL;

  g_assert_cmpuint (sa_torch_model_n_modules (model), ==, 5);
  for (size_t i = 0; i < 5; i++)
    g_assert_cmpstr (sa_torch_model_module_name (model, i), ==, want_names[i]);
  g_assert_cmpstr (sa_torch_model_module_type (model, 1), ==, "GaborConv2d");

  g_assert_cmpint (sa_torch_model_probe (model, 256, 180, &msg), ==, SA_TORCH_OK);
  g_assert_cmpint (sa_torch_model_module_shape (model, 0, shape), ==, 0);
  for (size_t i = 1; i < 4; i++)
    {
      g_assert_cmpint (sa_torch_model_module_shape (model, i, shape), ==, 4);
      g_assert_cmpint (shape[1], ==, want_c[i]);
    }
  /* 256x180 -> conv1 stride 2 -> 128x90 */
  sa_torch_model_module_shape (model, 1, shape);
  g_assert_cmpint (shape[2], ==, 90);
  g_assert_cmpint (shape[3], ==, 128);
  g_assert_cmpint (sa_torch_model_module_shape (model, 4, shape), ==, 2);
  g_assert_cmpint (shape[1], ==, 10);
  sa_torch_model_free (model);
}

/* Deterministic, and the same network Python sees after a save. */
static void
test_democnn_save (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *pt = g_build_filename (dir, "democnn.pt", NULL);
  g_autofree char *in_path = g_build_filename (dir, "in.bin", NULL);
  g_autofree char *out_path = g_build_filename (dir, "conv2.bin", NULL);
  g_autofree float *input = g_new (float, 2 * 3 * 40 * 48);
  SaTorchModel *a = load_ok ("builtin:democnn");
  SaTorchModel *b = load_ok ("builtin:democnn");
  const char *layers[] = { "conv2" };
  SaTorchTap *ta = NULL, *tb = NULL;
  const float *oa, *ob;
  int64_t sa[SA_TORCH_MAX_DIMS], sb[SA_TORCH_MAX_DIMS];
  char *msg = NULL;
  gsize numel;
  g_autofree char *py_out = NULL;

  for (int i = 0; i < 2 * 3 * 40 * 48; i++)
    input[i] = sinf (i * 0.37f) * 1.5f;
  g_assert_cmpint (sa_torch_tap_new (a, layers, 1, &ta, &msg), ==, SA_TORCH_OK);
  g_assert_cmpint (sa_torch_tap_new (b, layers, 1, &tb, &msg), ==, SA_TORCH_OK);
  g_assert_cmpint (sa_torch_tap_run (ta, input, 2, 40, 48, &msg), ==, SA_TORCH_OK);
  g_assert_cmpint (sa_torch_tap_run (tb, input, 2, 40, 48, &msg), ==, SA_TORCH_OK);
  g_assert_cmpint (sa_torch_tap_output (ta, 0, &oa, sa), ==, 4);
  g_assert_cmpint (sa_torch_tap_output (tb, 0, &ob, sb), ==, 4);
  numel = sa[0] * sa[1] * sa[2] * sa[3];
  g_assert_cmpint (sa[0], ==, 2);
  g_assert_cmpint (sa[1], ==, 32);
  g_assert_cmpmem (oa, numel * sizeof (float), ob, numel * sizeof (float));

  g_assert_cmpint (sa_torch_model_save (a, pt, &msg), ==, SA_TORCH_OK);
  g_assert_true (g_file_set_contents (in_path, (const char *) input,
                                      2 * 3 * 40 * 48 * sizeof (float), NULL));
  {
    const char *argv[] = { pt, in_path, "2,3,40,48", "conv2", out_path, NULL };
    py_out = sa_test_python ("tests/py/run_torchscript_layer.py", argv);
  }
  if (py_out != NULL)
    {
      g_autofree float *want = read_floats (out_path, numel);
      for (gsize i = 0; i < numel; i++)
        g_assert_cmpfloat (fabsf (want[i] - oa[i]), <=, 1e-5f);
    }
  sa_torch_tap_free (ta);
  sa_torch_tap_free (tb);
  sa_torch_model_free (a);
  sa_torch_model_free (b);
}

static void
test_not_torchscript (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "model.pt", NULL);
  SaTorchModel *model = NULL;
  char *msg = NULL;

  g_assert_true (g_file_set_contents (path, "not a model\n", -1, NULL));
  g_assert_cmpint (sa_torch_model_load (path, NULL, &model, &msg), !=, SA_TORCH_OK);
  g_assert_null (model);
  g_assert_nonnull (strstr (msg, "not a TorchScript model"));
  g_assert_null (strchr (msg, '\n'));
  sa_torch_free (msg);

  msg = NULL;
  g_assert_cmpint (sa_torch_model_load ("builtin:nosuch", NULL, &model, &msg), ==,
                   SA_TORCH_NOT_FOUND);
  g_assert_nonnull (strstr (msg, "democnn"));
  sa_torch_free (msg);

  msg = NULL;
  g_assert_cmpint (sa_torch_model_load ("builtin:democnn", "tpu:3", &model, &msg), !=,
                   SA_TORCH_OK);
  g_assert_nonnull (strstr (msg, "tpu:3"));
  sa_torch_free (msg);
}

static void
test_unknown_layer (void)
{
  SaTorchModel *model = load_ok ("builtin:democnn");
  const char *bad[] = { "conv4" };
  const char *far[] = { "zzzzzzzzzzzz" };
  SaTorchTap *tap = NULL;
  char *msg = NULL;

  g_assert_cmpint (sa_torch_tap_new (model, bad, 1, &tap, &msg), ==, SA_TORCH_NOT_FOUND);
  g_assert_null (tap);
  g_assert_nonnull (strstr (msg, "\"conv4\""));
  g_assert_nonnull (strstr (msg, "close matches: conv1, conv2, conv3"));
  sa_torch_free (msg);

  msg = NULL;
  g_assert_cmpint (sa_torch_tap_new (model, far, 1, &tap, &msg), ==, SA_TORCH_NOT_FOUND);
  g_assert_null (strstr (msg, "close matches"));
  sa_torch_free (msg);
  sa_torch_model_free (model);
}

static void
test_bad_size (void)
{
  SaTorchModel *model = load_ok ("builtin:democnn");
  const char *layers[] = { "conv3" };
  float input[3 * 4 * 4] = { 0 };
  SaTorchTap *tap = NULL;
  char *msg = NULL;

  g_assert_cmpint (sa_torch_model_probe (model, 4, 4, &msg), ==, SA_TORCH_ERROR);
  g_assert_nonnull (strstr (msg, "4x4"));
  g_assert_null (strchr (msg, '\n'));
  sa_torch_free (msg);

  msg = NULL;
  g_assert_cmpint (sa_torch_tap_new (model, layers, 1, &tap, &msg), ==, SA_TORCH_OK);
  g_assert_cmpint (sa_torch_tap_run (tap, input, 1, 4, 4, &msg), ==, SA_TORCH_ERROR);
  g_assert_nonnull (strstr (msg, "4x4"));
  sa_torch_free (msg);
  sa_torch_tap_free (tap);
  sa_torch_model_free (model);
}

static void
test_non_tensor_layer (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *pt = g_build_filename (dir, "odd.pt", NULL);
  g_autofree char *frozen = g_build_filename (dir, "odd-frozen.pt", NULL);
  const char *argv[] = { pt, frozen, NULL };
  g_autofree char *res = sa_test_python ("tests/py/make_odd_model.py", argv);
  const char *pair[] = { "pair" };
  const char *flat[] = { "flat" };
  float input[3 * 8 * 8] = { 0 };
  int64_t shape[SA_TORCH_MAX_DIMS];
  const float *out;
  SaTorchModel *model;
  SaTorchTap *tap = NULL;
  char *msg = NULL;

  if (res == NULL)
    return;
  model = load_ok (pt);
  g_assert_cmpint (sa_torch_tap_new (model, pair, 1, &tap, &msg), ==,
                   SA_TORCH_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (msg, "\"pair\" returns Tuple[Tensor, Tensor], not a tensor"));
  sa_torch_free (msg);
  /* The probe skips it rather than failing. */
  g_assert_cmpint (sa_torch_model_probe (model, 8, 8, NULL), ==, SA_TORCH_OK);
  g_assert_cmpint (sa_torch_model_module_shape (model, 2, shape), ==, 0);
  g_assert_cmpint (sa_torch_model_module_shape (model, 3, shape), ==, 3);

  g_assert_cmpint (sa_torch_tap_new (model, flat, 1, &tap, &msg), ==, SA_TORCH_OK);
  g_assert_cmpint (sa_torch_tap_run (tap, input, 1, 8, 8, &msg), ==, SA_TORCH_OK);
  g_assert_cmpint (sa_torch_tap_output (tap, 0, &out, shape), ==, 3);
  g_assert_cmpint (shape[1], ==, 4);
  g_assert_cmpint (shape[2], ==, 36);
  sa_torch_tap_free (tap);
  sa_torch_model_free (model);

  model = load_ok (frozen);
  g_assert_cmpint (sa_torch_tap_new (model, flat, 1, &tap, &msg), ==, SA_TORCH_NOT_FOUND);
  g_assert_nonnull (strstr (msg, "frozen"));
  sa_torch_free (msg);
  sa_torch_model_free (model);
}

static const char *archs[] = {
  "alexnet", "vgg16", "resnet18", "resnet50", "densenet161", "inception_v3",
  "shufflenet_v2_x1_0", "mobilenet_v2", "resnext50_32x4d", "mnasnet1_0",
};

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  sa_torch_set_num_threads (1);
  g_test_add_func ("/compute/torch-model/democnn/modules", test_democnn_modules);
  g_test_add_func ("/compute/torch-model/democnn/save", test_democnn_save);
  g_test_add_func ("/compute/torch-model/errors/not-torchscript", test_not_torchscript);
  g_test_add_func ("/compute/torch-model/errors/unknown-layer", test_unknown_layer);
  g_test_add_func ("/compute/torch-model/errors/bad-size", test_bad_size);
  g_test_add_func ("/compute/torch-model/errors/non-tensor", test_non_tensor_layer);
  for (guint i = 0; i < G_N_ELEMENTS (archs); i++)
    for (int m = 0; m < 2; m++)
      {
        char *name = g_strdup_printf ("%s/%s", archs[i], m ? "trace" : "script");
        char *path = g_strdup_printf ("/compute/torch-model/torchvision/%s", name);
        g_test_add_data_func_full (path, name, test_torchvision, g_free);
        g_free (path);
      }
  return g_test_run ();
}
