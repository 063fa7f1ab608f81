#include "config.h"

#include "compute/io/movie.h"

#include <glib/gi18n.h>
#include <math.h>

#include "compute/error.h"
#include "compute/io/movie-private.h"

/* Without a container index, a target this close ahead is reached by
 * decoding forward rather than seeking. */
#define FORWARD_WITHOUT_INDEX_S 2.0
#define FORWARD_ALWAYS_S 1.0

static void
swap_frames (SaMovie *movie)
{
  AVFrame *tmp = movie->cur;

  movie->cur = movie->next;
  movie->next = tmp;
}

/* TRUE when @frame is shown at or before @ticks (stream ticks since the
 * start); the slack absorbs rounding of @ticks, never a whole tick. */
static gboolean
shown_by (SaMovie       *movie,
          const AVFrame *frame,
          double         ticks)
{
  return (double) (frame->pts - movie->start) <= ticks + 1e-6;
}

static gboolean
check_end (SaMovie *movie,
           double   t,
           GError **error)
{
  double end = sa_movie_frame_end (movie, movie->cur);

  if (t < end + 1e-6)
    return TRUE;
  sa_set_error (error, SA_ERROR_ARGUMENT, movie->path,
                _("time %.3f s is past the end of the movie (its last frame ends at %.3f s)"),
                t, end);
  return FALSE;
}

/* From cur (shown by @ticks, or the first frame), decodes until next is
 * past @ticks. */
static gboolean
decode_forward (SaMovie *movie,
                double   t,
                double   ticks,
                GError **error)
{
  for (;;)
    {
      if (!movie->have_next)
        {
          int r = sa_movie_decode_next (movie, movie->next, error);

          if (r < 0)
            return FALSE;
          if (r == 0)
            return check_end (movie, t, error);
          movie->have_next = TRUE;
        }
      if (!shown_by (movie, movie->next, ticks))
        return TRUE;
      swap_frames (movie);
      movie->have_next = FALSE;
    }
}

/* Whether a keyframe lies after cur and by @ticks: then seeking skips the
 * frames in between, else decoding forward from cur is cheaper. */
static gboolean
keyframe_ahead (SaMovie *movie,
                double   t,
                double   ticks)
{
  int idx = av_index_search_timestamp (movie->st, movie->start + (gint64) floor (ticks),
                                       AVSEEK_FLAG_BACKWARD);
  const AVIndexEntry *e;

  /* A second ahead is at most a few dozen frames: cheaper than a flush of
   * the decoder's threads, even with a keyframe in between. */
  if (t - sa_movie_frame_seconds (movie, movie->cur) <= FORWARD_ALWAYS_S)
    return FALSE;
  if (idx < 0 || (e = avformat_index_get_entry (movie->st, idx)) == NULL)
    return t - sa_movie_frame_seconds (movie, movie->cur) > FORWARD_WITHOUT_INDEX_S;
  return e->timestamp > movie->cur->pts;
}

static gboolean
seek_to (SaMovie *movie,
         double   t,
         double   ticks,
         GError **error)
{
  double back = 0.0;

  for (int attempt = 0;; attempt++)
    {
      double target = t - back;
      gboolean from_start = FALSE;
      int r;

      if (target <= 0.0 || attempt >= 6)
        from_start = TRUE;
      else
        {
          gint64 ts = movie->start + (gint64) floor (target / av_q2d (movie->tb));

          if (av_seek_frame (movie->fmt, movie->stream, ts, AVSEEK_FLAG_BACKWARD) < 0)
            from_start = TRUE;
          else
            {
              avcodec_flush_buffers (movie->dec);
              movie->have_pending = FALSE;
              movie->demux_eof = movie->dec_eof = FALSE;
              movie->at_start = FALSE;
              movie->bad_packets = 0;
              movie->last_pts = AV_NOPTS_VALUE;
            }
        }
      if (from_start)
        {
          if (!sa_movie_rewind (movie, error))
            return FALSE;
        }
      movie->have_cur = movie->have_next = FALSE;

      r = sa_movie_decode_next (movie, movie->cur, error);
      if (r < 0)
        return FALSE;
      if (r == 0)
        {
          if (from_start)
            {
              sa_set_error (error, SA_ERROR_INVALID_DATA, movie->path,
                            _("undecodable video stream (no frame could be decoded)"));
              return FALSE;
            }
          back = back * 2.0 + 1.0;
          continue;
        }
      movie->have_cur = TRUE;
      /* Before the first frame, the first frame is what is shown. */
      if (from_start || shown_by (movie, movie->cur, ticks))
        return decode_forward (movie, t, ticks, error);
      /* The seek landed after @t (inexact index, reordered frames): try
       * further back. */
      back = back * 2.0 + 1.0;
    }
}

gboolean
sa_movie_frame_at (SaMovie  *movie,
                   double    t,
                   int       width,
                   int       height,
                   SaResize  method,
                   guint8   *rgb,
                   double   *frame_time,
                   GError  **error)
{
  double ticks;
  gboolean ok;

  g_return_val_if_fail (movie != NULL && rgb != NULL, FALSE);
  if (!sa_movie_check_size (movie, width, height, error))
    return FALSE;
  if (!isfinite (t) || t < 0.0)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, movie->path, _("time %g s is not in the movie"), t);
      return FALSE;
    }
  ticks = t / av_q2d (movie->tb);

  movie->skip_mode = SKIP_BEFORE;
  movie->skip_t = t;
  if (movie->have_cur && shown_by (movie, movie->cur, ticks))
    {
      if (movie->have_next && !shown_by (movie, movie->next, ticks))
        ok = TRUE;
      else if (!movie->have_next && movie->dec_eof)
        ok = check_end (movie, t, error);
      else if (!movie->dec_eof && !keyframe_ahead (movie, t, ticks))
        ok = decode_forward (movie, t, ticks, error);
      else
        ok = seek_to (movie, t, ticks, error);
    }
  else
    ok = seek_to (movie, t, ticks, error);
  movie->skip_mode = SKIP_NONE;
  if (!ok)
    {
      /* Whatever state the failure left is not a position to reuse. */
      movie->have_cur = movie->have_next = FALSE;
      return FALSE;
    }
  if (frame_time != NULL)
    *frame_time = sa_movie_frame_seconds (movie, movie->cur);
  return sa_movie_convert (movie, movie->cur, width, height, method, rgb, error);
}

double
sa_movie_frame_at_end (SaMovie *movie)
{
  g_return_val_if_fail (movie != NULL, 0.0);
  if (!movie->have_cur)
    return 0.0;
  /* sa_movie_frame_at() leaves next decoded and past the time asked for,
   * unless the movie ended. */
  if (movie->have_next)
    return sa_movie_frame_seconds (movie, movie->next);
  return sa_movie_frame_end (movie, movie->cur);
}

/* TRUE when @frame comes before the end of TR @k. With a constant rate the
 * frame's index (its time × fps, rounded) is compared to ⌈(k+1)·TR·fps⌉,
 * which absorbs timestamps rounded by the container (WebM keeps ms);
 * otherwise its time is compared to (k+1)·TR. */
static gboolean
before_tr_end (SaMovie       *movie,
               const AVFrame *frame,
               int            k,
               double         tr)
{
  double fps = movie->info.fps;

  if (!movie->info.variable_rate && fps > 0.0)
    {
      gint64 index = llround (sa_movie_frame_seconds (movie, frame) * fps);
      gint64 bound = (gint64) ceil ((k + 1) * tr * fps - 1e-6);
      return index < bound;
    }
  return (double) (frame->pts - movie->start) + 1e-6 < (k + 1) * tr / av_q2d (movie->tb);
}

static void
set_too_short (SaMovie *movie,
               double   have,
               double   tr,
               int      n_tr,
               GError **error)
{
  sa_set_error (error, SA_ERROR_MISMATCH, movie->path,
                _("the movie lasts %.3f s but the run needs %.3f s (%d TRs of %g s)"),
                have, n_tr * tr, n_tr, tr);
}

typedef struct {
  SaMovie    *movie;
  int         width, height;
  SaResize    method;
  guint8     *rgb;
  gint64      converted_pts;
  gboolean    have_converted;
  SaFrameFunc func;
  gpointer    user_data;
  gboolean    stopped;
} Emit;

static gboolean
emit (Emit          *e,
      int            k,
      const AVFrame *frame,
      GError       **error)
{
  /* One frame can end several TRs (TR shorter than a frame): convert once. */
  if (!e->have_converted || e->converted_pts != frame->pts)
    {
      if (!sa_movie_convert (e->movie, frame, e->width, e->height, e->method, e->rgb, error))
        return FALSE;
      e->converted_pts = frame->pts;
      e->have_converted = TRUE;
    }
  if (!e->func (k, e->rgb, e->width, e->height,
                sa_movie_frame_seconds (e->movie, frame), e->user_data))
    e->stopped = TRUE;
  return TRUE;
}

static gboolean
sample_frames (SaMovie          *movie,
               double            tr,
               int               n_tr,
               Emit             *e,
               const SaProgress *progress,
               GCancellable     *cancellable,
               GError          **error)
{
  double need = n_tr * tr;
  double slack = movie->info.fps > 0.0 ? 1.0 / movie->info.fps : 0.0;
  double reported = -1.0, end;
  gboolean have_prev = FALSE;
  int k = 0;

  movie->skip_mode = SKIP_TR;
  movie->skip_tr = tr;
  movie->skip_n_tr = n_tr;

  /* movie->cur holds the last frame before the end of TR k, movie->next
   * the frame just decoded. */
  while (k < n_tr)
    {
      int r;

      if (sa_check_cancelled (cancellable, error))
        return FALSE;
      r = sa_movie_decode_next (movie, movie->next, error);
      if (r < 0)
        return FALSE;
      if (r == 0)
        break;
      while (k < n_tr && !before_tr_end (movie, movie->next, k, tr))
        {
          if (!emit (e, k, have_prev ? movie->cur : movie->next, error))
            return FALSE;
          k++;
          if (e->stopped)
            return TRUE;
        }
      swap_frames (movie);
      have_prev = TRUE;
      if (progress != NULL)
        {
          double f = sa_movie_frame_seconds (movie, movie->cur) / need;
          if (f - reported >= 0.01)
            {
              sa_progress_report (progress, f, NULL);
              reported = f;
            }
        }
    }

  if (k < n_tr)
    {
      if (!have_prev)
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, movie->path,
                        _("undecodable video stream (no frame could be decoded)"));
          return FALSE;
        }
      end = sa_movie_frame_end (movie, movie->cur);
      while (k < n_tr && ((k + 1) * tr <= end + slack + 1e-6 || end + slack + 1e-6 >= need))
        {
          if (!emit (e, k, movie->cur, error))
            return FALSE;
          k++;
          if (e->stopped)
            return TRUE;
        }
      if (k < n_tr)
        {
          set_too_short (movie, end, tr, n_tr, error);
          return FALSE;
        }
    }
  sa_progress_report (progress, 1.0, NULL);
  return TRUE;
}

gboolean
sa_movie_sample_tr (SaMovie          *movie,
                    double            tr,
                    int               n_tr,
                    int               width,
                    int               height,
                    SaResize          method,
                    SaFrameFunc       func,
                    gpointer          user_data,
                    const SaProgress *progress,
                    GCancellable     *cancellable,
                    GError          **error)
{
  g_autofree guint8 *rgb = NULL;
  Emit e = { movie, width, height, method, NULL, 0, FALSE, func, user_data, FALSE };
  double need = n_tr * tr;
  double slack = movie->info.fps > 0.0 ? 1.0 / movie->info.fps : 0.0;
  gboolean ok;

  g_return_val_if_fail (movie != NULL && func != NULL, FALSE);
  if (!isfinite (tr) || tr <= 0.0 || n_tr < 1)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, movie->path,
                    _("a run needs a positive TR and at least one TR (got TR %g s, %d TRs)"), tr, n_tr);
      return FALSE;
    }
  if (!sa_movie_check_size (movie, width, height, error))
    return FALSE;
  /* The container's length is checked first so a short movie fails before
   * minutes of decoding; the frames decide in the end (truncated files
   * claim more than they hold). A movie may end within one frame of the
   * run: that last frame is held. Containers round the last frame's
   * duration (MP4 with variable rate), hence a second of leeway here. */
  if (movie->info.duration > 0.0 && movie->info.duration + MAX (1.0, 2 * slack) < need)
    {
      set_too_short (movie, movie->info.duration, tr, n_tr, error);
      return FALSE;
    }
  if (!sa_movie_rewind (movie, error))
    return FALSE;
  movie->have_cur = movie->have_next = FALSE;
  rgb = g_malloc ((gsize) width * height * 3);
  e.rgb = rgb;
  ok = sample_frames (movie, tr, n_tr, &e, progress, cancellable, error);
  movie->skip_mode = SKIP_NONE;
  return ok;
}

gint64
sa_movie_get_frames_decoded (SaMovie *movie)
{
  return movie->frames_decoded;
}
