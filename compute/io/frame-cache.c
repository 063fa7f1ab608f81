#include "config.h"

#include "compute/io/frame-cache.h"

#include <math.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "compute/error.h"
#include "compute/io/frame-store.h"

/* Prefetch windows. Playing reads ahead far enough to absorb a keyframe
 * seek's worth of stall; idle keeps the neighbours a scrub or a TR step
 * lands on. Both are further capped by the byte budget. */
#define PLAY_AHEAD_S 3.0
#define IDLE_AHEAD_S 1.0
#define IDLE_BEHIND_S 1.0
/* Around a cursor that has not moved for this long: while the user drags
 * the timeline, decoding neighbours of every position is wasted work that
 * competes with the window for the CPU. */
#define IDLE_DELAY_US (150 * 1000)
/* Frame times are compared with this slack: a time computed from a frame's
 * end must find the next frame, never the one before it. */
#define TIME_EPS 1e-9
/* Decoding for the screen only: swscale's area filter is fast and as good
 * as any other at the sizes a pane shows. */
#define DISPLAY_RESIZE SA_RESIZE_AREA

struct _SaFrameCache {
  char             *path;
  SaMovieInfo       info;
  SaMovie          *movie;      /* the thread's from sa_frame_cache_new() on */
  GThread          *thread;
  GMainContext     *context;
  SaFrameCacheFunc  func;
  gpointer          user_data;

  GMutex            lock;
  GCond             wake;       /* to the thread: something to do */
  GCond             idle_cond;  /* from the thread: nothing to do */
  /* Everything below is under lock. */
  gboolean          quit;
  gboolean          idle;
  int               width, height;
  guint             size_gen;
  gboolean          playing;
  guint64           serial;     /* of the newest request */
  gboolean          have_request;
  double            request_t;
  guint64           request_serial;
  gboolean          have_cursor;
  double            cursor;
  gint64            cursor_us;  /* when it was last asked for */
  double            known_end;  /* no frame at or past this */

  SaFrameStore     *store;

  GSource          *deliver_source;
  SaCachedFrame    *pending_frame;
  GError           *pending_error;
  guint64           pending_serial;

  SaFrameCacheStats stats;
};

static void
cached_frame_clear (gpointer data)
{
  SaCachedFrame *frame = data;

  g_bytes_unref (frame->rgb);
}

SaCachedFrame *
sa_cached_frame_ref (SaCachedFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return g_atomic_rc_box_acquire (frame);
}

void
sa_cached_frame_unref (SaCachedFrame *frame)
{
  if (frame != NULL)
    g_atomic_rc_box_release_full (frame, cached_frame_clear);
}

static gsize
frame_bytes (int width,
             int height)
{
  return (gsize) width * height * 3;
}

static gboolean
deliver_cb (gpointer data)
{
  SaFrameCache *cache = data;
  g_autoptr(SaCachedFrame) frame = NULL;
  g_autoptr(GError) error = NULL;
  GSource *source;
  gboolean stale;

  g_mutex_lock (&cache->lock);
  source = g_steal_pointer (&cache->deliver_source);
  frame = g_steal_pointer (&cache->pending_frame);
  error = g_steal_pointer (&cache->pending_error);
  stale = cache->pending_serial != cache->serial;
  if (stale && (frame != NULL || error != NULL))
    cache->stats.dropped++;
  else if (!stale)
    cache->stats.delivered++;
  g_mutex_unlock (&cache->lock);
  g_source_unref (source);

  /* The callback may free the cache: nothing touches it afterwards. */
  if (!stale && (frame != NULL || error != NULL))
    cache->func (cache, frame, error, cache->user_data);
  return G_SOURCE_REMOVE;
}

/* Hands the answer to request @serial to the owner's main context, through
 * one idle source however many answers arrive before it runs. */
static void
deliver_locked (SaFrameCache  *cache,
                SaCachedFrame *frame,
                const GError  *error,
                guint64        serial)
{
  if (serial != cache->serial)
    {
      cache->stats.dropped++;
      return;
    }
  if (cache->pending_frame != NULL || cache->pending_error != NULL)
    cache->stats.dropped++;
  g_clear_pointer (&cache->pending_frame, sa_cached_frame_unref);
  g_clear_error (&cache->pending_error);
  cache->pending_frame = frame ? sa_cached_frame_ref (frame) : NULL;
  cache->pending_error = error ? g_error_copy (error) : NULL;
  cache->pending_serial = serial;
  if (cache->deliver_source == NULL)
    {
      cache->deliver_source = g_idle_source_new ();
      /* Above GTK's redraw, so a frame that is ready is in the next paint. */
      g_source_set_priority (cache->deliver_source, G_PRIORITY_DEFAULT);
      g_source_set_callback (cache->deliver_source, deliver_cb, cache, NULL);
      g_source_set_static_name (cache->deliver_source, "[syncact] frame cache delivery");
      g_source_attach (cache->deliver_source, cache->context);
    }
}

/* The first time in [@from, @limit) within @n frames of @from whose frame
 * is not cached, walking cached frames by their end times. */
static gboolean
walk_locked (SaFrameCache *cache,
             double        from,
             int           n,
             double        limit,
             double       *t)
{
  double x = MAX (from, 0.0);

  for (int i = 0; i < n; i++)
    {
      SaCachedFrame *frame;

      if (x >= cache->known_end - TIME_EPS || x >= limit - TIME_EPS)
        return FALSE;
      frame = sa_frame_store_lookup (cache->store, x, FALSE);
      if (frame == NULL)
        {
          *t = x;
          return TRUE;
        }
      x = frame->end;
    }
  return FALSE;
}

/* How many frames to keep decoded ahead of and behind the cursor. */
static void
prefetch_window_locked (SaFrameCache *cache,
                        int          *ahead,
                        int          *behind)
{
  double fps = cache->info.fps > 0 ? cache->info.fps : 25.0;
  gsize max_frames = MIN (sa_frame_store_get_budget (cache->store) / frame_bytes (cache->width, cache->height), G_MAXINT);

  if (cache->playing)
    {
      *ahead = (int) MIN (PLAY_AHEAD_S * fps, max_frames * 3 / 4);
      *behind = 0;
    }
  else
    {
      *ahead = (int) MIN (IDLE_AHEAD_S * fps, max_frames / 4);
      *behind = (int) MIN (IDLE_BEHIND_S * fps, max_frames / 4);
    }
}

/* The next time to prefetch; or FALSE, with *@not_before set when there
 * will be one later. */
static gboolean
next_prefetch_locked (SaFrameCache *cache,
                      double       *t,
                      gint64       *not_before)
{
  double fps = cache->info.fps > 0 ? cache->info.fps : 25.0;
  int ahead, behind;

  *not_before = 0;
  if (!cache->have_cursor)
    return FALSE;
  if (!cache->playing && g_get_monotonic_time () < cache->cursor_us + IDLE_DELAY_US)
    {
      *not_before = cache->cursor_us + IDLE_DELAY_US;
      return FALSE;
    }
  prefetch_window_locked (cache, &ahead, &behind);
  if (walk_locked (cache, cache->cursor, ahead, INFINITY, t))
    return TRUE;
  /* Behind: one seek, then forward up to the cursor. */
  return behind > 0 && walk_locked (cache, cache->cursor - behind / fps, behind + 1, cache->cursor, t);
}

static gpointer
decoder_thread (gpointer data)
{
  SaFrameCache *cache = data;
  gint64 not_before;

#ifdef __linux__
  /* Below the window's thread: a frame decoded late is a stand-in on
   * screen, a window that stutters is worse. */
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 5);
#endif
  g_mutex_lock (&cache->lock);
  while (!cache->quit)
    {
      g_autoptr(GError) error = NULL;
      SaCachedFrame *frame;
      gboolean is_request = FALSE, ok;
      guint64 serial = 0;
      double t = 0, start = 0, end;
      int width, height;
      guint gen;
      guint8 *rgb;

      if (cache->have_request)
        {
          SaCachedFrame *cached = sa_frame_store_lookup (cache->store, cache->request_t, TRUE);

          cache->have_request = FALSE;
          if (cached != NULL)
            {
              /* Prefetched after it was asked for. */
              deliver_locked (cache, cached, NULL, cache->request_serial);
              continue;
            }
          is_request = TRUE;
          t = cache->request_t;
          serial = cache->request_serial;
        }
      else if (!next_prefetch_locked (cache, &t, &not_before))
        {
          if (not_before > 0)
            {
              g_cond_wait_until (&cache->wake, &cache->lock, not_before);
              continue;
            }
          cache->idle = TRUE;
          g_cond_broadcast (&cache->idle_cond);
          g_cond_wait (&cache->wake, &cache->lock);
          continue;
        }
      width = cache->width;
      height = cache->height;
      gen = cache->size_gen;
      g_mutex_unlock (&cache->lock);

      rgb = g_malloc (frame_bytes (width, height));
      ok = sa_movie_frame_at (cache->movie, t, width, height, DISPLAY_RESIZE, rgb, &start, &error);
      if (!ok && is_request && t > 0 && g_error_matches (error, SA_ERROR, SA_ERROR_ARGUMENT))
        {
          /* Past the movie's end (a run longer than its movie): the last
           * frame stays on screen. */
          double last = cache->info.duration - 0.5 / (cache->info.fps > 0 ? cache->info.fps : 25.0);

          if (last > 0 && last < t)
            {
              g_clear_error (&error);
              ok = sa_movie_frame_at (cache->movie, last, width, height, DISPLAY_RESIZE, rgb, &start, &error);
            }
        }
      end = ok ? sa_movie_frame_at_end (cache->movie) : 0;

      g_mutex_lock (&cache->lock);
      if (!ok)
        {
          g_free (rgb);
          if (is_request)
            deliver_locked (cache, NULL, error, serial);
          else
            cache->known_end = MIN (cache->known_end, t);
          continue;
        }
      /* FFmpeg hands out the last frame a little past its end: the movie
       * ends there, and prefetch stops. */
      if (end <= t + TIME_EPS)
        cache->known_end = MIN (cache->known_end, end);
      frame = g_atomic_rc_box_new0 (SaCachedFrame);
      frame->start = start;
      frame->end = MAX (end, start + TIME_EPS * 4);
      frame->index = cache->info.fps > 0 ? (gint64) llround (start * cache->info.fps) : -1;
      frame->width = width;
      frame->height = height;
      frame->rgb = g_bytes_new_take (rgb, frame_bytes (width, height));
      cache->stats.decoded++;
      if (!is_request)
        cache->stats.prefetched++;
      if (gen == cache->size_gen)
        {
          int ahead, behind;
          double fps = cache->info.fps > 0 ? cache->info.fps : 25.0;

          /* The prefetch window is kept: evicting it would only have the
           * thread decode it again. */
          prefetch_window_locked (cache, &ahead, &behind);
          sa_frame_store_insert (cache->store, frame,
                                 cache->have_cursor ? cache->cursor - behind / fps : 0,
                                 cache->have_cursor ? cache->cursor + ahead / fps : 0);
        }
      if (is_request)
        deliver_locked (cache, frame, NULL, serial);
      sa_cached_frame_unref (frame);
    }
  g_mutex_unlock (&cache->lock);
  return NULL;
}

SaFrameCache *
sa_frame_cache_new (const char        *path,
                    int                width,
                    int                height,
                    gsize              budget,
                    SaFrameCacheFunc   func,
                    gpointer           user_data,
                    GError           **error)
{
  g_autoptr(SaMovie) movie = NULL;
  SaFrameCache *cache;

  g_return_val_if_fail (path != NULL && func != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  /* One decoding thread: the cache's own thread is the parallelism, and
   * the window's other work needs the remaining cores. */
  movie = sa_movie_open_threads (path, 1, error);
  if (movie == NULL)
    return NULL;

  cache = g_new0 (SaFrameCache, 1);
  cache->path = g_strdup (path);
  cache->info = *sa_movie_get_info (movie);
  cache->info.codec = g_strdup (cache->info.codec);
  cache->info.container = g_strdup (cache->info.container);
  cache->context = g_main_context_ref_thread_default ();
  cache->func = func;
  cache->user_data = user_data;
  g_mutex_init (&cache->lock);
  g_cond_init (&cache->wake);
  g_cond_init (&cache->idle_cond);
  cache->width = width;
  cache->height = height;
  cache->known_end = INFINITY;
  cache->store = sa_frame_store_new (budget > 0 ? budget : SA_FRAME_CACHE_DEFAULT_BUDGET);
  cache->movie = g_steal_pointer (&movie);

  cache->thread = g_thread_try_new ("syncact-frames", decoder_thread, cache, error);
  if (cache->thread == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      sa_frame_cache_free (cache);
      return NULL;
    }
  return cache;
}

void
sa_frame_cache_free (SaFrameCache *cache)
{
  if (cache == NULL)
    return;
  if (cache->thread != NULL)
    {
      g_mutex_lock (&cache->lock);
      cache->quit = TRUE;
      g_cond_signal (&cache->wake);
      g_mutex_unlock (&cache->lock);
      /* A decode in flight finishes first: one frame, never the movie. */
      g_thread_join (cache->thread);
    }
  if (cache->deliver_source != NULL)
    {
      g_source_destroy (cache->deliver_source);
      g_source_unref (cache->deliver_source);
    }
  g_clear_pointer (&cache->pending_frame, sa_cached_frame_unref);
  g_clear_error (&cache->pending_error);
  sa_frame_store_free (cache->store);
  g_clear_pointer (&cache->movie, sa_movie_free);
  g_main_context_unref (cache->context);
  g_mutex_clear (&cache->lock);
  g_cond_clear (&cache->wake);
  g_cond_clear (&cache->idle_cond);
  g_free (cache->info.codec);
  g_free (cache->info.container);
  g_free (cache->path);
  g_free (cache);
}

const SaMovieInfo *
sa_frame_cache_get_info (SaFrameCache *cache)
{
  g_return_val_if_fail (cache != NULL, NULL);
  return &cache->info;
}

const char *
sa_frame_cache_get_path (SaFrameCache *cache)
{
  g_return_val_if_fail (cache != NULL, NULL);
  return cache->path;
}

void
sa_frame_cache_set_size (SaFrameCache *cache,
                         int           width,
                         int           height)
{
  g_return_if_fail (cache != NULL);
  g_return_if_fail (width > 0 && height > 0);

  g_mutex_lock (&cache->lock);
  if (width != cache->width || height != cache->height)
    {
      cache->width = width;
      cache->height = height;
      cache->size_gen++;
      sa_frame_store_clear (cache->store);
      cache->idle = FALSE;
      g_cond_signal (&cache->wake);
    }
  g_mutex_unlock (&cache->lock);
}

void
sa_frame_cache_get_size (SaFrameCache *cache,
                         int          *width,
                         int          *height)
{
  g_return_if_fail (cache != NULL);
  g_mutex_lock (&cache->lock);
  if (width)
    *width = cache->width;
  if (height)
    *height = cache->height;
  g_mutex_unlock (&cache->lock);
}

SaCachedFrame *
sa_frame_cache_request (SaFrameCache *cache,
                        double        t)
{
  SaCachedFrame *frame;

  g_return_val_if_fail (cache != NULL, NULL);
  if (!isfinite (t) || t < 0)
    t = 0;

  g_mutex_lock (&cache->lock);
  /* Past the movie's end its last frame stays: the cache has it. */
  if (t >= cache->known_end)
    t = MAX (0.0, cache->known_end - 1e-6);
  cache->stats.requests++;
  cache->serial++;
  cache->cursor = t;
  cache->cursor_us = g_get_monotonic_time ();
  cache->have_cursor = TRUE;
  frame = sa_frame_store_lookup (cache->store, t, TRUE);
  if (frame != NULL)
    {
      cache->stats.hits++;
      sa_cached_frame_ref (frame);
      /* An older request still waiting is superseded by this answer. */
      cache->have_request = FALSE;
    }
  else
    {
      cache->have_request = TRUE;
      cache->request_t = t;
      cache->request_serial = cache->serial;
    }
  /* Also on a hit: the prefetch window follows the cursor. */
  cache->idle = FALSE;
  g_cond_signal (&cache->wake);
  g_mutex_unlock (&cache->lock);
  return frame;
}

double
sa_frame_cache_get_end (SaFrameCache *cache)
{
  double end;

  g_return_val_if_fail (cache != NULL, INFINITY);
  g_mutex_lock (&cache->lock);
  end = cache->known_end;
  g_mutex_unlock (&cache->lock);
  return end;
}

SaCachedFrame *
sa_frame_cache_lookup (SaFrameCache *cache,
                       double        t)
{
  SaCachedFrame *frame;

  g_return_val_if_fail (cache != NULL, NULL);
  g_mutex_lock (&cache->lock);
  if (t >= cache->known_end)
    t = MAX (0.0, cache->known_end - 1e-6);
  frame = sa_frame_store_lookup (cache->store, t, TRUE);
  if (frame != NULL)
    sa_cached_frame_ref (frame);
  g_mutex_unlock (&cache->lock);
  return frame;
}

SaCachedFrame *
sa_frame_cache_nearest (SaFrameCache *cache,
                        double        t)
{
  SaCachedFrame *frame;

  g_return_val_if_fail (cache != NULL, NULL);
  g_mutex_lock (&cache->lock);
  frame = sa_frame_store_nearest (cache->store, t);
  if (frame != NULL)
    sa_cached_frame_ref (frame);
  g_mutex_unlock (&cache->lock);
  return frame;
}

void
sa_frame_cache_set_playing (SaFrameCache *cache,
                            gboolean      playing)
{
  g_return_if_fail (cache != NULL);
  g_mutex_lock (&cache->lock);
  cache->playing = !!playing;
  cache->idle = FALSE;
  g_cond_signal (&cache->wake);
  g_mutex_unlock (&cache->lock);
}

void
sa_frame_cache_get_stats (SaFrameCache      *cache,
                          SaFrameCacheStats *stats)
{
  g_return_if_fail (cache != NULL && stats != NULL);
  g_mutex_lock (&cache->lock);
  *stats = cache->stats;
  stats->n_frames = sa_frame_store_get_n_frames (cache->store);
  stats->bytes = sa_frame_store_get_bytes (cache->store);
  g_mutex_unlock (&cache->lock);
}

gboolean
sa_frame_cache_wait_idle (SaFrameCache *cache,
                          guint         timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean idle;

  g_return_val_if_fail (cache != NULL, FALSE);
  g_mutex_lock (&cache->lock);
  while (!cache->idle)
    if (!g_cond_wait_until (&cache->idle_cond, &cache->lock, deadline))
      break;
  idle = cache->idle;
  g_mutex_unlock (&cache->lock);
  return idle;
}
