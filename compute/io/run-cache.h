/* run-cache.h — one run's masked, z-scored fMRI as a memory-mapped T × n matrix
 *
 * Training streams subjects from these files instead of holding every
 * subject in RAM. The cache file holds a small header and float32 data in
 * row-major T × n (one row per TR, voxels in mask order). Each voxel's time
 * course has mean 0 and standard deviation 1 (population std, ddof 0);
 * voxels that are constant in this run are 0 throughout. The cache is keyed
 * by the source file (path, size, mtime and a hash of its first and last
 * MiB) and the mask; a stale or damaged cache is rebuilt.
 *
 * Built while streaming the source one volume at a time into the mapped
 * output file (memory: one volume, three doubles per voxel, and the T × n
 * pages of the output), then z-scored in place in two passes and renamed
 * into place, so a failed or cancelled build leaves no cache behind. A
 * non-finite value inside the mask is an error naming the file, the volume
 * and the voxel. "Damaged" means a wrong size or a header (including its
 * SHA-256) that does not match; the data pages are not checksummed, which
 * keeps reopening at the cost of reading the header and 2 MiB of source.
 * One file per source path (<stem>.<hash of path>.runcache), so a new mask
 * replaces the old cache rather than adding one. Native byte order.
 */
#pragma once

#include <gio/gio.h>

#include "compute/io/mask.h"
#include "compute/progress.h"

G_BEGIN_DECLS

typedef struct _SaRunCache SaRunCache;

/* Opens the cache for @bold_path under @cache_dir (created when missing;
 * NULL: g_get_user_cache_dir()/syncact/runs — datasets use
 * sa_bids_cache_dir()), building it first when missing or stale. The mask
 * must share the run's grid. */
SaRunCache   *sa_run_cache_open          (const char       *bold_path,
                                          const SaMask     *mask,
                                          const char       *cache_dir,
                                          const SaProgress *progress,
                                          GCancellable     *cancellable,
                                          GError          **error);
void          sa_run_cache_free          (SaRunCache       *cache);

int           sa_run_cache_n_timepoints  (SaRunCache       *cache);
gint64        sa_run_cache_n_voxels      (SaRunCache       *cache);
/* Row-major T × n, valid until the cache is freed. */
const float  *sa_run_cache_data          (SaRunCache       *cache);
const char   *sa_run_cache_path          (SaRunCache       *cache);
/* TRUE when the last open reused an existing file. */
gboolean      sa_run_cache_was_reused    (SaRunCache       *cache);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaRunCache, sa_run_cache_free)

G_END_DECLS
