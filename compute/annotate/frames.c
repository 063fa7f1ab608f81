#include "config.h"

#include <glib/gi18n.h>

#include "compute/annotate/frames.h"

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/movie.h"

typedef struct {
  int    tr;
  float  value;
} Ranked;

static int
compare_ranked (const void *a, const void *b)
{
  const Ranked *x = a, *y = b;

  if (x->value != y->value)
    return x->value < y->value ? 1 : -1;
  return x->tr - y->tr;
}

int
sa_frames_top_trs (const float *acts,
                   int          n_tr,
                   int          n_units,
                   int          filter,
                   int          k,
                   int         *out)
{
  g_autofree Ranked *ranked = g_new (Ranked, MAX (n_tr, 1));
  int n = 0;

  g_return_val_if_fail (filter >= 0 && filter < n_units, 0);
  for (int t = 0; t < n_tr; t++)
    {
      float v = acts[(gsize) t * n_units + filter];

      if (isfinite (v))
        ranked[n++] = (Ranked) { t, v };
    }
  qsort (ranked, n, sizeof *ranked, compare_ranked);
  n = MIN (n, k);
  for (int i = 0; i < n; i++)
    out[i] = ranked[i].tr;
  return n;
}

char *
sa_frames_thumbnail_name (int k)
{
  return g_strdup_printf ("tr-%04d.png", k);
}

gboolean
sa_png_write_rgb (const char    *path,
                  const guint8  *rgb,
                  int            width,
                  int            height,
                  GError       **error)
{
  const AVCodec *codec = avcodec_find_encoder (AV_CODEC_ID_PNG);
  AVCodecContext *ctx = NULL;
  AVFrame *frame = NULL;
  AVPacket *packet = NULL;
  g_autoptr(GError) local = NULL;
  gboolean ok = FALSE;
  int ret;

  if (codec == NULL)
    {
      sa_set_error (error, SA_ERROR_UNSUPPORTED, path, _("this FFmpeg has no PNG encoder"));
      return FALSE;
    }
  ctx = avcodec_alloc_context3 (codec);
  frame = av_frame_alloc ();
  packet = av_packet_alloc ();
  if (ctx == NULL || frame == NULL || packet == NULL)
    goto fail;
  ctx->width = width;
  ctx->height = height;
  ctx->pix_fmt = AV_PIX_FMT_RGB24;
  ctx->time_base = (AVRational) { 1, 1 };
  if ((ret = avcodec_open2 (ctx, codec, NULL)) < 0)
    goto fail;
  frame->format = AV_PIX_FMT_RGB24;
  frame->width = width;
  frame->height = height;
  if ((ret = av_frame_get_buffer (frame, 0)) < 0)
    goto fail;
  for (int y = 0; y < height; y++)
    memcpy (frame->data[0] + (gsize) y * frame->linesize[0], rgb + (gsize) y * width * 3,
            (gsize) width * 3);
  if (avcodec_send_frame (ctx, frame) < 0 || avcodec_send_frame (ctx, NULL) < 0
      || avcodec_receive_packet (ctx, packet) < 0)
    goto fail;
  /* g_file_set_contents writes a temporary file and renames it. */
  if (!g_file_set_contents_full (path, (const char *) packet->data, packet->size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      sa_set_error (error, SA_ERROR_IO, path, _("cannot write: %s"), local->message);
      goto out;
    }
  ok = TRUE;
  goto out;
fail:
  sa_set_error (error, SA_ERROR_FAILED, path, _("the PNG encoder failed on a %d×%d image"),
                width, height);
out:
  av_packet_free (&packet);
  av_frame_free (&frame);
  avcodec_free_context (&ctx);
  return ok;
}

typedef struct {
  GHashTable  *wanted;   /* TR → TRUE */
  const char  *dir;
  int          last;
  GError     **error;
  gboolean     failed;
} ThumbJob;

static gboolean
thumbnail_frame (int           k,
                 const guint8 *rgb,
                 int           width,
                 int           height,
                 double        frame_time,
                 gpointer      user_data)
{
  ThumbJob *job = user_data;

  if (g_hash_table_contains (job->wanted, GINT_TO_POINTER (k)))
    {
      g_autofree char *name = sa_frames_thumbnail_name (k);
      g_autofree char *path = g_build_filename (job->dir, name, NULL);

      if (!sa_png_write_rgb (path, rgb, width, height, job->error))
        {
          job->failed = TRUE;
          return FALSE;
        }
    }
  return k < job->last;
}

gboolean
sa_frames_thumbnails (const char   *movie_path,
                      double        tr,
                      const int    *trs,
                      int           n_trs,
                      int           width,
                      int           height,
                      const char   *dir,
                      GCancellable *cancellable,
                      GError      **error)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (NULL, NULL);
  g_autoptr(SaMovie) movie = NULL;
  ThumbJob job = { wanted, dir, -1, error, FALSE };

  for (int i = 0; i < n_trs; i++)
    {
      g_autofree char *name = sa_frames_thumbnail_name (trs[i]);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_hash_table_add (wanted, GINT_TO_POINTER (trs[i]));
          job.last = MAX (job.last, trs[i]);
        }
    }
  if (job.last < 0)
    return TRUE;
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      sa_set_error (error, SA_ERROR_IO, dir, _("cannot create the folder"));
      return FALSE;
    }
  movie = sa_movie_open (movie_path, error);
  if (movie == NULL)
    return FALSE;
  /* One pass up to the last TR wanted: cheaper than a seek per frame. */
  if (!sa_movie_sample_tr (movie, tr, job.last + 1, width, height, SA_RESIZE_BILINEAR_AA,
                           thumbnail_frame, &job, NULL, cancellable, error))
    return FALSE;
  return !job.failed;
}
