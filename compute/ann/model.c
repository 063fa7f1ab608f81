#include "config.h"

#include <glib/gi18n.h>

#include "compute/ann/model.h"

#include <string.h>

#include "compute/error.h"

struct _SaAnnModel
{
  char         *path;
  SaTorchModel *torch;
};

static SaErrorCode
error_code (SaTorchStatus status)
{
  switch (status)
    {
    case SA_TORCH_NOT_FOUND:
      return SA_ERROR_NOT_FOUND;
    case SA_TORCH_INVALID_ARGUMENT:
      return SA_ERROR_ARGUMENT;
    case SA_TORCH_OK:
    case SA_TORCH_ERROR:
    default:
      return SA_ERROR_TORCH;
    }
}

/* Turns a shim failure into a GError on @path and frees the message. */
static void
set_torch_error (GError       **error,
                 const char    *path,
                 SaTorchStatus  status,
                 char          *message)
{
  SaErrorCode code = error_code (status);

  if (message != NULL && g_str_has_prefix (message, "not a TorchScript"))
    code = SA_ERROR_INVALID_DATA;
  sa_set_error (error, code, path, "%s", message ? message : "libtorch failed");
  sa_torch_free (message);
}

const char *
sa_ann_default_device (void)
{
  return sa_torch_cuda_device_count () > 0 ? "cuda:0" : "cpu";
}

SaAnnModel *
sa_ann_model_load (const char  *path,
                   const char  *device,
                   GError     **error)
{
  SaTorchModel *torch = NULL;
  char *msg = NULL;
  SaTorchStatus st;
  SaAnnModel *model;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_str_has_prefix (path, SA_TORCH_BUILTIN_PREFIX)
      && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      sa_set_error (error, SA_ERROR_NOT_FOUND, path, _("no such model file"));
      return NULL;
    }
  st = sa_torch_model_load (path, device ? device : sa_ann_default_device (), &torch, &msg);
  if (st != SA_TORCH_OK)
    {
      set_torch_error (error, path, st, msg);
      return NULL;
    }
  model = g_new0 (SaAnnModel, 1);
  model->path = g_strdup (path);
  model->torch = torch;
  return model;
}

void
sa_ann_model_free (SaAnnModel *model)
{
  if (model == NULL)
    return;
  sa_torch_model_free (model->torch);
  g_free (model->path);
  g_free (model);
}

const char *
sa_ann_model_get_path (SaAnnModel *model)
{
  return model->path;
}

SaTorchModel *
sa_ann_model_get_torch (SaAnnModel *model)
{
  return model->torch;
}

void
sa_ann_layer_free (SaAnnLayer *layer)
{
  if (layer == NULL)
    return;
  g_free (layer->name);
  g_free (layer->type);
  g_free (layer);
}

GPtrArray *
sa_ann_model_layers (SaAnnModel  *model,
                     int          width,
                     int          height,
                     GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) sa_ann_layer_free);
  char *msg = NULL;
  SaTorchStatus st;

  g_return_val_if_fail (model != NULL, NULL);

  st = sa_torch_model_probe (model->torch, width, height, &msg);
  if (st != SA_TORCH_OK)
    {
      set_torch_error (error, model->path, st, msg);
      return NULL;
    }
  for (size_t i = 0; i < sa_torch_model_n_modules (model->torch); i++)
    {
      SaAnnLayer *l = g_new0 (SaAnnLayer, 1);
      int64_t shape[SA_TORCH_MAX_DIMS];

      l->name = g_strdup (sa_torch_model_module_name (model->torch, i));
      l->type = g_strdup (sa_torch_model_module_type (model->torch, i));
      l->n_dims = sa_torch_model_module_shape (model->torch, i, shape);
      for (int d = 0; d < l->n_dims; d++)
        l->shape[d] = shape[d];
      g_ptr_array_add (out, l);
    }
  return g_steal_pointer (&out);
}

gboolean
sa_ann_layer_is_conv (const SaAnnLayer *layer)
{
  return layer->n_dims == 4 && strstr (layer->type, "Conv") != NULL;
}

char *
sa_ann_model_hash (const char  *path,
                   GError     **error)
{
  g_autoptr(GChecksum) sum = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GError) local = NULL;
  guint8 buf[1 << 16];
  gssize n;

  if (g_str_has_prefix (path, SA_TORCH_BUILTIN_PREFIX))
    return g_strdup_printf ("%s/syncact-" PACKAGE_VERSION, path);

  file = g_file_new_for_path (path);
  in = g_file_read (file, NULL, &local);
  if (in == NULL)
    {
      sa_set_error (error, SA_ERROR_IO, path, _("cannot read: %s"), local->message);
      return NULL;
    }
  sum = g_checksum_new (G_CHECKSUM_SHA256);
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buf, sizeof buf, NULL, &local)) > 0)
    g_checksum_update (sum, buf, n);
  if (n < 0)
    {
      sa_set_error (error, SA_ERROR_IO, path, _("cannot read: %s"), local->message);
      return NULL;
    }
  return g_strdup (g_checksum_get_string (sum));
}
