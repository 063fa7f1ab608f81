#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/frame-cache.h"
#include "compute/io/frame-store.h"
#include "tests/testutil.h"

/* A counter movie (as in test-movie.c): each frame draws its index in 12
 * black/white blocks of 16 px, so a frame handed over names itself. One
 * keyframe for the whole movie (-g 250, 3 B-frames): every seek is the
 * worst case. */
#define CW 192
#define CH 64
#define FPS 24
#define SECONDS 10
#define COUNTER "format=yuv420p,geq=lum='if(mod(floor(N/pow(2\\,floor(X/16)))\\,2)\\,235\\,16)':cb=128:cr=128"

static char *movie_path;

static gint64
read_counter (const guint8 *rgb)
{
  gint64 n = 0;

  for (int b = 0; b < 12; b++)
    if (rgb[((CH / 2) * CW + b * 16 + 8) * 3 + 1] > 128)
      n |= (gint64) 1 << b;
  return n;
}

static gboolean
make_movie (void)
{
  g_autofree char *ff = g_find_program_in_path ("ffmpeg");
  g_autofree char *dir = NULL, *cmd = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (movie_path != NULL)
    return TRUE;
  if (ff == NULL)
    {
      g_test_skip ("ffmpeg not installed");
      return FALSE;
    }
  dir = sa_test_tmpdir ();
  movie_path = g_build_filename (dir, "counter.mp4", NULL);
  cmd = g_strdup_printf ("ffmpeg -nostdin -v error -y -f lavfi -i \"nullsrc=s=%dx%d:r=%d:d=%d,%s\" "
                         "-c:v libx264 -preset veryfast -crf 16 -g 250 -bf 3 '%s'",
                         CW, CH, FPS, SECONDS, COUNTER, movie_path);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s\n%s", cmd, err);
  return TRUE;
}

typedef struct {
  int            calls;
  SaCachedFrame *frame;
  GError        *error;
} Got;

static void
got_frame (SaFrameCache  *cache,
           SaCachedFrame *frame,
           const GError  *error,
           gpointer       user_data)
{
  Got *got = user_data;

  got->calls++;
  g_clear_pointer (&got->frame, sa_cached_frame_unref);
  g_clear_error (&got->error);
  got->frame = frame ? sa_cached_frame_ref (frame) : NULL;
  got->error = error ? g_error_copy (error) : NULL;
}

static void
got_clear (Got *got)
{
  g_clear_pointer (&got->frame, sa_cached_frame_unref);
  g_clear_error (&got->error);
  got->calls = 0;
}

/* Runs the main context until the thread is idle and deliveries are in. */
static void
settle (SaFrameCache *cache)
{
  g_assert_true (sa_frame_cache_wait_idle (cache, 20000));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The frame sa_movie_frame_at() gives for @t at the cache's size, from a
 * movie of our own. */
static void
assert_exact (SaMovie       *ref,
              SaCachedFrame *frame,
              double         t)
{
  g_autofree guint8 *rgb = g_malloc ((gsize) frame->width * frame->height * 3);
  g_autoptr(GError) error = NULL;
  double ft = -1;
  gsize size;
  const guint8 *got = g_bytes_get_data (frame->rgb, &size);

  g_assert_true (sa_movie_frame_at (ref, t, frame->width, frame->height, SA_RESIZE_AREA, rgb, &ft, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (frame->start, ft, 1e-9);
  g_assert_cmpuint (size, ==, (gsize) frame->width * frame->height * 3);
  g_assert_cmpmem (got, size, rgb, size);
  /* And the frame names itself: the one shown at t. */
  g_assert_cmpint (read_counter (got), ==, (gint64) floor (t * FPS + 1e-9));
  g_assert_cmpint (frame->index, ==, read_counter (got));
  g_assert_cmpfloat (frame->start, <=, t + 1e-9);
  g_assert_cmpfloat (frame->end, >, t);
}

static void
test_exact (void)
{
  const double times[] = { 5.3, 0.0, 9.95, 7.0 + 1.0 / FPS, 2.5, 5.31 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SaMovie) ref = NULL;
  g_autoptr(SaFrameCache) cache = NULL;
  Got got = { 0 };

  if (!make_movie ())
    return;
  ref = sa_movie_open (movie_path, &error);
  g_assert_no_error (error);
  cache = sa_frame_cache_new (movie_path, CW, CH, 0, got_frame, &got, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (sa_frame_cache_get_info (cache)->fps, FPS, 1e-6);

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(SaCachedFrame) hit = sa_frame_cache_request (cache, times[i]);

      if (hit == NULL)
        {
          got_clear (&got);
          settle (cache);
          g_assert_cmpint (got.calls, ==, 1);
          g_assert_no_error (got.error);
          hit = sa_cached_frame_ref (got.frame);
        }
      assert_exact (ref, hit, times[i]);
      /* Asked again: from the cache, at once. */
      {
        g_autoptr(SaCachedFrame) again = sa_frame_cache_request (cache, times[i]);
        g_assert_true (again == hit);
      }
    }
  /* 5.31 lies in 5.3's frame or the next: prefetched around 5.3. */
  {
    SaFrameCacheStats stats;
    sa_frame_cache_get_stats (cache, &stats);
    g_assert_cmpuint (stats.hits, >=, G_N_ELEMENTS (times) + 1);
    g_assert_cmpuint (stats.prefetched, >, 0);
  }
  got_clear (&got);
}

/* Many requests at once: only the newest is answered. */
static void
test_newest_wins (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SaMovie) ref = NULL;
  g_autoptr(SaFrameCache) cache = NULL;
  SaFrameCacheStats stats;
  SaCachedFrame *last_hit = NULL;
  Got got = { 0 };
  double last = 0;

  if (!make_movie ())
    return;
  ref = sa_movie_open (movie_path, &error);
  cache = sa_frame_cache_new (movie_path, CW, CH, 0, got_frame, &got, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 40; i++)
    {
      /* Spread over the movie, each far from the one before. */
      last = fmod (i * 3.7 + 0.51, SECONDS - 0.1);
      g_clear_pointer (&last_hit, sa_cached_frame_unref);
      last_hit = sa_frame_cache_request (cache, last);
    }
  settle (cache);
  sa_frame_cache_get_stats (cache, &stats);
  if (last_hit != NULL)
    {
      /* The newest was answered from the cache: nothing else may come. */
      g_assert_cmpint (got.calls, ==, 0);
      assert_exact (ref, last_hit, last);
    }
  else
    {
      g_assert_cmpint (got.calls, ==, 1);
      g_assert_nonnull (got.frame);
      assert_exact (ref, got.frame, last);
    }
  g_assert_cmpuint (stats.requests, ==, 40);
  g_assert_cmpuint (stats.delivered, ==, (guint64) got.calls);
  /* The thread cannot have decoded 40 seeks in the time 40 requests took. */
  g_assert_cmpuint (stats.decoded - stats.prefetched, <, 40);
  g_clear_pointer (&last_hit, sa_cached_frame_unref);
  got_clear (&got);
}

/* While playing, the frames ahead are decoded before they are asked for;
 * the cache stays within its budget. */
static void
test_playing (void)
{
  const gsize frame = (gsize) CW * CH * 3;
  const gsize budget = 120 * frame;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaFrameCache) cache = NULL;
  SaFrameCacheStats stats;
  Got got = { 0 };
  double t = 2.0;

  if (!make_movie ())
    return;
  cache = sa_frame_cache_new (movie_path, CW, CH, budget, got_frame, &got, &error);
  g_assert_no_error (error);
  sa_frame_cache_set_playing (cache, TRUE);
  g_assert_null (sa_frame_cache_request (cache, t));
  settle (cache);
  g_assert_cmpint (got.calls, ==, 1);
  /* 3 s ahead at 24 fps = 72 frames, within 3/4 of the budget. */
  for (int k = 0; k < 72; k++)
    {
      g_autoptr(SaCachedFrame) f = sa_frame_cache_lookup (cache, t + (k + 0.5) / FPS);
      g_assert_nonnull (f);
      g_assert_cmpint (f->index, ==, 48 + k);
    }
  /* Play 6 s at 24 fps, waiting for the thread each second, as a screen
   * would have time to: every frame is there when the cursor comes. */
  for (int k = 0; k < 6 * FPS; k++)
    {
      g_autoptr(SaCachedFrame) f = NULL;

      t += 1.0 / FPS;
      f = sa_frame_cache_request (cache, t);
      g_assert_nonnull (f);
      g_assert_cmpint (f->index, ==, (gint64) floor (t * FPS + 1e-9));
      if (k % FPS == 0)
        settle (cache);
    }
  sa_frame_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.bytes, <=, budget);
  g_assert_cmpuint (stats.n_frames, <=, 120);
  g_assert_cmpint (got.calls, ==, 1);

  /* Idle: a second either side of the cursor. */
  sa_frame_cache_set_playing (cache, FALSE);
  g_clear_pointer (&got.frame, sa_cached_frame_unref);
  {
    g_autoptr(SaCachedFrame) f = sa_frame_cache_request (cache, 3.0);
  }
  settle (cache);
  for (int k = -FPS / 2; k <= FPS / 2; k++)
    {
      g_autoptr(SaCachedFrame) f = sa_frame_cache_lookup (cache, 3.0 + k / (double) FPS + 0.01);
      g_assert_nonnull (f);
    }
  got_clear (&got);
}

/* Past the end of the movie: its last frame. A size change drops frames. */
static void
test_end_and_size (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SaFrameCache) cache = NULL;
  g_autoptr(SaCachedFrame) nearest = NULL;
  SaFrameCacheStats stats;
  int w, h;
  Got got = { 0 };

  if (!make_movie ())
    return;
  cache = sa_frame_cache_new (movie_path, CW, CH, 0, got_frame, &got, &error);
  g_assert_no_error (error);
  g_assert_null (sa_frame_cache_request (cache, SECONDS + 5.0));
  settle (cache);
  g_assert_cmpint (got.calls, ==, 1);
  g_assert_no_error (got.error);
  g_assert_cmpint (got.frame->index, ==, SECONDS * FPS - 1);
  g_assert_cmpint (read_counter (g_bytes_get_data (got.frame->rgb, NULL)), ==, SECONDS * FPS - 1);

  /* Now the end is known: later times past it are answered at once. */
  g_assert_cmpfloat_with_epsilon (sa_frame_cache_get_end (cache), SECONDS, 1e-6);
  {
    g_autoptr(SaCachedFrame) again = sa_frame_cache_request (cache, SECONDS + 7.0);
    g_assert_true (again == got.frame);
  }
  nearest = sa_frame_cache_nearest (cache, 0.0);
  g_assert_nonnull (nearest);
  g_assert_cmpfloat (nearest->start, >, SECONDS - 2.0);

  sa_frame_cache_set_size (cache, CW / 2, CH / 2);
  sa_frame_cache_get_size (cache, &w, &h);
  g_assert_cmpint (w, ==, CW / 2);
  g_assert_cmpint (h, ==, CH / 2);
  g_assert_null (sa_frame_cache_lookup (cache, SECONDS - 0.01));
  got_clear (&got);
  g_assert_null (sa_frame_cache_request (cache, 1.0));
  settle (cache);
  g_assert_cmpint (got.frame->width, ==, CW / 2);
  g_assert_cmpint (got.frame->height, ==, CH / 2);
  sa_frame_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.bytes, ==, stats.n_frames * (gsize) (CW / 2) * (CH / 2) * 3);
  got_clear (&got);
}

static void
never_called (SaFrameCache  *cache,
              SaCachedFrame *frame,
              const GError  *error,
              gpointer       user_data)
{
  g_assert_not_reached ();
}

/* Freed with a decode in flight, or with an answer not yet delivered: the
 * thread joins and nothing is called afterwards. */
static void
test_free_in_flight (void)
{
  g_autoptr(GError) error = NULL;

  if (!make_movie ())
    return;
  for (int i = 0; i < 5; i++)
    {
      SaFrameCache *cache = sa_frame_cache_new (movie_path, CW, CH, 0, never_called, NULL, &error);

      g_assert_no_error (error);
      g_assert_null (sa_frame_cache_request (cache, 9.9 - i * 0.3));
      if (i % 2 == 1)
        g_assert_true (sa_frame_cache_wait_idle (cache, 20000));
      sa_frame_cache_free (cache);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
}

static void
test_bad_movie (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *missing = g_build_filename (dir, "missing.mp4", NULL);
  g_autofree char *junk = g_build_filename (dir, "junk.mp4", NULL);
  g_autoptr(GError) error = NULL;
  SaFrameCache *cache;

  cache = sa_frame_cache_new (missing, 64, 64, 0, never_called, NULL, &error);
  g_assert_null (cache);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (junk, "this is not a movie\n", -1, NULL));
  cache = sa_frame_cache_new (junk, 64, 64, 0, never_called, NULL, &error);
  g_assert_null (cache);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, junk));
}

static SaCachedFrame *
tiny_frame (int i)
{
  SaCachedFrame *f = g_atomic_rc_box_new0 (SaCachedFrame);

  f->start = i;
  f->end = i + 1;
  f->index = i;
  f->width = f->height = 1;
  f->rgb = g_bytes_new_take (g_malloc0 (3), 3);
  return f;
}

/* The store: lookup by interval, least recently used out first, the kept
 * window spared, the budget held. */
static void
test_store (void)
{
  SaFrameStore *store = sa_frame_store_new (10 * 3);

  for (int i = 0; i < 10; i++)
    {
      g_autoptr(SaCachedFrame) f = tiny_frame (i);
      sa_frame_store_insert (store, f, 0, 0);
    }
  g_assert_cmpuint (sa_frame_store_get_n_frames (store), ==, 10);
  g_assert_cmpint (sa_frame_store_lookup (store, 3.5, FALSE)->index, ==, 3);
  g_assert_cmpint (sa_frame_store_lookup (store, 4.0, FALSE)->index, ==, 4);
  g_assert_null (sa_frame_store_lookup (store, 10.0, FALSE));
  /* 0 used again: 1 is now the least recently used... */
  g_assert_nonnull (sa_frame_store_lookup (store, 0.2, TRUE));
  {
    g_autoptr(SaCachedFrame) f = tiny_frame (10);
    sa_frame_store_insert (store, f, 0, 0);
  }
  g_assert_null (sa_frame_store_lookup (store, 1.5, FALSE));
  g_assert_nonnull (sa_frame_store_lookup (store, 0.5, FALSE));
  /* ...but 2 and 3 are in the kept window: 4 goes. */
  {
    g_autoptr(SaCachedFrame) f = tiny_frame (11);
    sa_frame_store_insert (store, f, 2.0, 4.0);
  }
  g_assert_nonnull (sa_frame_store_lookup (store, 2.5, FALSE));
  g_assert_nonnull (sa_frame_store_lookup (store, 3.5, FALSE));
  g_assert_null (sa_frame_store_lookup (store, 4.5, FALSE));
  g_assert_cmpuint (sa_frame_store_get_bytes (store), ==, 30);
  /* Nearest: from either side. */
  g_assert_cmpint (sa_frame_store_nearest (store, 4.2)->index, ==, 3);
  g_assert_cmpint (sa_frame_store_nearest (store, 4.9)->index, ==, 5);
  g_assert_cmpint (sa_frame_store_nearest (store, 100)->index, ==, 11);
  sa_frame_store_clear (store);
  g_assert_null (sa_frame_store_nearest (store, 1));
  g_assert_cmpuint (sa_frame_store_get_bytes (store), ==, 0);
  sa_frame_store_free (store);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/frame-cache/store", test_store);
  g_test_add_func ("/compute/frame-cache/exact", test_exact);
  g_test_add_func ("/compute/frame-cache/newest-wins", test_newest_wins);
  g_test_add_func ("/compute/frame-cache/playing", test_playing);
  g_test_add_func ("/compute/frame-cache/end-and-size", test_end_and_size);
  g_test_add_func ("/compute/frame-cache/free-in-flight", test_free_in_flight);
  g_test_add_func ("/compute/frame-cache/bad-movie", test_bad_movie);
  return g_test_run ();
}
