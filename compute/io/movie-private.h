/* movie-private.h — what movie.c shares with movie-seek.c; not for callers */
#pragma once

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "compute/io/movie.h"

struct _SaMovie {
  char            *path;
  SaMovieInfo      info;
  int              threads;

  AVFormatContext *fmt;
  AVCodecContext  *dec;
  AVStream        *st;
  int              stream;
  AVRational       tb;
  gint64           start;          /* stream start, in tb ticks */
  AVPacket        *pkt;

  /* Decoder position: @cur is the frame shown at the last time asked for,
   * @next the first frame after it (both only while have_*). */
  AVFrame         *cur;
  AVFrame         *next;
  gboolean         have_cur, have_next;
  /* The first frame, decoded to check a rewind, handed out next. */
  AVFrame         *pending;
  gboolean         have_pending;
  gboolean         start_known;    /* start is the first frame's time */
  gboolean         at_start;       /* nothing read since open or rewind */
  gboolean         demux_eof;      /* sent the decoder its final flush */
  gboolean         dec_eof;        /* decoder drained: seek before reuse */
  gint64           last_pts;
  int              bad_packets;
  gint64           frames_decoded; /* for benchmarks and tests */

  /* Which frames the caller will look at, so that frames no other frame
   * refers to (most B-frames) can skip decoding when they are not among
   * them. Constant frame rates only. */
  enum { SKIP_NONE, SKIP_BEFORE, SKIP_TR } skip_mode;
  double           skip_t;         /* SKIP_BEFORE: frames shown before t */
  double           skip_tr;        /* SKIP_TR: all but the TR ends */
  int              skip_n_tr;
  gboolean         pts_reliable;   /* packets' pts say which frame they are */

  struct SwsContext *sws;
  guint8          *full;           /* full-size RGB for the AA resampler */
  gsize            full_alloc;
  guint8          *scaled;
  gsize            scaled_alloc;
};

int      sa_movie_decode_next   (SaMovie       *movie,
                                 AVFrame       *out,
                                 GError       **error);
double   sa_movie_frame_seconds (SaMovie       *movie,
                                 const AVFrame *frame);
double   sa_movie_frame_end     (SaMovie       *movie,
                                 const AVFrame *frame);
gboolean sa_movie_convert       (SaMovie       *movie,
                                 const AVFrame *frame,
                                 int            width,
                                 int            height,
                                 SaResize       method,
                                 guint8        *rgb,
                                 GError       **error);
gboolean sa_movie_check_size    (SaMovie       *movie,
                                 int            width,
                                 int            height,
                                 GError       **error);
gboolean sa_movie_rewind        (SaMovie       *movie,
                                 GError       **error);
