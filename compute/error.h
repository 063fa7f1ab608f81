/* error.h — the one error domain of the SyncAct engine
 *
 * Every compute function reports failure as a GError in SA_ERROR whose
 * message names the file (when there is one) and the problem, so the CLI can
 * print it as is and the window can show it in a dialog.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SA_ERROR (sa_error_quark ())

typedef enum {
  SA_ERROR_FAILED,        /* anything without a better code */
  SA_ERROR_NOT_FOUND,     /* a file, subject, layer or movie that is not there */
  SA_ERROR_INVALID_DATA,  /* a file that is there but cannot be read as what it claims */
  SA_ERROR_UNSUPPORTED,   /* readable, but a case SyncAct does not handle */
  SA_ERROR_MISMATCH,      /* inputs that disagree (grid, TR, length) */
  SA_ERROR_ARGUMENT,      /* a bad option or parameter value */
  SA_ERROR_IO,            /* reading or writing failed (disk full, permissions) */
  SA_ERROR_TORCH,         /* libtorch reported an error */
  SA_ERROR_CANCELLED,     /* the user stopped it */
} SaErrorCode;

GQuark   sa_error_quark         (void);

/* Builds "PATH: message" in SA_ERROR; @path may be NULL. */
void     sa_set_error           (GError     **error,
                                 SaErrorCode  code,
                                 const char  *path,
                                 const char  *format,
                                 ...) G_GNUC_PRINTF (4, 5);

/* TRUE (and sets SA_ERROR_CANCELLED) when @cancellable was cancelled. */
gboolean sa_check_cancelled     (GCancellable *cancellable,
                                 GError      **error);

G_END_DECLS
