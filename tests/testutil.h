/* testutil.h — helpers shared by SyncAct's tests */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A fresh temporary folder, removed (recursively) at exit. */
char     *sa_test_tmpdir        (void);
/* Runs python3 with @script (a file under tests/) and @argv; returns its
 * stdout, or NULL and skips the test when Python or a module is missing
 * (exit status 77). Fails the test on any other error. */
char     *sa_test_python        (const char  *script,
                                 const char  *const *argv);
/* Path of a file under the source tree. */
char     *sa_test_source_path   (const char  *relative);
/* Runs the syncact executable; returns the exit status, and stdout/stderr
 * in the out pointers when not NULL. */
int       sa_test_run_syncact   (const char  *const *argv,
                                 char       **out,
                                 char       **err);

G_END_DECLS
