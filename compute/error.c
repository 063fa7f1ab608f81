#include "config.h"

#include <gio/gio.h>

#include "compute/error.h"

G_DEFINE_QUARK (sa-error-quark, sa_error)

void
sa_set_error (GError     **error,
              SaErrorCode  code,
              const char  *path,
              const char  *format,
              ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  if (error == NULL)
    return;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);

  if (path != NULL)
    g_set_error (error, SA_ERROR, code, "%s: %s", path, msg);
  else
    g_set_error_literal (error, SA_ERROR, code, msg);
}

gboolean
sa_check_cancelled (GCancellable *cancellable,
                    GError      **error)
{
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, SA_ERROR, SA_ERROR_CANCELLED, "Cancelled");
      return TRUE;
    }
  return FALSE;
}
