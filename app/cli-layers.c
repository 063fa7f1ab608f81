#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "app/cli.h"
#include "compute/ann/model.h"
#include "compute/error.h"

/* "256x180" → 256, 180. */
gboolean
sa_cli_parse_size (const char  *text,
                   int         *width,
                   int         *height,
                   GError     **error)
{
  char *end = NULL;
  gint64 w, h;

  w = g_ascii_strtoll (text, &end, 10);
  if (end != text && (*end == 'x' || *end == 'X'))
    {
      const char *rest = end + 1;
      h = g_ascii_strtoll (rest, &end, 10);
      if (end != rest && *end == '\0' && w > 0 && h > 0 && w <= 8192 && h <= 8192)
        {
          *width = (int) w;
          *height = (int) h;
          return TRUE;
        }
    }
  sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                _("bad size \"%s\" (use WIDTHxHEIGHT, e.g. 256x180)"), text);
  return FALSE;
}

static void
print_shape (GString          *out,
             const SaAnnLayer *l)
{
  for (int d = 1; d < l->n_dims; d++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, d > 1 ? "×" : "", l->shape[d]);
}

int
sa_cli_layers (int argc, char **argv)
{
  g_autofree char *size = NULL;
  g_autofree char *device = NULL;
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, N_("Input size for the probe pass (default 256x180)"), N_("WxH") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, N_("cpu, cuda or cuda:N"), N_("DEVICE") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("List modules whose output could not be probed too"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SaAnnModel) model = NULL;
  g_autoptr(GPtrArray) layers = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  int width = 256, height = 180, n_conv = 0;

  if (!sa_cli_parse ("layers", _("MODEL.pt"), entries, &argc, &argv))
    return 2;
  if (argc != 2)
    {
      fprintf (stderr, "syncact layers: %s\n",
               _("give one TorchScript file (or builtin:democnn)"));
      return 2;
    }
  if (size != NULL && !sa_cli_parse_size (size, &width, &height, &error))
    return sa_cli_fail ("layers", error);
  model = sa_ann_model_load (argv[1], device, &error);
  if (model == NULL)
    return sa_cli_fail ("layers", error);
  layers = sa_ann_model_layers (model, width, height, &error);
  if (layers == NULL)
    return sa_cli_fail ("layers", error);

  g_string_append_printf (out, "# %s, input 3×%d×%d (C×H×W)\n", argv[1], height, width);
  g_string_append (out, "# module\ttype\toutput (C×H×W or units)\tconv\n");
  for (guint i = 1; i < layers->len; i++)
    {
      const SaAnnLayer *l = layers->pdata[i];
      int depth = 0;

      if (l->n_dims == 0 && !all)
        continue;
      for (const char *c = l->name; *c; c++)
        depth += *c == '.';
      g_string_append_printf (out, "%*s%s\t%s\t", 2 * depth, "", l->name, l->type);
      if (l->n_dims > 0)
        print_shape (out, l);
      else
        g_string_append (out, "-");
      if (sa_ann_layer_is_conv (l))
        {
          g_string_append_printf (out, "\t%" G_GINT64_FORMAT " channels", l->shape[1]);
          n_conv++;
        }
      g_string_append_c (out, '\n');
    }
  g_string_append_printf (out, "# %u modules, %d convolution layers\n", layers->len - 1, n_conv);
  fputs (out->str, stdout);
  return 0;
}
