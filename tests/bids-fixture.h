/* bids-fixture.h — small BIDS datasets for tests, written by nibabel
 * through tests/py/bids_ref.py */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes a dataset under a fresh temporary folder with `bids_ref.py make`
 * and @options; returns its root, or NULL (test skipped) when Python or
 * nibabel is missing. */
char *sa_test_make_dataset (const char *const *options);

/* Runs `bids_ref.py @command @args…` and returns the float32 (or uint8)
 * file it writes, with its length in @len; NULL when skipped. */
guint8 *sa_test_reference (const char         *command,
                           const char *const  *args,
                           gsize              *len);

G_END_DECLS
