/* frame-cache.h — exact movie frames around a time cursor, decoded on a
 * thread of their own
 *
 * One decoder thread owns its own SaMovie. Requests are by time and only
 * the newest counts: a request replaces one that has not started, and a
 * result superseded by the time it is ready is kept in the cache but not
 * delivered. Frames are decoded at one size (the caller's display size) and
 * kept in an LRU cache bounded in bytes. Between requests the thread
 * prefetches: forward from the cursor while playing, around it when idle.
 * Results are delivered in the GMainContext that was thread-default when
 * the cache was made; sa_frame_cache_free() joins the thread and drops any
 * delivery still queued.
 */
#pragma once

#include <gio/gio.h>

#include "compute/io/movie.h"

G_BEGIN_DECLS

/* Immutable and reference-counted; any thread may hold one. */
typedef struct {
  double  start, end;     /* seconds it is shown: [start, end) */
  gint64  index;          /* frame number: start × fps, rounded */
  int     width, height;  /* packed RGB24, stride width × 3 */
  GBytes *rgb;
} SaCachedFrame;

SaCachedFrame *sa_cached_frame_ref   (SaCachedFrame *frame);
void           sa_cached_frame_unref (SaCachedFrame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaCachedFrame, sa_cached_frame_unref)

typedef struct _SaFrameCache SaFrameCache;

/* Exactly one of @frame (borrowed) and @error is set: the answer to the
 * newest request. */
typedef void (*SaFrameCacheFunc) (SaFrameCache  *cache,
                                  SaCachedFrame *frame,
                                  const GError  *error,
                                  gpointer       user_data);

typedef struct {
  guint64 requests;       /* sa_frame_cache_request() calls */
  guint64 hits;           /* answered from the cache at once */
  guint64 decoded;        /* frames decoded by the thread (requests + prefetch) */
  guint64 prefetched;     /* of which prefetch */
  guint64 delivered;      /* answers handed to the callback */
  guint64 dropped;        /* answers superseded before delivery */
  guint   n_frames;       /* in the cache now */
  gsize   bytes;
} SaFrameCacheStats;

#define SA_FRAME_CACHE_DEFAULT_BUDGET ((gsize) 64 << 20)

/* Opens @path here, so a bad movie fails at once, then hands it to the
 * decoder thread. @budget: bytes of decoded frames kept (0: the default). */
SaFrameCache  *sa_frame_cache_new      (const char        *path,
                                        int                width,
                                        int                height,
                                        gsize              budget,
                                        SaFrameCacheFunc   func,
                                        gpointer           user_data,
                                        GError           **error);
void           sa_frame_cache_free     (SaFrameCache      *cache);

/* The movie's coded size, frame rate and duration (as at open). */
const SaMovieInfo *sa_frame_cache_get_info (SaFrameCache *cache);
const char    *sa_frame_cache_get_path (SaFrameCache      *cache);

/* Frames of another size are dropped; later requests decode at this one. */
void           sa_frame_cache_set_size (SaFrameCache      *cache,
                                        int                width,
                                        int                height);
void           sa_frame_cache_get_size (SaFrameCache      *cache,
                                        int               *width,
                                        int               *height);

/* Asks for the frame shown at @t seconds. A cached frame is returned at
 * once (a new reference) and nothing is delivered; otherwise NULL, and the
 * frame is delivered when decoded unless a newer request came first. */
SaCachedFrame *sa_frame_cache_request  (SaFrameCache      *cache,
                                        double             t);
/* The cached frame shown at @t, without asking for it; or NULL. */
SaCachedFrame *sa_frame_cache_lookup   (SaFrameCache      *cache,
                                        double             t);
/* The cached frame closest in time to @t, or NULL when the cache is empty. */
SaCachedFrame *sa_frame_cache_nearest  (SaFrameCache      *cache,
                                        double             t);

/* Where the movie ends, once a decode has found it (else infinity); the
 * last frame answers for any time past it. */
double         sa_frame_cache_get_end  (SaFrameCache      *cache);

/* While playing, the thread decodes ahead of the cursor (a few seconds);
 * otherwise a second either side of it. */
void           sa_frame_cache_set_playing (SaFrameCache   *cache,
                                           gboolean        playing);

void           sa_frame_cache_get_stats (SaFrameCache      *cache,
                                         SaFrameCacheStats *stats);
/* Blocks until the thread has nothing left to do (no request, prefetch
 * done), for tests and benchmarks; FALSE after @timeout_ms. Deliveries
 * still need the owner's main loop to run. */
gboolean       sa_frame_cache_wait_idle (SaFrameCache      *cache,
                                         guint              timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaFrameCache, sa_frame_cache_free)

G_END_DECLS
