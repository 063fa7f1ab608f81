#include "config.h"

#include "compute/io/movie.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "compute/error.h"
#include "compute/io/movie-private.h"
#include "compute/io/resize.h"

/* Bigger frames than 8K UHD are refused: a damaged header must not make the
 * decoder (or our RGB buffers) allocate gigabytes. */
#define MAX_PIXELS (8192 * 4352)
#define MAX_OUTPUT_SIDE 16384
/* Packets read at open to tell constant from variable frame rate. */
#define RATE_PROBE_PACKETS 300
/* Consecutive packets the decoder may reject before the stream is
 * declared undecodable. */
#define MAX_BAD_PACKETS 500

static const char *const NOT_A_MOVIE = N_("not a movie FFmpeg can decode");

static void
quiet_ffmpeg_once (void)
{
  static gsize done = 0;

  /* FFmpeg's own warnings would interleave with the CLI's output; our
   * errors carry what matters. SYNCACT_FFMPEG_LOG=1 brings them back. */
  if (g_once_init_enter (&done))
    {
      if (g_getenv ("SYNCACT_FFMPEG_LOG") == NULL)
        av_log_set_level (AV_LOG_QUIET);
      g_once_init_leave (&done, 1);
    }
}

static const char *
av_error_string (int err, char *buf, gsize size)
{
  av_strerror (err, buf, size);
  return buf;
}

static void
close_streams (SaMovie *movie)
{
  avcodec_free_context (&movie->dec);
  avformat_close_input (&movie->fmt);
  movie->st = NULL;
  movie->have_cur = movie->have_next = FALSE;
  movie->dec_eof = movie->demux_eof = FALSE;
  movie->have_pending = FALSE;
  if (movie->pending != NULL)
    av_frame_unref (movie->pending);
}

static gboolean
is_still_image_format (const char *name)
{
  return g_str_equal (name, "image2") || g_str_has_suffix (name, "_pipe") ||
         g_str_equal (name, "tty");
}

/* Opens the container and the decoder; used at open and to rewind streams
 * that cannot seek. */
static gboolean
open_streams (SaMovie *movie,
              GError **error)
{
  const AVCodec *codec = NULL;
  char buf[AV_ERROR_MAX_STRING_SIZE];
  int ret;

  ret = avformat_open_input (&movie->fmt, movie->path, NULL, NULL);
  if (ret < 0)
    {
      if (ret == AVERROR (ENOENT))
        sa_set_error (error, SA_ERROR_NOT_FOUND, movie->path, _("no such file"));
      else
        sa_set_error (error, SA_ERROR_INVALID_DATA, movie->path, _("%s (%s)"),
                      _(NOT_A_MOVIE), av_error_string (ret, buf, sizeof buf));
      return FALSE;
    }
  ret = avformat_find_stream_info (movie->fmt, NULL);
  if (ret < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, movie->path, _("%s (%s)"),
                    _(NOT_A_MOVIE), av_error_string (ret, buf, sizeof buf));
      return FALSE;
    }
  if (is_still_image_format (movie->fmt->iformat->name))
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, movie->path, _("%s (it reads as a still image or text)"),
                    _(NOT_A_MOVIE));
      return FALSE;
    }
  ret = av_find_best_stream (movie->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  if (ret == AVERROR_DECODER_NOT_FOUND)
    {
      sa_set_error (error, SA_ERROR_UNSUPPORTED, movie->path, _("%s (no decoder for its video codec)"),
                    _(NOT_A_MOVIE));
      return FALSE;
    }
  if (ret < 0 || (movie->fmt->streams[ret]->disposition & AV_DISPOSITION_ATTACHED_PIC))
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, movie->path, _("%s (no video stream)"),
                    _(NOT_A_MOVIE));
      return FALSE;
    }
  movie->stream = ret;
  movie->st = movie->fmt->streams[ret];

  movie->dec = avcodec_alloc_context3 (codec);
  if (movie->dec == NULL ||
      avcodec_parameters_to_context (movie->dec, movie->st->codecpar) < 0)
    {
      sa_set_error (error, SA_ERROR_FAILED, movie->path, _("cannot set up the video decoder"));
      return FALSE;
    }
  movie->dec->pkt_timebase = movie->st->time_base;
  movie->dec->thread_count = movie->threads;
  movie->dec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  movie->dec->max_pixels = MAX_PIXELS;
  ret = avcodec_open2 (movie->dec, codec, NULL);
  if (ret < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, movie->path, _("%s (%s video: %s)"),
                    _(NOT_A_MOVIE), codec->name, av_error_string (ret, buf, sizeof buf));
      return FALSE;
    }
  if (movie->dec->width <= 0 || movie->dec->height <= 0 ||
      (gint64) movie->dec->width * movie->dec->height > MAX_PIXELS)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, movie->path, _("%s (frame size %d×%d)"),
                    _(NOT_A_MOVIE), movie->dec->width, movie->dec->height);
      return FALSE;
    }
  movie->tb = movie->st->time_base;
  if (movie->tb.num <= 0 || movie->tb.den <= 0)
    movie->tb = (AVRational) { 1, AV_TIME_BASE };
  movie->at_start = TRUE;
  movie->bad_packets = 0;
  movie->last_pts = AV_NOPTS_VALUE;
  return TRUE;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

/* Frame durations from presentation times in stream ticks: variable when
 * they spread by more than a tenth of the typical one (plus rounding to
 * the time base, e.g. 33/34 ms for 29.97 fps in WebM). */
static gboolean
times_vary (GArray *ts)
{
  g_autoptr(GArray) d = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 lo, hi, med;

  if (ts->len < 3)
    return FALSE;
  g_array_sort (ts, compare_gint64);
  for (guint i = 1; i < ts->len; i++)
    {
      gint64 delta = g_array_index (ts, gint64, i) - g_array_index (ts, gint64, i - 1);
      if (delta > 0)
        g_array_append_val (d, delta);
    }
  if (d->len < 2)
    return FALSE;
  g_array_sort (d, compare_gint64);
  lo = g_array_index (d, gint64, 0);
  hi = g_array_index (d, gint64, d->len - 1);
  med = g_array_index (d, gint64, d->len / 2);
  return (double) (hi - lo) > 1.5 + 0.1 * (double) med;
}

/* Rewinds the demuxer and decoder to the first frame. */
static gboolean
rewind_streams (SaMovie *movie,
                GError **error)
{
  gint64 start = movie->start;

  if (movie->at_start)
    return TRUE;
  if (av_seek_frame (movie->fmt, movie->stream, start, AVSEEK_FLAG_BACKWARD) >= 0 ||
      av_seek_frame (movie->fmt, movie->stream, start, AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY) >= 0)
    {
      avcodec_flush_buffers (movie->dec);
      movie->have_cur = movie->have_next = FALSE;
      movie->have_pending = FALSE;
      movie->dec_eof = movie->demux_eof = FALSE;
      movie->at_start = TRUE;
      movie->bad_packets = 0;
      movie->last_pts = AV_NOPTS_VALUE;
      return TRUE;
    }
  /* Streams without an index (raw elementary streams, pipes) cannot seek;
   * reopening reads them from the top again. */
  close_streams (movie);
  return open_streams (movie, error);
}

static gboolean
probe_rate (SaMovie *movie,
            GError **error)
{
  g_autoptr(GArray) ts = g_array_new (FALSE, FALSE, sizeof (gint64));
  AVStream *st = movie->st;
  int n_index = avformat_index_get_entries_count (st);

  /* MP4 and AVI index every frame: their timestamps cover the whole movie
   * at no decoding cost. Others (Matroska cues) index keyframes only, so
   * the first packets are read instead. */
  if (st->nb_frames > 2 && n_index >= st->nb_frames)
    {
      for (int i = 0; i < n_index; i++)
        {
          const AVIndexEntry *e = avformat_index_get_entry (st, i);
          if (e != NULL && e->timestamp != AV_NOPTS_VALUE)
            g_array_append_val (ts, e->timestamp);
        }
    }
  else
    {
      AVPacket *pkt = av_packet_alloc ();
      int n = 0, reads = 0;

      while (n < RATE_PROBE_PACKETS && reads < RATE_PROBE_PACKETS * 20 &&
             av_read_frame (movie->fmt, pkt) >= 0)
        {
          reads++;
          if (pkt->stream_index == movie->stream && pkt->pts != AV_NOPTS_VALUE)
            {
              g_array_append_val (ts, pkt->pts);
              n++;
            }
          av_packet_unref (pkt);
        }
      av_packet_free (&pkt);
      movie->at_start = FALSE;
      /* Not all of these demuxers seek back to the very first frame
       * (MPEG-TS lands on a nearby one): read from the top again. */
      close_streams (movie);
      if (!open_streams (movie, error))
        return FALSE;
    }
  movie->info.variable_rate = times_vary (ts);
  return TRUE;
}

SaMovie *
sa_movie_open (const char *path,
               GError    **error)
{
  return sa_movie_open_threads (path, 0, error);
}

SaMovie *
sa_movie_open_threads (const char *path,
                       int         threads,
                       GError    **error)
{
  g_autoptr(SaMovie) movie = g_new0 (SaMovie, 1);
  SaMovieInfo *info = &movie->info;
  AVStream *st;
  AVRational rate;

  g_return_val_if_fail (path != NULL, NULL);
  quiet_ffmpeg_once ();
  movie->path = g_strdup (path);
  movie->threads = MAX (threads, 0);
  movie->pkt = av_packet_alloc ();
  movie->cur = av_frame_alloc ();
  movie->next = av_frame_alloc ();
  movie->pending = av_frame_alloc ();
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      sa_set_error (error, SA_ERROR_NOT_FOUND, path, _("no such file"));
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("%s (it is a folder)"), _(NOT_A_MOVIE));
      return NULL;
    }
  if (!open_streams (movie, error))
    return NULL;

  st = movie->st;
  movie->start = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
  info->width = movie->dec->width;
  info->height = movie->dec->height;
  info->codec = g_strdup (avcodec_get_name (st->codecpar->codec_id));
  /* AVI stores frames in decoding order without presentation times: its
   * packet "pts" is a decoding index, useless to tell which frame a packet
   * becomes. */
  movie->pts_reliable = strcmp (movie->fmt->iformat->name, "avi") != 0;
  info->container = g_strdup (movie->fmt->iformat->name);

  rate = st->avg_frame_rate;
  if (rate.num <= 0 || rate.den <= 0)
    rate = st->r_frame_rate;
  info->fps = rate.num > 0 && rate.den > 0 ? av_q2d (rate) : 0.0;
  if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
    info->duration = st->duration * av_q2d (movie->tb);
  else if (movie->fmt->duration != AV_NOPTS_VALUE && movie->fmt->duration > 0)
    info->duration = movie->fmt->duration / (double) AV_TIME_BASE;
  if (st->nb_frames > 0)
    info->n_frames = st->nb_frames;
  else
    info->n_frames = (gint64) llround (info->duration * info->fps);
  if ((info->fps <= 0.0 || info->fps > 1000.0) && info->n_frames > 0 && info->duration > 0)
    info->fps = info->n_frames / info->duration;
  if (!isfinite (info->fps) || info->fps <= 0.0 || info->fps > 1000.0)
    {
      /* Nothing says how fast it plays: frames are then placed by their
       * timestamps only. */
      info->fps = 0.0;
      info->variable_rate = TRUE;
    }
  else if (!probe_rate (movie, error))
    return NULL;

  /* Time 0 is the first frame shown. Usually that is the stream's start
   * time, but not always: AVI with B-frames stamps frame N with N+1. An
   * undecodable stream is reported when frames are asked for. */
  if (sa_movie_decode_next (movie, movie->cur, NULL) == 1)
    {
      movie->start = movie->cur->pts;
      movie->start_known = TRUE;
      movie->have_cur = TRUE;
    }
  return g_steal_pointer (&movie);
}

void
sa_movie_free (SaMovie *movie)
{
  if (movie == NULL)
    return;
  close_streams (movie);
  av_packet_free (&movie->pkt);
  av_frame_free (&movie->cur);
  av_frame_free (&movie->next);
  av_frame_free (&movie->pending);
  sws_freeContext (movie->sws);
  av_free (movie->full);
  av_free (movie->scaled);
  g_free (movie->info.codec);
  g_free (movie->info.container);
  g_free (movie->path);
  g_free (movie);
}

const SaMovieInfo *
sa_movie_get_info (SaMovie *movie)
{
  return &movie->info;
}

const char *
sa_movie_get_path (SaMovie *movie)
{
  return movie->path;
}

/* Frames per second used to turn counts into times: the average rate, or
 * 25 for a stream that gives none (only matters without timestamps). */
static double
nominal_fps (SaMovie *movie)
{
  return movie->info.fps > 0.0 ? movie->info.fps : 25.0;
}

double
sa_movie_frame_seconds (SaMovie *movie, const AVFrame *frame)
{
  return (frame->pts - movie->start) * av_q2d (movie->tb);
}

/* Seconds one frame stays on screen, for the end of the movie. */
static double
frame_duration (SaMovie *movie, const AVFrame *frame)
{
  if (frame->pkt_duration > 0)
    return frame->pkt_duration * av_q2d (movie->tb);
  return 1.0 / nominal_fps (movie);
}

/* Whether the frame in @pkt may be shown to the caller. Used only to let
 * the decoder drop unreferenced frames, so erring towards TRUE is safe. */
static gboolean
packet_needed (SaMovie        *movie,
               const AVPacket *pkt)
{
  double fps = movie->info.fps, rel;
  gint64 i;

  if (movie->skip_mode == SKIP_NONE || pkt->pts == AV_NOPTS_VALUE ||
      movie->info.variable_rate || fps <= 0.0 || !movie->pts_reliable)
    return TRUE;
  rel = (pkt->pts - movie->start) * av_q2d (movie->tb);
  i = llround (rel * fps);
  /* The last second is decoded in full: a movie's last frame stands in for
   * the TRs past its end. */
  if (i < 0 || rel > movie->info.duration - 1.0)
    return TRUE;
  if (movie->skip_mode == SKIP_BEFORE)
    return (i + 1.5) / fps > movie->skip_t;
  /* SKIP_TR: frame i ends TR k when ⌈(k+1)·TR·fps⌉ = i + 1 */
  for (gint64 k = (gint64) floor ((i + 1) / (movie->skip_tr * fps)) - 1, e = k + 2; k <= e; k++)
    if (k >= 0 && k < movie->skip_n_tr &&
        (gint64) ceil ((k + 1) * movie->skip_tr * fps - 1e-6) == i + 1)
      return TRUE;
  return FALSE;
}

/* Decodes the next frame in presentation order into @out, with out->pts set
 * to a usable timestamp. Returns 1, 0 at the end, -1 on error. */
int
sa_movie_decode_next (SaMovie *movie,
                      AVFrame *out,
                      GError **error)
{
  char buf[AV_ERROR_MAX_STRING_SIZE];

  if (movie->have_pending)
    {
      av_frame_unref (out);
      av_frame_move_ref (out, movie->pending);
      movie->have_pending = FALSE;
      movie->at_start = FALSE;
      return 1;
    }
  if (movie->dec_eof)
    return 0;
  movie->at_start = FALSE;
  for (;;)
    {
      int ret = avcodec_receive_frame (movie->dec, out);

      if (ret == 0)
        {
          gint64 ts = out->best_effort_timestamp;

          if (out->width <= 0 || out->height <= 0 ||
              (gint64) out->width * out->height > MAX_PIXELS)
            {
              av_frame_unref (out);
              continue;
            }
          /* A frame without a timestamp follows the previous one. */
          if (ts == AV_NOPTS_VALUE)
            ts = movie->last_pts == AV_NOPTS_VALUE
                   ? movie->start
                   : movie->last_pts + MAX (1, (gint64) llround (1.0 / nominal_fps (movie) / av_q2d (movie->tb)));
          out->pts = ts;
          movie->last_pts = ts;
          movie->bad_packets = 0;
          movie->frames_decoded++;
          return 1;
        }
      if (ret == AVERROR_EOF)
        {
          movie->dec_eof = TRUE;
          return 0;
        }
      if (ret != AVERROR (EAGAIN))
        {
          /* A decoder may give up on a damaged frame; the next keyframe can
           * still decode, so only a long run of failures ends it. */
          if (++movie->bad_packets > MAX_BAD_PACKETS)
            goto undecodable;
          if (movie->demux_eof)
            {
              movie->dec_eof = TRUE;
              return 0;
            }
        }
      if (movie->demux_eof)
        {
          /* Draining after EOF must end; a decoder that asks for more input
           * now is done. */
          movie->dec_eof = TRUE;
          return 0;
        }

      ret = av_read_frame (movie->fmt, movie->pkt);
      if (ret < 0)
        {
          /* End of file, or a read error in a truncated file: what was read
           * is decoded, then the stream ends. */
          movie->demux_eof = TRUE;
          avcodec_send_packet (movie->dec, NULL);
          if (ret != AVERROR_EOF && ret != AVERROR_INVALIDDATA && ret != AVERROR (EIO))
            g_debug ("%s: read stops: %s", movie->path, av_error_string (ret, buf, sizeof buf));
          continue;
        }
      if (movie->pkt->stream_index == movie->stream)
        {
          movie->dec->skip_frame = packet_needed (movie, movie->pkt) ? AVDISCARD_DEFAULT
                                                                      : AVDISCARD_NONREF;
          ret = avcodec_send_packet (movie->dec, movie->pkt);
          if (ret < 0 && ret != AVERROR (EAGAIN) && ++movie->bad_packets > MAX_BAD_PACKETS)
            {
              av_packet_unref (movie->pkt);
              goto undecodable;
            }
        }
      av_packet_unref (movie->pkt);
    }

undecodable:
  sa_set_error (error, SA_ERROR_INVALID_DATA, movie->path,
                _("undecodable video stream (%d damaged packets in a row)"), MAX_BAD_PACKETS);
  return -1;
}

static int
sws_colorspace (const AVFrame *frame)
{
  switch (frame->colorspace)
    {
    case AVCOL_SPC_BT709:
      return SWS_CS_ITU709;
    case AVCOL_SPC_FCC:
      return SWS_CS_FCC;
    case AVCOL_SPC_SMPTE240M:
      return SWS_CS_SMPTE240M;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:
      return SWS_CS_BT2020;
    default:
      return SWS_CS_DEFAULT;
    }
}

static gboolean
is_full_range (const AVFrame *frame)
{
  switch (frame->format)
    {
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUVJ444P:
    case AV_PIX_FMT_YUVJ440P:
    case AV_PIX_FMT_YUVJ411P:
      return TRUE;
    default:
      return frame->color_range == AVCOL_RANGE_JPEG;
    }
}

/* swscale into an internal aligned buffer, then rows into @rgb: some of its
 * SIMD paths write past the last pixel of a row. */
static gboolean
scale_frame (SaMovie       *movie,
             const AVFrame *frame,
             int            width,
             int            height,
             int            flags,
             guint8       **out,
             gsize         *alloc,
             int           *out_stride,
             GError       **error)
{
  const int *coeffs = sws_getCoefficients (sws_colorspace (frame));
  int stride = FFALIGN (width * 3, 64);
  gsize size = (gsize) stride * height + 64;
  guint8 *dst[4] = { NULL };
  int dst_stride[4] = { stride, 0, 0, 0 };
  int ret;

  movie->sws = sws_getCachedContext (movie->sws, frame->width, frame->height, frame->format,
                                     width, height, AV_PIX_FMT_RGB24,
                                     flags | SWS_ACCURATE_RND, NULL, NULL, NULL);
  if (movie->sws == NULL)
    {
      sa_set_error (error, SA_ERROR_UNSUPPORTED, movie->path,
                    _("cannot convert %s frames of %d×%d to RGB"),
                    av_get_pix_fmt_name (frame->format) ? av_get_pix_fmt_name (frame->format) : "?",
                    frame->width, frame->height);
      return FALSE;
    }
  sws_setColorspaceDetails (movie->sws, coeffs, is_full_range (frame),
                            sws_getCoefficients (SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
  if (*out == NULL || *alloc < size)
    {
      av_free (*out);
      *alloc = 0;
      *out = av_malloc (size);
      if (*out == NULL)
        {
          sa_set_error (error, SA_ERROR_FAILED, movie->path, _("out of memory for a %d×%d frame"),
                        width, height);
          return FALSE;
        }
      *alloc = size;
    }
  dst[0] = *out;
  ret = sws_scale (movie->sws, (const guint8 *const *) frame->data, frame->linesize, 0,
                   frame->height, dst, dst_stride);
  if (ret <= 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, movie->path, _("cannot convert a frame to RGB"));
      return FALSE;
    }
  *out_stride = stride;
  return TRUE;
}

gboolean
sa_movie_convert (SaMovie       *movie,
                  const AVFrame *frame,
                  int            width,
                  int            height,
                  SaResize       method,
                  guint8        *rgb,
                  GError       **error)
{
  static const int flags[] = {
    [SA_RESIZE_BILINEAR_AA] = SWS_BICUBIC,
    [SA_RESIZE_BILINEAR] = SWS_BILINEAR,
    [SA_RESIZE_AREA] = SWS_AREA,
    [SA_RESIZE_BICUBIC] = SWS_BICUBIC,
    [SA_RESIZE_NEAREST] = SWS_POINT,
  };
  int stride = 0;

  if ((guint) method >= G_N_ELEMENTS (flags))
    method = SA_RESIZE_BILINEAR_AA;
  if (method == SA_RESIZE_BILINEAR_AA && (width != frame->width || height != frame->height))
    {
      /* Colour conversion at full size, then PIL's antialiased resampler. */
      if (!scale_frame (movie, frame, frame->width, frame->height, SWS_BICUBIC,
                        &movie->full, &movie->full_alloc, &stride, error))
        return FALSE;
      sa_resize_rgb24_aa (movie->full, frame->width, frame->height, stride, rgb, width, height);
      return TRUE;
    }
  if (!scale_frame (movie, frame, width, height, flags[method],
                    &movie->scaled, &movie->scaled_alloc, &stride, error))
    return FALSE;
  for (int y = 0; y < height; y++)
    memcpy (rgb + (gsize) y * width * 3, movie->scaled + (gsize) y * stride, (gsize) width * 3);
  return TRUE;
}

gint64
sa_movie_frame_for_tr (SaMovie *movie,
                       int      k,
                       double   tr)
{
  double fps = nominal_fps (movie);
  gint64 idx = (gint64) ceil ((k + 1) * tr * fps - 1e-6) - 1;

  if (movie->info.n_frames > 0 && idx > movie->info.n_frames - 1)
    idx = movie->info.n_frames - 1;
  return MAX (idx, 0);
}

gboolean
sa_movie_check_size (SaMovie *movie,
                     int      width,
                     int      height,
                     GError **error)
{
  if (width < 1 || height < 1 || width > MAX_OUTPUT_SIDE || height > MAX_OUTPUT_SIDE)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, movie->path,
                    _("frame size %d×%d is out of range (1 to %d pixels a side)"),
                    width, height, MAX_OUTPUT_SIDE);
      return FALSE;
    }
  return TRUE;
}

gboolean
sa_movie_rewind (SaMovie *movie,
                 GError **error)
{
  int r;

  if (movie->at_start)
    return TRUE;
  if (!rewind_streams (movie, error))
    return FALSE;
  if (!movie->start_known)
    return TRUE;
  /* Some demuxers (MPEG-TS, raw streams) seek to the start only roughly:
   * a rewind that lands past the first frame reads from the top again. */
  r = sa_movie_decode_next (movie, movie->pending, NULL);
  if (r == 1 && movie->pending->pts > movie->start)
    {
      close_streams (movie);
      if (!open_streams (movie, error))
        return FALSE;
      r = sa_movie_decode_next (movie, movie->pending, NULL);
    }
  if (r == 1)
    {
      movie->have_pending = TRUE;
      movie->at_start = TRUE;
    }
  return TRUE;
}

double
sa_movie_frame_end (SaMovie *movie, const AVFrame *frame)
{
  return sa_movie_frame_seconds (movie, frame) + frame_duration (movie, frame);
}
