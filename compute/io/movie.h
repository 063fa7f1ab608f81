/* movie.h — movie frames through FFmpeg
 *
 * The frame shown at the end of TR k is the last frame whose presentation
 * time is < (k+1)·TR (for a constant frame rate: index ⌈(k+1)·TR·fps⌉ − 1,
 * clipped to the movie). Frames come out as packed RGB24, W×H, resized with
 * antialiased bilinear filtering (what torchvision's Resize(antialias=True)
 * and PIL do) unless another method is asked for.
 */
#pragma once

#include <gio/gio.h>

#include "compute/progress.h"

G_BEGIN_DECLS

typedef struct _SaMovie SaMovie;

typedef enum {
  SA_RESIZE_BILINEAR_AA,   /* default: antialiased bilinear */
  SA_RESIZE_BILINEAR,      /* plain bilinear, no antialiasing */
  SA_RESIZE_AREA,          /* box average */
  SA_RESIZE_BICUBIC,
  SA_RESIZE_NEAREST,
} SaResize;

typedef struct {
  int     width, height;     /* coded frame size */
  double  fps;               /* average frame rate */
  double  duration;          /* seconds */
  gint64  n_frames;          /* best estimate */
  gboolean variable_rate;    /* frame durations differ */
  char   *codec;             /* "h264", ... */
  char   *container;         /* "mov,mp4,m4a,3gp,3g2,mj2", ... */
} SaMovieInfo;

SaMovie  *sa_movie_open            (const char    *path,
                                    GError       **error);
/* Like sa_movie_open() with @threads decoding threads (0: one per core,
 * what sa_movie_open() uses). Not thread-safe: one SaMovie per thread. */
SaMovie  *sa_movie_open_threads    (const char    *path,
                                    int            threads,
                                    GError       **error);
void      sa_movie_free            (SaMovie       *movie);
const SaMovieInfo *sa_movie_get_info (SaMovie     *movie);
const char *sa_movie_get_path      (SaMovie       *movie);
/* Frames decoded since open (each decode counts, seeks included). */
gint64    sa_movie_get_frames_decoded (SaMovie    *movie);

/* Index of the frame shown at the end of TR @k (0-based). */
gint64    sa_movie_frame_for_tr    (SaMovie       *movie,
                                    int            k,
                                    double         tr);

/* The exact frame shown at time @t seconds (seek to the previous keyframe,
 * decode forward). @rgb holds @width*@height*3 bytes. @frame_time, when not
 * NULL, receives the shown frame's presentation time. */
gboolean  sa_movie_frame_at        (SaMovie       *movie,
                                    double         t,
                                    int            width,
                                    int            height,
                                    SaResize       method,
                                    guint8        *rgb,
                                    double        *frame_time,
                                    GError       **error);

/* When the frame the last sa_movie_frame_at() returned stops being shown:
 * the next frame's presentation time, or the end of the movie for the last
 * frame. Lets a caller walk the movie frame by frame by time. */
double    sa_movie_frame_at_end    (SaMovie       *movie);

/* Called once per TR, in order; return FALSE to stop (not an error). */
typedef gboolean (*SaFrameFunc) (int           k,
                                 const guint8 *rgb,
                                 int           width,
                                 int           height,
                                 double        frame_time,
                                 gpointer      user_data);

/* Decodes the movie once from the start and hands over the frame shown at
 * the end of each of @n_tr TRs. A movie shorter than n_tr·TR is an error
 * naming the file and both lengths. */
gboolean  sa_movie_sample_tr       (SaMovie          *movie,
                                    double            tr,
                                    int               n_tr,
                                    int               width,
                                    int               height,
                                    SaResize          method,
                                    SaFrameFunc       func,
                                    gpointer          user_data,
                                    const SaProgress *progress,
                                    GCancellable     *cancellable,
                                    GError          **error);

gboolean  sa_resize_parse          (const char    *name,
                                    SaResize      *method,
                                    GError       **error);
const char *sa_resize_name         (SaResize       method);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaMovie, sa_movie_free)

G_END_DECLS
