#include "config.h"

#include <glib.h>

#include "compute/torch/sa-torch.h"
#include "tests/testutil.h"

static void
test_matmul (void)
{
  const float a[6] = { 1, 2, 3, 4, 5, 6 };        /* 2×3 */
  const float b[6] = { 7, 8, 9, 10, 11, 12 };     /* 3×2 */
  const float want[4] = { 58, 64, 139, 154 };
  float out[4] = { 0 };
  char *msg = NULL;

  g_assert_cmpint (sa_torch_matmul (a, b, out, 2, 3, 2, &msg), ==, SA_TORCH_OK);
  g_assert_null (msg);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (out[i], want[i], 1e-5);
}

static void
test_bad_arguments (void)
{
  float out[1];
  char *msg = NULL;

  g_assert_cmpint (sa_torch_matmul (NULL, NULL, out, 1, 1, 1, &msg), ==,
                   SA_TORCH_INVALID_ARGUMENT);
  g_assert_nonnull (msg);
  g_assert_true (g_str_has_prefix (msg, "matmul"));
  sa_torch_free (msg);
}

static void
test_version (void)
{
  g_assert_true (g_str_has_prefix (sa_torch_version (), "1."));
  g_assert_cmpint (sa_torch_cuda_device_count (), >=, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/torch/matmul", test_matmul);
  g_test_add_func ("/compute/torch/bad-arguments", test_bad_arguments);
  g_test_add_func ("/compute/torch/version", test_version);
  return g_test_run ();
}
