#include "config.h"

#include "compute/demo/demo-movie.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>

#include "compute/error.h"

#define MAX_SHAPES 6
/* Frames per GOP: 2 s at 24 fps keeps exact-frame seeks near 70 ms
 * (STACK-NOTES), which the GUI's scrubbing relies on. */
#define GOP_SECONDS 2

typedef enum {
  SCENE_GRATING,
  SCENE_PLAID,
  SCENE_CHECKER,
  SCENE_SHAPES,
  SCENE_COLOUR,
  SCENE_TEXTURE,
  SCENE_RADIAL,
  N_SCENE_KINDS
} SceneKind;

typedef struct {
  float x, y, vx, vy, r;
  float colour[3];
  gboolean square;
} Shape;

typedef struct {
  SceneKind kind;
  gint64    start, n;          /* frames */
  float     theta, theta2;     /* radians */
  float     freq;              /* cycles per pixel */
  float     speed;             /* cycles (or pixels) per second */
  float     contrast;
  gboolean  square_wave;
  float     a[3], b[3];        /* the two colours, 0..1 */
  int       cell;              /* pixels, checker and texture */
  int       gw, gh;            /* texture grid */
  float    *grid;
  int       n_shapes;
  Shape     shapes[MAX_SHAPES];
} Scene;

struct _SaDemoMovie {
  SaDemoMovieParams params;
  gint64  n_frames;
  GArray *scenes;              /* Scene */
};

/* splitmix64: the same stream on every platform, unlike rand(). */
typedef struct {
  guint64 s;
} Rng;

static double
rng_uniform (Rng *rng)
{
  guint64 z = (rng->s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return ((z >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static double
rng_range (Rng *rng, double lo, double hi)
{
  return lo + (hi - lo) * rng_uniform (rng);
}

static void
random_colour (Rng *rng, float c[3])
{
  /* Saturated colours half of the time, greys otherwise, so that colour
   * and luminance vary independently across scenes. */
  if (rng_uniform (rng) < 0.5)
    {
      double g = rng_uniform (rng);
      c[0] = c[1] = c[2] = (float) g;
    }
  else
    for (int i = 0; i < 3; i++)
      c[i] = (float) rng_uniform (rng);
}

void
sa_demo_movie_params_init (SaDemoMovieParams *params)
{
  params->width = 320;
  params->height = 240;
  params->fps = 24;
  params->duration = 300.0;
  params->seed = 1;
}

static void
scene_clear (gpointer data)
{
  Scene *scene = data;

  g_free (scene->grid);
}

static void
make_scene (Rng *rng, const SaDemoMovieParams *p, Scene *s)
{
  s->kind = (SceneKind) (rng_uniform (rng) * N_SCENE_KINDS);
  s->theta = (float) rng_range (rng, 0, G_PI);
  s->theta2 = s->theta + (float) rng_range (rng, G_PI / 6, G_PI / 2);
  /* Periods from 4 to 64 pixels: the Gabor filters of the demo CNN
   * (wavelength 4 px after a stride of 2) see some, miss others. */
  s->freq = (float) exp (rng_range (rng, log (1.0 / 24), log (1.0 / 4)));
  s->speed = (float) rng_range (rng, -2.0, 2.0);
  /* Contrast stays high and edges sinusoidal: a scene that is blank or
   * full of broadband edges drives every filter at once, and the planted
   * filters must differ from each other, not just follow the contrast. */
  s->contrast = (float) rng_range (rng, 0.6, 1.0);
  s->square_wave = rng_uniform (rng) < 0.5;
  random_colour (rng, s->a);
  random_colour (rng, s->b);
  s->cell = (int) exp (rng_range (rng, log (3.0), log (16.0)));
  if (s->kind == SCENE_TEXTURE || s->kind == SCENE_COLOUR)
    {
      s->gw = p->width / s->cell + 2;
      s->gh = p->height / s->cell + 2;
      s->grid = g_new (float, (gsize) s->gw * s->gh);
      for (int i = 0; i < s->gw * s->gh; i++)
        s->grid[i] = (float) rng_uniform (rng);
    }
  s->n_shapes = 1 + (int) (rng_uniform (rng) * MAX_SHAPES);
  for (int i = 0; i < s->n_shapes; i++)
    {
      Shape *sh = &s->shapes[i];
      double angle = rng_range (rng, 0, 2 * G_PI);
      double v = rng_range (rng, 20, 160);

      sh->x = (float) rng_range (rng, 0, p->width);
      sh->y = (float) rng_range (rng, 0, p->height);
      sh->vx = (float) (v * cos (angle));
      sh->vy = (float) (v * sin (angle));
      sh->r = (float) rng_range (rng, 0.04, 0.2) * p->height;
      sh->square = rng_uniform (rng) < 0.5;
      random_colour (rng, sh->colour);
    }
}

SaDemoMovie *
sa_demo_movie_new (const SaDemoMovieParams *params)
{
  SaDemoMovie *movie = g_new0 (SaDemoMovie, 1);
  Rng rng = { params->seed * 0x2545f4914f6cdd1dULL + 0x4d6f766965ULL };
  gint64 frame = 0;

  movie->params = *params;
  movie->n_frames = (gint64) ceil (params->duration * params->fps - 1e-9);
  movie->scenes = g_array_new (FALSE, TRUE, sizeof (Scene));
  g_array_set_clear_func (movie->scenes, scene_clear);
  while (frame < movie->n_frames)
    {
      Scene s = { 0 };

      make_scene (&rng, params, &s);
      s.start = frame;
      s.n = (gint64) (rng_range (&rng, 2.0, 6.0) * params->fps);
      s.n = MIN (s.n, movie->n_frames - frame);
      frame += s.n;
      g_array_append_val (movie->scenes, s);
    }
  return movie;
}

void
sa_demo_movie_free (SaDemoMovie *movie)
{
  if (movie == NULL)
    return;
  g_array_unref (movie->scenes);
  g_free (movie);
}

gint64
sa_demo_movie_n_frames (const SaDemoMovie *movie)
{
  return movie->n_frames;
}

int
sa_demo_movie_n_scenes (const SaDemoMovie *movie)
{
  return (int) movie->scenes->len;
}

gint64
sa_demo_movie_scene_start (const SaDemoMovie *movie,
                           int                i)
{
  return g_array_index (movie->scenes, Scene, i).start;
}

static inline float
wave (const Scene *s, float phase)
{
  return sinf (phase);
}

/* Folds a position moving on a line back into [0, size], so that shapes
 * bounce off the frame edges. */
static float
bounce (float x, float size)
{
  float period = 2 * size;

  x = fmodf (x, period);
  if (x < 0)
    x += period;
  return x > size ? period - x : x;
}

static float
texture_at (const Scene *s, float x, float y)
{
  float gx = x / s->cell, gy = y / s->cell;
  float fx = floorf (gx), fy = floorf (gy);
  int ix = (int) fx, iy = (int) fy;
  float tx = gx - fx, ty = gy - fy;
  int w = s->gw, h = s->gh;
  int x0 = ((ix % w) + w) % w, x1 = (x0 + 1) % w;
  int y0 = ((iy % h) + h) % h, y1 = (y0 + 1) % h;

  /* Smoothstep weights: blobs rather than a visible bilinear lattice. */
  tx = tx * tx * (3 - 2 * tx);
  ty = ty * ty * (3 - 2 * ty);
  return (s->grid[y0 * w + x0] * (1 - tx) + s->grid[y0 * w + x1] * tx) * (1 - ty)
         + (s->grid[y1 * w + x0] * (1 - tx) + s->grid[y1 * w + x1] * tx) * ty;
}

static const Scene *
scene_for_frame (const SaDemoMovie *movie, gint64 index)
{
  guint lo = 0, hi = movie->scenes->len - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi + 1) / 2;

      if (g_array_index (movie->scenes, Scene, mid).start <= index)
        lo = mid;
      else
        hi = mid - 1;
    }
  return &g_array_index (movie->scenes, Scene, lo);
}

void
sa_demo_movie_render (const SaDemoMovie *movie,
                      gint64             index,
                      guint8            *rgb)
{
  const Scene *s = scene_for_frame (movie, index);
  int W = movie->params.width, H = movie->params.height;
  float t = (float) (index - s->start) / movie->params.fps;
  float k = 2 * (float) G_PI * s->freq;
  float c1 = cosf (s->theta), s1 = sinf (s->theta);
  float c2 = cosf (s->theta2), s2 = sinf (s->theta2);
  float drift = 2 * (float) G_PI * s->speed * t;
  float cx = W / 2.0f, cy = H / 2.0f;
  float sx[MAX_SHAPES], sy[MAX_SHAPES];

  for (int i = 0; i < s->n_shapes; i++)
    {
      sx[i] = bounce (s->shapes[i].x + s->shapes[i].vx * t, W);
      sy[i] = bounce (s->shapes[i].y + s->shapes[i].vy * t, H);
    }
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        float v = 0.5f, col[3];
        const float *over = NULL;

        switch (s->kind)
          {
          case SCENE_GRATING:
            v = 0.5f + 0.5f * s->contrast * wave (s, k * (x * c1 + y * s1) + drift);
            break;
          case SCENE_PLAID:
            v = 0.5f + 0.25f * s->contrast * (wave (s, k * (x * c1 + y * s1) + drift)
                                              + wave (s, k * (x * c2 + y * s2) - drift));
            break;
          case SCENE_CHECKER:
            {
              float px = x + 12 * s->speed * t * c1, py = y + 12 * s->speed * t * s1;
              int cxi = (int) floorf (px / s->cell), cyi = (int) floorf (py / s->cell);

              v = ((cxi + cyi) & 1) ? 0.5f + 0.5f * s->contrast : 0.5f - 0.5f * s->contrast;
            }
            break;
          case SCENE_SHAPES:
            v = 0.0f;
            for (int i = 0; i < s->n_shapes; i++)
              {
                const Shape *sh = &s->shapes[i];
                float dx = fabsf (x - sx[i]), dy = fabsf (y - sy[i]);
                gboolean in = sh->square ? (dx < sh->r && dy < sh->r)
                                         : (dx * dx + dy * dy < sh->r * sh->r);

                if (in)
                  over = sh->colour;
              }
            break;
          case SCENE_COLOUR:
            /* A colour field that shifts between its two colours, with a
             * faint fine texture so it is never blank. */
            v = 0.5f + 0.5f * sinf (2 * (float) G_PI * t / 4.0f + s->theta)
                + 0.3f * (texture_at (s, x + 20 * s->speed * t + 1000, y + 1000) - 0.5f);
            break;
          case SCENE_TEXTURE:
            v = texture_at (s, x + 30 * s->speed * t * c1 + 1000, y + 30 * s->speed * t * s1 + 1000);
            v = 0.5f + s->contrast * (v - 0.5f) * 2;
            break;
          case SCENE_RADIAL:
            {
              float dx = x - cx, dy = y - cy;
              float r = sqrtf (dx * dx + dy * dy);

              if (s->square_wave)
                v = 0.5f + 0.5f * s->contrast * sinf (s->cell * 0.5f * atan2f (dy, dx) + drift);
              else
                v = 0.5f + 0.5f * s->contrast * sinf (k * r - drift);
            }
            break;
          default:
            g_assert_not_reached ();
          }
        v = CLAMP (v, 0.0f, 1.0f);
        for (int c = 0; c < 3; c++)
          col[c] = over != NULL ? over[c] : s->a[c] * (1 - v) + s->b[c] * v;
        for (int c = 0; c < 3; c++)
          rgb[3 * ((gsize) y * W + x) + c] = (guint8) lrintf (255.0f * CLAMP (col[c], 0.0f, 1.0f));
      }
}

typedef struct {
  AVFormatContext   *fmt;
  AVCodecContext    *enc;
  AVStream          *st;
  AVFrame           *frame;
  AVPacket          *pkt;
  struct SwsContext *sws;
  gboolean           header_written;
} Encoder;

static void
encoder_clear (Encoder *e)
{
  if (e->fmt != NULL && e->fmt->pb != NULL)
    avio_closep (&e->fmt->pb);
  avformat_free_context (e->fmt);
  avcodec_free_context (&e->enc);
  av_frame_free (&e->frame);
  av_packet_free (&e->pkt);
  sws_freeContext (e->sws);
}

static gboolean
av_fail (GError **error, const char *path, const char *what, int err)
{
  char buf[AV_ERROR_MAX_STRING_SIZE] = "";

  av_strerror (err, buf, sizeof buf);
  sa_set_error (error, SA_ERROR_IO, path, _("encoding the demo movie: %s: %s"), what, buf);
  return FALSE;
}

static gboolean
encoder_open (Encoder *e, const SaDemoMovieParams *p, const char *tmp, const char *path,
              GError **error)
{
  const AVCodec *codec = avcodec_find_encoder_by_name ("libx264");
  gboolean x264 = codec != NULL;
  int ret;

  if (codec == NULL)
    codec = avcodec_find_encoder (AV_CODEC_ID_MPEG4);
  if (codec == NULL)
    {
      sa_set_error (error, SA_ERROR_UNSUPPORTED, path,
                    _("FFmpeg has neither the libx264 nor the mpeg4 encoder"));
      return FALSE;
    }
  ret = avformat_alloc_output_context2 (&e->fmt, NULL, "mp4", tmp);
  if (ret < 0)
    return av_fail (error, path, "mp4", ret);
  /* No creation time or library strings that change between runs: the same
   * seed must give the same bytes. */
  e->fmt->flags |= AVFMT_FLAG_BITEXACT;
  e->st = avformat_new_stream (e->fmt, NULL);
  e->enc = avcodec_alloc_context3 (codec);
  e->frame = av_frame_alloc ();
  e->pkt = av_packet_alloc ();
  if (e->st == NULL || e->enc == NULL || e->frame == NULL || e->pkt == NULL)
    return av_fail (error, path, "alloc", AVERROR (ENOMEM));
  e->enc->width = p->width;
  e->enc->height = p->height;
  e->enc->pix_fmt = AV_PIX_FMT_YUV420P;
  e->enc->time_base = (AVRational) { 1, p->fps };
  e->enc->framerate = (AVRational) { p->fps, 1 };
  e->enc->gop_size = GOP_SECONDS * p->fps;
  e->enc->flags |= AV_CODEC_FLAG_BITEXACT;
  /* One thread: x264's output depends on its threading, and the demo must
   * be the same from one machine to the next for a given seed. At 320×240
   * one thread encodes far faster than the frames are rendered anyway. */
  e->enc->thread_count = 1;
  if (e->fmt->oformat->flags & AVFMT_GLOBALHEADER)
    e->enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if (x264)
    {
      av_opt_set (e->enc->priv_data, "preset", "veryfast", 0);
      av_opt_set (e->enc->priv_data, "crf", "20", 0);
      /* x264's macroblock tree made the first GOP depend on uninitialised
       * heap: the same seed gave other bytes under other MALLOC_PERTURB_
       * values (and so other planted data and p values). Without it the
       * movie is the same bytes every time. */
      av_opt_set (e->enc->priv_data, "x264-params", "mbtree=0", 0);
    }
  else
    e->enc->bit_rate = 2000000;
  if ((ret = avcodec_open2 (e->enc, codec, NULL)) < 0)
    return av_fail (error, path, avcodec_get_name (codec->id), ret);
  if ((ret = avcodec_parameters_from_context (e->st->codecpar, e->enc)) < 0)
    return av_fail (error, path, "parameters", ret);
  e->st->time_base = e->enc->time_base;
  e->st->avg_frame_rate = e->enc->framerate;
  e->frame->format = AV_PIX_FMT_YUV420P;
  e->frame->width = p->width;
  e->frame->height = p->height;
  if ((ret = av_frame_get_buffer (e->frame, 0)) < 0)
    return av_fail (error, path, "frame", ret);
  e->sws = sws_getContext (p->width, p->height, AV_PIX_FMT_RGB24,
                           p->width, p->height, AV_PIX_FMT_YUV420P,
                           SWS_BICUBIC | SWS_ACCURATE_RND | SWS_BITEXACT, NULL, NULL, NULL);
  if (e->sws == NULL)
    return av_fail (error, path, "swscale", AVERROR (EINVAL));
  if ((ret = avio_open (&e->fmt->pb, tmp, AVIO_FLAG_WRITE)) < 0)
    return av_fail (error, path, "open", ret);
  if ((ret = avformat_write_header (e->fmt, NULL)) < 0)
    return av_fail (error, path, "header", ret);
  e->header_written = TRUE;
  return TRUE;
}

/* Sends @frame (NULL: flush) and writes every packet that comes out. */
static gboolean
encoder_push (Encoder *e, AVFrame *frame, const char *path, GError **error)
{
  int ret = avcodec_send_frame (e->enc, frame);

  if (ret < 0)
    return av_fail (error, path, "send", ret);
  for (;;)
    {
      ret = avcodec_receive_packet (e->enc, e->pkt);
      if (ret == AVERROR (EAGAIN) || ret == AVERROR_EOF)
        return TRUE;
      if (ret < 0)
        return av_fail (error, path, "receive", ret);
      av_packet_rescale_ts (e->pkt, e->enc->time_base, e->st->time_base);
      e->pkt->stream_index = e->st->index;
      ret = av_interleaved_write_frame (e->fmt, e->pkt);
      if (ret < 0)
        return av_fail (error, path, "write", ret);
    }
}

gboolean
sa_demo_movie_write (const SaDemoMovieParams *params,
                     const char              *path,
                     const SaProgress        *progress,
                     GCancellable            *cancellable,
                     GError                 **error)
{
  g_autoptr(SaDemoMovie) movie = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp = NULL;
  g_autofree guint8 *rgb = NULL;
  Encoder e = { 0 };
  gboolean ok = FALSE;
  int ret;

  if (params->width < 16 || params->height < 16 || params->width % 2 || params->height % 2
      || params->fps < 1 || params->duration <= 0)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, path,
                    _("bad movie parameters (%d×%d, %d fps, %g s): sizes must be even and ≥ 16"),
                    params->width, params->height, params->fps, params->duration);
      return FALSE;
    }
  /* The container is named explicitly, so the temporary name needs no
   * .mp4 ending; a dot prefix keeps it out of folder listings. */
  /* libx264 prints its statistics at every close; the CLI's output must
   * stay ours (SYNCACT_FFMPEG_LOG=1 brings FFmpeg's messages back, as in
   * movie.c). */
  if (g_getenv ("SYNCACT_FFMPEG_LOG") == NULL)
    av_log_set_level (AV_LOG_QUIET);
  tmp = g_strdup_printf ("%s/.%s.%08x.tmp", dir, base, g_random_int ());
  movie = sa_demo_movie_new (params);
  /* swscale's SIMD reads up to 16 bytes past the last source pixel
   * (valgrind: invalid read): pad the buffer. */
  rgb = g_malloc0 ((gsize) params->width * params->height * 3 + AV_INPUT_BUFFER_PADDING_SIZE);
  if (!encoder_open (&e, params, tmp, path, error))
    goto out;
  for (gint64 i = 0; i < movie->n_frames; i++)
    {
      const guint8 *src[1] = { rgb };
      int stride[1] = { 3 * params->width };

      if (sa_check_cancelled (cancellable, error))
        goto out;
      sa_demo_movie_render (movie, i, rgb);
      if ((ret = av_frame_make_writable (e.frame)) < 0)
        {
          av_fail (error, path, "frame", ret);
          goto out;
        }
      sws_scale (e.sws, src, stride, 0, params->height, e.frame->data, e.frame->linesize);
      e.frame->pts = i;
      if (!encoder_push (&e, e.frame, path, error))
        goto out;
      if (i % params->fps == 0)
        sa_progress_report (progress, (double) i / movie->n_frames, _("Rendering the demo movie"));
    }
  if (!encoder_push (&e, NULL, path, error))
    goto out;
  if ((ret = av_write_trailer (e.fmt)) < 0)
    {
      av_fail (error, path, "trailer", ret);
      goto out;
    }
  if ((ret = avio_closep (&e.fmt->pb)) < 0)
    {
      av_fail (error, path, "close", ret);
      goto out;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      sa_set_error (error, SA_ERROR_IO, path, "%s", g_strerror (saved));
      goto out;
    }
  sa_progress_report (progress, 1.0, NULL);
  ok = TRUE;
out:
  encoder_clear (&e);
  if (!ok)
    g_unlink (tmp);
  return ok;
}
