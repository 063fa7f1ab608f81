#include "config.h"

#include <glib/gi18n.h>

#include "app/info.h"
#include "compute/error.h"

/* Replaced by the movie reader's describer when it lands. */
gboolean
sa_info_movie (const char *path, gboolean json, GString *out, GError **error)
{
  sa_set_error (error, SA_ERROR_UNSUPPORTED, path, "reading this kind of path is not built yet");
  return FALSE;
}
