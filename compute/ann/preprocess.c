#include "config.h"

#include <glib/gi18n.h>

#include "compute/ann/preprocess.h"

#include <stdlib.h>
#include <string.h>

#include "compute/error.h"

static const SaNormalize imagenet = {
  { 0.485f, 0.456f, 0.406f },
  { 0.229f, 0.224f, 0.225f },
};
static const SaNormalize identity = { { 0, 0, 0 }, { 1, 1, 1 } };

void
sa_normalize_imagenet (SaNormalize *norm)
{
  *norm = imagenet;
}

static gboolean
parse_triple (const char *text,
              float       v[3])
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  if (g_strv_length (parts) != 3)
    return FALSE;
  for (int i = 0; i < 3; i++)
    {
      char *end = NULL;
      double d = g_ascii_strtod (g_strstrip (parts[i]), &end);
      if (end == parts[i] || *end != '\0')
        return FALSE;
      v[i] = (float) d;
    }
  return TRUE;
}

gboolean
sa_normalize_parse (const char   *text,
                    SaNormalize  *norm,
                    GError      **error)
{
  g_auto(GStrv) halves = NULL;

  g_return_val_if_fail (norm != NULL, FALSE);

  if (g_strcmp0 (text, "imagenet") == 0)
    {
      *norm = imagenet;
      return TRUE;
    }
  if (g_strcmp0 (text, "none") == 0)
    {
      *norm = identity;
      return TRUE;
    }
  halves = g_strsplit (text ? text : "", "/", -1);
  if (g_strv_length (halves) == 2 && parse_triple (halves[0], norm->mean)
      && parse_triple (halves[1], norm->std)
      && norm->std[0] > 0 && norm->std[1] > 0 && norm->std[2] > 0)
    return TRUE;
  sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                _("bad normalisation \"%s\" (use imagenet, none, or MEAN,MEAN,MEAN/STD,STD,STD"
                " with positive STD)"), text ? text : "");
  return FALSE;
}

char *
sa_normalize_to_string (const SaNormalize *norm)
{
  char b[6][G_ASCII_DTOSTR_BUF_SIZE];

  if (memcmp (norm, &imagenet, sizeof *norm) == 0)
    return g_strdup ("imagenet");
  if (memcmp (norm, &identity, sizeof *norm) == 0)
    return g_strdup ("none");
  for (int i = 0; i < 3; i++)
    {
      g_ascii_formatd (b[i], sizeof b[i], "%g", norm->mean[i]);
      g_ascii_formatd (b[3 + i], sizeof b[3 + i], "%g", norm->std[i]);
    }
  return g_strdup_printf ("%s,%s,%s/%s,%s,%s", b[0], b[1], b[2], b[3], b[4], b[5]);
}

void
sa_preprocess_rgb24 (const guint8      *rgb,
                     int                width,
                     int                height,
                     const SaNormalize *norm,
                     float             *chw)
{
  gsize plane = (gsize) width * height;
  float lut[3][256];

  /* (v / 255 − mean) / std for each byte value, per channel. */
  for (int c = 0; c < 3; c++)
    for (int v = 0; v < 256; v++)
      lut[c][v] = ((float) v / 255.0f - norm->mean[c]) / norm->std[c];

  for (gsize i = 0; i < plane; i++)
    {
      chw[i] = lut[0][rgb[3 * i]];
      chw[plane + i] = lut[1][rgb[3 * i + 1]];
      chw[2 * plane + i] = lut[2][rgb[3 * i + 2]];
    }
}
