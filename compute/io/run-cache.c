#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compute/error.h"
#include "compute/io/nifti.h"
#include "compute/io/run-cache.h"

/* File layout (native byte order; a cache never leaves its machine):
 *   0  magic "SARUNC\r\n"      8  version u32     12  header size u32
 *  16  T u64                  24  n u64
 *  32  source size u64        40  source mtime (ns since the epoch) i64
 *  48  content hash [32]      80  mask hash [32]
 * 112  path length u32       116  path bytes (no NUL)
 * HEADER_SIZE - 32: SHA-256 of the bytes before it, so a damaged header is
 * seen as damaged; data (T × n float32) start at HEADER_SIZE, page aligned
 * so the mapping needs no copy. */
#define CACHE_MAGIC    "SARUNC\r\n"
#define CACHE_VERSION  1
#define HEADER_SIZE    4096
#define HASH_LEN       32
#define PATH_OFFSET    116
#define PATH_MAX_LEN   (HEADER_SIZE - HASH_LEN - PATH_OFFSET)
#define HASHED_SPAN    (1024 * 1024)

struct _SaRunCache {
  char    *path;
  int      n_timepoints;
  gint64   n_voxels;
  void    *map;
  gsize    map_size;
  gboolean reused;
};

/* What a cache must match to be reused. */
typedef struct {
  char   *source;
  guint64 size;
  gint64  mtime_ns;
  guint8  content[HASH_LEN];
  guint8  mask[HASH_LEN];
} CacheKey;

static void
sha256 (const void *data,
        gsize       len,
        guint8      out[HASH_LEN])
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize n = HASH_LEN;

  g_checksum_update (sum, data, len);
  g_checksum_get_digest (sum, out, &n);
}

static void
mask_hash (const SaMask *mask,
           guint8        out[HASH_LEN])
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gint32 dims[3] = { mask->nx, mask->ny, mask->nz };
  gsize n = HASH_LEN;

  g_checksum_update (sum, (const guint8 *) dims, sizeof dims);
  g_checksum_update (sum, (const guint8 *) mask->affine, sizeof mask->affine);
  g_checksum_update (sum, (const guint8 *) mask->index, mask->n_in * sizeof (gint64));
  g_checksum_get_digest (sum, out, &n);
}

/* Size, mtime and a hash of the first and last MiB: cheap enough to check
 * on every open, and a rewrite of a file (even one that keeps the mtime)
 * almost always changes its ends (a .nii.gz's trailer holds its CRC). */
static gboolean
key_of_source (const char *path,
               CacheKey   *key,
               GError    **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buf = g_malloc (HASHED_SPAN);
  struct stat st;
  gsize n = HASH_LEN;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      sa_set_error (error, saved == ENOENT ? SA_ERROR_NOT_FOUND : SA_ERROR_IO, path,
                    _("cannot read: %s"), g_strerror (saved));
      return FALSE;
    }
  key->size = st.st_size;
  key->mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
  for (int part = 0; part < 2; part++)
    {
      off_t at = part == 0 ? 0 : MAX ((off_t) st.st_size - HASHED_SPAN, 0);
      ssize_t got = pread (fd, buf, HASHED_SPAN, at);
      if (got < 0)
        {
          int saved = errno;
          close (fd);
          sa_set_error (error, SA_ERROR_IO, path, _("cannot read: %s"), g_strerror (saved));
          return FALSE;
        }
      g_checksum_update (sum, buf, got);
    }
  close (fd);
  g_checksum_get_digest (sum, key->content, &n);
  return TRUE;
}

static void
header_write (guint8         *h,
              const CacheKey *key,
              guint64         t,
              guint64         n)
{
  guint32 version = CACHE_VERSION, hsize = HEADER_SIZE;
  guint32 plen = (guint32) strlen (key->source);

  memset (h, 0, HEADER_SIZE);
  memcpy (h, CACHE_MAGIC, 8);
  memcpy (h + 8, &version, 4);
  memcpy (h + 12, &hsize, 4);
  memcpy (h + 16, &t, 8);
  memcpy (h + 24, &n, 8);
  memcpy (h + 32, &key->size, 8);
  memcpy (h + 40, &key->mtime_ns, 8);
  memcpy (h + 48, key->content, HASH_LEN);
  memcpy (h + 80, key->mask, HASH_LEN);
  memcpy (h + 112, &plen, 4);
  memcpy (h + PATH_OFFSET, key->source, plen);
  sha256 (h, HEADER_SIZE - HASH_LEN, h + HEADER_SIZE - HASH_LEN);
}

/* TRUE when the file at @path is a complete cache for @key of T × n. */
static gboolean
cache_valid (const char     *path,
             const CacheKey *key,
             guint64         t,
             guint64         n)
{
  guint8 h[HEADER_SIZE], want[HEADER_SIZE];
  struct stat st;
  gboolean ok;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return FALSE;
  ok = fstat (fd, &st) == 0
       && (guint64) st.st_size == HEADER_SIZE + t * n * sizeof (float)
       && pread (fd, h, HEADER_SIZE, 0) == HEADER_SIZE;
  close (fd);
  if (!ok)
    return FALSE;
  header_write (want, key, t, n);
  return memcmp (h, want, HEADER_SIZE) == 0;
}

static gboolean
map_cache (SaRunCache *cache,
           GError    **error)
{
  int fd = g_open (cache->path, O_RDONLY | O_CLOEXEC, 0);
  void *map;

  cache->map_size = HEADER_SIZE + (gsize) cache->n_timepoints * cache->n_voxels * sizeof (float);
  map = fd < 0 ? MAP_FAILED : mmap (NULL, cache->map_size, PROT_READ, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      sa_set_error (error, SA_ERROR_IO, cache->path, _("cannot map the cache: %s"), g_strerror (saved));
      return FALSE;
    }
  close (fd);
  cache->map = map;
  return TRUE;
}

typedef struct {
  const char       *bold_path;
  const SaMask     *mask;
  SaVolume         *header;
  float            *data;      /* T × n, in the mapped temporary file */
  double           *sum;
  int               nt;
  int               seen;
  const SaProgress *progress;
  GCancellable     *cancellable;
  GError           *error;
} Build;

static gboolean
gather (int          t,
        const float *volume,
        gpointer     user_data)
{
  Build *b = user_data;
  gint64 n = b->mask->n_in;
  float *row;

  if (t == 0 && !sa_mask_matches_grid (b->mask, b->header, b->bold_path, &b->error))
    return FALSE;
  if (t >= b->nt)
    {
      sa_set_error (&b->error, SA_ERROR_INVALID_DATA, b->bold_path,
                    _("more volumes than the header's %d"), b->nt);
      return FALSE;
    }
  if (sa_check_cancelled (b->cancellable, &b->error))
    return FALSE;
  row = b->data + (gsize) t * n;
  for (gint64 k = 0; k < n; k++)
    {
      float v = volume[b->mask->index[k]];
      if (!isfinite (v))
        {
          gint64 i = b->mask->index[k];
          int nx = b->mask->nx, ny = b->mask->ny;
          sa_set_error (&b->error, SA_ERROR_INVALID_DATA, b->bold_path,
                        _("volume %d has %s at voxel (%d, %d, %d) inside the mask"), t,
                        isnan (v) ? "NaN" : "an infinite value",
                        (int) (i % nx), (int) ((i / nx) % ny), (int) (i / ((gint64) nx * ny)));
          return FALSE;
        }
      row[k] = v;
      b->sum[k] += v;
    }
  b->seen = t + 1;
  sa_progress_report (b->progress, 0.9 * b->seen / b->nt, NULL);
  return TRUE;
}

/* Two passes over the mapped rows: the variance from deviations (not
 * sum-of-squares, which cancels badly for large baselines), then z. */
static void
zscore (float  *data,
        double *sum,
        int     nt,
        gint64  n)
{
  g_autofree double *var = g_new0 (double, n);

  for (gint64 k = 0; k < n; k++)
    sum[k] /= nt;
  for (int t = 0; t < nt; t++)
    {
      const float *row = data + (gsize) t * n;
      for (gint64 k = 0; k < n; k++)
        {
          double d = row[k] - sum[k];
          var[k] += d * d;
        }
    }
  for (gint64 k = 0; k < n; k++)
    var[k] = var[k] > 0 ? 1.0 / sqrt (var[k] / nt) : 0.0;
  for (int t = 0; t < nt; t++)
    {
      float *row = data + (gsize) t * n;
      for (gint64 k = 0; k < n; k++)
        row[k] = (float) ((row[k] - sum[k]) * var[k]);
    }
}

static gboolean
build_cache (SaRunCache       *cache,
             const char       *bold_path,
             const SaMask     *mask,
             const CacheKey   *key,
             const SaProgress *progress,
             GCancellable     *cancellable,
             GError          **error)
{
  g_autofree char *tmp = g_strconcat (cache->path, ".XXXXXX", NULL);
  g_autofree double *sum = g_new0 (double, mask->n_in);
  SaVolume header = { 0 };
  Build b = { bold_path, mask, &header, NULL, sum, cache->n_timepoints, 0, progress, cancellable, NULL };
  gsize size = HEADER_SIZE + (gsize) cache->n_timepoints * mask->n_in * sizeof (float);
  guint8 *map = MAP_FAILED;
  gboolean ok = FALSE;
  int fd, rc;

  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      sa_set_error (error, SA_ERROR_IO, tmp, _("cannot create the cache: %s"), g_strerror (errno));
      return FALSE;
    }
  /* Reserve the space now: a full disk is an error here, not a SIGBUS
   * when a mapped page is first written. */
  rc = posix_fallocate (fd, 0, size);
  if (rc != 0)
    {
      sa_set_error (error, SA_ERROR_IO, cache->path, _("cannot reserve %llu bytes: %s"),
                    (unsigned long long) size, g_strerror (rc));
      goto out;
    }
  map = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED)
    {
      sa_set_error (error, SA_ERROR_IO, cache->path, _("cannot map: %s"), g_strerror (errno));
      goto out;
    }
  b.data = (float *) (map + HEADER_SIZE);
  if (!sa_volume_stream (bold_path, &header, gather, &b, cancellable, error))
    goto out;
  if (b.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&b.error));
      goto out;
    }
  if (b.seen != b.nt)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, bold_path,
                    _("%d volumes read, the header says %d"), b.seen, b.nt);
      goto out;
    }
  zscore (b.data, sum, b.nt, mask->n_in);
  header_write (map, key, b.nt, mask->n_in);
  if (msync (map, size, MS_SYNC) != 0 || fdatasync (fd) != 0)
    {
      sa_set_error (error, SA_ERROR_IO, cache->path, _("cannot write: %s"), g_strerror (errno));
      goto out;
    }
  if (g_rename (tmp, cache->path) != 0)
    {
      sa_set_error (error, SA_ERROR_IO, cache->path, _("cannot rename %s into place: %s"), tmp,
                    g_strerror (errno));
      goto out;
    }
  ok = TRUE;

out:
  g_clear_error (&b.error);
  if (map != MAP_FAILED)
    munmap (map, size);
  close (fd);
  if (!ok)
    g_unlink (tmp);
  return ok;
}

static char *
cache_file_name (const char *source)
{
  g_autofree char *base = g_path_get_basename (source);
  g_autofree char *id = g_compute_checksum_for_string (G_CHECKSUM_SHA256, source, -1);

  if (g_str_has_suffix (base, ".nii.gz"))
    base[strlen (base) - 7] = '\0';
  else if (g_str_has_suffix (base, ".nii"))
    base[strlen (base) - 4] = '\0';
  id[16] = '\0';
  return g_strdup_printf ("%s.%s.runcache", base, id);
}

SaRunCache *
sa_run_cache_open (const char       *bold_path,
                   const SaMask     *mask,
                   const char       *cache_dir,
                   const SaProgress *progress,
                   GCancellable     *cancellable,
                   GError          **error)
{
  g_autoptr(SaRunCache) cache = g_new0 (SaRunCache, 1);
  g_autoptr(SaNiftiInfo) info = NULL;
  g_autofree char *source = NULL;
  g_autofree char *default_dir = NULL;
  g_autofree char *name = NULL;
  CacheKey key = { 0 };

  g_return_val_if_fail (bold_path != NULL && mask != NULL, NULL);

  source = g_canonicalize_filename (bold_path, NULL);
  if (strlen (source) > PATH_MAX_LEN)
    {
      sa_set_error (error, SA_ERROR_UNSUPPORTED, bold_path, _("path too long for a run cache"));
      return NULL;
    }
  key.source = source;
  if (!key_of_source (source, &key, error))
    return NULL;
  mask_hash (mask, key.mask);

  info = sa_nifti_info_read (source, error);
  if (info == NULL)
    return NULL;
  if (info->ndim > 4 || (info->ndim == 4 && info->dims[3] > G_MAXINT / 2))
    {
      sa_set_error (error, SA_ERROR_UNSUPPORTED, source, _("a run must be 3D or 4D"));
      return NULL;
    }
  cache->n_timepoints = info->ndim == 4 ? (int) info->dims[3] : 1;
  cache->n_voxels = mask->n_in;

  if (cache_dir == NULL)
    cache_dir = default_dir = g_build_filename (g_get_user_cache_dir (), "syncact", "runs", NULL);
  if (g_mkdir_with_parents (cache_dir, 0755) != 0)
    {
      sa_set_error (error, SA_ERROR_IO, cache_dir, _("cannot create the cache folder: %s"),
                    g_strerror (errno));
      return NULL;
    }
  name = cache_file_name (source);
  cache->path = g_build_filename (cache_dir, name, NULL);

  cache->reused = cache_valid (cache->path, &key, cache->n_timepoints, cache->n_voxels);
  if (!cache->reused)
    {
      sa_progress_report (progress, 0.0, "caching the run");
      if (!build_cache (cache, source, mask, &key, progress, cancellable, error))
        return NULL;
    }
  if (!map_cache (cache, error))
    return NULL;
  sa_progress_report (progress, 1.0, NULL);
  return g_steal_pointer (&cache);
}

void
sa_run_cache_free (SaRunCache *cache)
{
  if (cache == NULL)
    return;
  if (cache->map != NULL)
    munmap (cache->map, cache->map_size);
  g_free (cache->path);
  g_free (cache);
}

int
sa_run_cache_n_timepoints (SaRunCache *cache)
{
  g_return_val_if_fail (cache != NULL, 0);
  return cache->n_timepoints;
}

gint64
sa_run_cache_n_voxels (SaRunCache *cache)
{
  g_return_val_if_fail (cache != NULL, 0);
  return cache->n_voxels;
}

const float *
sa_run_cache_data (SaRunCache *cache)
{
  g_return_val_if_fail (cache != NULL, NULL);
  return (const float *) ((const guint8 *) cache->map + HEADER_SIZE);
}

const char *
sa_run_cache_path (SaRunCache *cache)
{
  g_return_val_if_fail (cache != NULL, NULL);
  return cache->path;
}

gboolean
sa_run_cache_was_reused (SaRunCache *cache)
{
  g_return_val_if_fail (cache != NULL, FALSE);
  return cache->reused;
}
