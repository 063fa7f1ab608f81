/* subject-source.h — subjects' fMRI, one at a time
 *
 * Group ICA and dual regression visit subjects through this callback so
 * only one subject's T × n matrix is in memory at once: a memory-mapped run
 * cache (compute/io/run-cache.h), a planted subject generated on demand
 * (compute/demo/planted.h), or anything else that yields z-scored T × n
 * float32 row-major data on the same voxels.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets *@data to subject @subject's T × n matrix, valid until the next call
 * (or the source's end), and *@n_timepoints to T. */
typedef gboolean (*SaSubjectFetchFunc) (gpointer      user_data,
                                        int           subject,
                                        const float **data,
                                        int          *n_timepoints,
                                        GError      **error);

typedef struct {
  int                n_subjects;
  gint64             n_voxels;
  SaSubjectFetchFunc fetch;
  gpointer           user_data;
} SaSubjectSource;

G_END_DECLS
