#include "config.h"

#include <glib/gi18n.h>

#include "compute/ann/extract.h"

#include <math.h>
#include <string.h>

#include "compute/ann/model.h"
#include "compute/error.h"

void
sa_extract_options_init (SaExtractOptions *opts)
{
  memset (opts, 0, sizeof *opts);
  opts->reduce = SA_REDUCE_MAX;
  opts->topk_percent = 10;
  opts->width = 256;
  opts->height = 180;
  opts->resize = SA_RESIZE_BILINEAR_AA;
  sa_normalize_imagenet (&opts->norm);
  opts->batch_size = 16;
}

static gboolean
check_options (const SaExtractOptions *opts,
               GError                **error)
{
  if (opts->model == NULL || opts->layer == NULL || opts->movie == NULL)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL, _("a model, a layer and a movie are needed"));
      return FALSE;
    }
  if (!(opts->tr > 0) || !isfinite (opts->tr))
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL, _("the TR must be a positive number of seconds"));
      return FALSE;
    }
  if (opts->width <= 0 || opts->height <= 0 || opts->width > 8192 || opts->height > 8192)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL, _("bad input size %dx%d"), opts->width, opts->height);
      return FALSE;
    }
  if (opts->reduce == SA_REDUCE_TOPK_MEAN && !(opts->topk_percent > 0 && opts->topk_percent <= 100))
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("top-k percentage must be in (0, 100], not %g"), opts->topk_percent);
      return FALSE;
    }
  return TRUE;
}

static int
count_trs (const SaExtractOptions *opts,
           SaMovie                *movie)
{
  const SaMovieInfo *info;

  if (opts->n_tr > 0)
    return opts->n_tr;
  info = sa_movie_get_info (movie);
  /* TR k shows the frame at the end of (k+1)·TR: only whole TRs count. */
  return (int) floor (info->duration / opts->tr + 1e-6);
}

int
sa_extract_count_trs (const SaExtractOptions *opts,
                      GError                **error)
{
  g_autoptr(SaMovie) movie = NULL;
  int n;

  if (!check_options (opts, error))
    return -1;
  if (opts->n_tr > 0)
    return opts->n_tr;
  movie = sa_movie_open (opts->movie, error);
  if (movie == NULL)
    return -1;
  n = count_trs (opts, movie);
  if (n <= 0)
    {
      sa_set_error (error, SA_ERROR_MISMATCH, opts->movie,
                    _("the movie (%.3g s) is shorter than one TR (%g s)"),
                    sa_movie_get_info (movie)->duration, opts->tr);
      return -1;
    }
  return n;
}

/* The attributes that identify a result, without its data. */
static SaActivations *
make_key (const SaExtractOptions *opts,
          int                     n_tr,
          GError                **error)
{
  g_autoptr(SaActivations) key = sa_activations_new (n_tr, 1);

  key->model = g_strdup (opts->model);
  key->layer = g_strdup (opts->layer);
  key->reduce = g_strdup (sa_reduce_name (opts->reduce));
  key->topk_percent = opts->topk_percent;
  key->width = opts->width;
  key->height = opts->height;
  key->resize = g_strdup (sa_resize_name (opts->resize));
  key->normalisation = sa_normalize_to_string (&opts->norm);
  key->tr = opts->tr;
  key->movie = g_strdup (opts->movie);
  key->model_hash = sa_ann_model_hash (opts->model, error);
  if (key->model_hash == NULL)
    return NULL;
  key->movie_hash = sa_file_quick_hash (opts->movie, error);
  if (key->movie_hash == NULL)
    return NULL;
  return g_steal_pointer (&key);
}

typedef struct {
  float *data;      /* batch_size × 3×H×W */
  int    n;         /* frames filled */
  int    first;     /* TR of the first frame */
} Batch;

/* Decode (producer thread) → batches → model (calling thread). Two queues
 * of a fixed set of batches bound the memory and let decoding run one batch
 * ahead of the model. */
typedef struct {
  const SaExtractOptions *opts;
  SaMovie      *movie;
  int           n_tr;
  int           batch_size;
  gsize         frame_floats;
  GAsyncQueue  *full;
  GAsyncQueue  *empty;
  Batch        *cur;
  Batch         end;        /* pushed last: no more batches */
  gint          stop;       /* the consumer failed or was cancelled */
  GCancellable *cancellable;
  GError       *error;      /* the producer's */
} Pipe;

static gboolean
on_frame (int           k,
          const guint8 *rgb,
          int           width,
          int           height,
          double        frame_time,
          gpointer      user_data)
{
  Pipe *p = user_data;

  if (g_atomic_int_get (&p->stop))
    return FALSE;
  if (p->cur == NULL)
    {
      p->cur = g_async_queue_pop (p->empty);
      p->cur->n = 0;
      p->cur->first = k;
    }
  sa_preprocess_rgb24 (rgb, width, height, &p->opts->norm,
                       p->cur->data + (gsize) p->cur->n * p->frame_floats);
  if (++p->cur->n == p->batch_size)
    {
      g_async_queue_push (p->full, p->cur);
      p->cur = NULL;
    }
  return TRUE;
}

static gpointer
produce (gpointer data)
{
  Pipe *p = data;

  sa_movie_sample_tr (p->movie, p->opts->tr, p->n_tr, p->opts->width, p->opts->height,
                      p->opts->resize, on_frame, p, NULL, p->cancellable, &p->error);
  if (p->cur != NULL)
    g_async_queue_push (p->cur->n > 0 ? p->full : p->empty, p->cur);
  p->cur = NULL;
  g_async_queue_push (p->full, &p->end);
  return NULL;
}

/* Reduces one batch of tapped output into rows of @acts (allocated on the
 * first batch, when the layer's shape is known). */
static gboolean
consume (const SaExtractOptions *opts,
         SaTorchTap             *tap,
         const Batch            *b,
         int                     n_tr,
         SaActivations         **acts,
         float                 **scratch,
         GError                **error)
{
  int64_t shape[SA_TORCH_MAX_DIMS];
  const float *out = NULL;
  char *msg = NULL;
  gsize per_unit, units;
  int nd;

  if (sa_torch_tap_run (tap, b->data, b->n, opts->height, opts->width, &msg) != SA_TORCH_OK)
    {
      sa_set_error (error, SA_ERROR_TORCH, opts->model, "%s", msg);
      sa_torch_free (msg);
      return FALSE;
    }
  nd = sa_torch_tap_output (tap, 0, &out, shape);
  if (nd == 4)
    {
      units = shape[1];
      per_unit = shape[2] * shape[3];
    }
  else if (nd == 2)
    {
      units = shape[1];
      per_unit = 1;
    }
  else
    {
      g_autoptr(GString) s = g_string_new (NULL);
      for (int d = 0; d < nd; d++)
        g_string_append_printf (s, "%s%" G_GINT64_FORMAT, d ? "×" : "", (gint64) shape[d]);
      sa_set_error (error, SA_ERROR_UNSUPPORTED, opts->model,
                    _("layer \"%s\" gives a %dD output (%s); SyncAct needs a 4D feature map"
                    " (N×C×H×W) or 2D units (N×K)"), opts->layer, nd, s->str);
      return FALSE;
    }
  if (shape[0] != b->n || units == 0 || per_unit == 0 || units > G_MAXINT)
    {
      sa_set_error (error, SA_ERROR_UNSUPPORTED, opts->model,
                    _("layer \"%s\" gives an output whose first dimension is not the batch"),
                    opts->layer);
      return FALSE;
    }
  if (*acts == NULL)
    {
      *acts = sa_activations_new (n_tr, (int) units);
      *scratch = g_new (float, per_unit);
    }
  g_assert ((gsize) (*acts)->n_units == units);
  for (int i = 0; i < b->n; i++)
    {
      float *row = (*acts)->data + (gsize) (b->first + i) * units;
      const float *map = out + (gsize) i * units * per_unit;
      if (per_unit == 1)
        memcpy (row, map, units * sizeof (float));
      else
        sa_reduce_channels (map, units, per_unit, opts->reduce, opts->topk_percent,
                            *scratch, row);
    }
  return TRUE;
}

SaActivations *
sa_extract (const SaExtractOptions *opts,
            const SaProgress       *progress,
            GCancellable           *cancellable,
            GError                **error)
{
  g_autoptr(SaAnnModel) model = NULL;
  g_autoptr(SaMovie) movie = NULL;
  g_autoptr(SaActivations) key = NULL;
  g_autoptr(SaActivations) acts = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree float *scratch = NULL;
  SaTorchTap *tap = NULL;
  const char *layers[1];
  char *msg = NULL;
  Batch batches[3];
  GThread *thread;
  Pipe p = { 0 };
  SaTorchStatus st;
  int done = 0;

  g_return_val_if_fail (opts != NULL, NULL);

  if (!check_options (opts, error))
    return NULL;
  movie = sa_movie_open (opts->movie, error);
  if (movie == NULL)
    return NULL;
  p.n_tr = count_trs (opts, movie);
  if (p.n_tr <= 0)
    {
      sa_set_error (error, SA_ERROR_MISMATCH, opts->movie,
                    _("the movie (%.3g s) is shorter than one TR (%g s)"),
                    sa_movie_get_info (movie)->duration, opts->tr);
      return NULL;
    }
  key = make_key (opts, p.n_tr, error);
  if (key == NULL)
    return NULL;

  model = sa_ann_model_load (opts->model, opts->device, error);
  if (model == NULL)
    return NULL;
  if (opts->threads > 0)
    sa_torch_set_num_threads (opts->threads);
  layers[0] = opts->layer;
  st = sa_torch_tap_new (sa_ann_model_get_torch (model), layers, 1, &tap, &msg);
  if (st != SA_TORCH_OK)
    {
      sa_set_error (error, st == SA_TORCH_NOT_FOUND ? SA_ERROR_NOT_FOUND : SA_ERROR_UNSUPPORTED,
                    opts->model, "%s", msg);
      sa_torch_free (msg);
      return NULL;
    }

  p.opts = opts;
  p.movie = movie;
  p.batch_size = opts->batch_size > 0 ? opts->batch_size : 16;
  p.frame_floats = (gsize) 3 * opts->width * opts->height;
  p.full = g_async_queue_new ();
  p.empty = g_async_queue_new ();
  p.cancellable = cancellable;
  for (guint i = 0; i < G_N_ELEMENTS (batches); i++)
    {
      batches[i].data = g_new (float, p.frame_floats * p.batch_size);
      g_async_queue_push (p.empty, &batches[i]);
    }
  thread = g_thread_new ("syncact-decode", produce, &p);

  for (;;)
    {
      Batch *b = g_async_queue_pop (p.full);
      if (b == &p.end)
        break;
      if (local == NULL && !sa_check_cancelled (cancellable, &local)
          && consume (opts, tap, b, p.n_tr, &acts, &scratch, &local))
        {
          done += b->n;
          sa_progress_report (progress, (double) done / p.n_tr, NULL);
        }
      if (local != NULL)
        g_atomic_int_set (&p.stop, 1);
      g_async_queue_push (p.empty, b);
    }
  g_thread_join (thread);

  for (guint i = 0; i < G_N_ELEMENTS (batches); i++)
    g_free (batches[i].data);
  g_async_queue_unref (p.full);
  g_async_queue_unref (p.empty);
  sa_torch_tap_free (tap);

  if (local != NULL)
    {
      g_clear_error (&p.error);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (p.error != NULL)
    {
      g_propagate_error (error, p.error);
      return NULL;
    }
  if (acts == NULL || done != p.n_tr)
    {
      sa_set_error (error, SA_ERROR_MISMATCH, opts->movie,
                    _("the movie gave %d of %d frames"), done, p.n_tr);
      return NULL;
    }
  acts->model = g_steal_pointer (&key->model);
  acts->model_hash = g_steal_pointer (&key->model_hash);
  acts->layer = g_steal_pointer (&key->layer);
  acts->reduce = g_steal_pointer (&key->reduce);
  acts->topk_percent = key->topk_percent;
  acts->width = key->width;
  acts->height = key->height;
  acts->resize = g_steal_pointer (&key->resize);
  acts->normalisation = g_steal_pointer (&key->normalisation);
  acts->tr = key->tr;
  acts->movie = g_steal_pointer (&key->movie);
  acts->movie_hash = g_steal_pointer (&key->movie_hash);
  return g_steal_pointer (&acts);
}

SaActivations *
sa_extract_cached (const SaExtractOptions *opts,
                   const char             *out_path,
                   gboolean               *reused,
                   const SaProgress       *progress,
                   GCancellable           *cancellable,
                   GError                **error)
{
  g_autoptr(SaActivations) acts = NULL;

  if (reused != NULL)
    *reused = FALSE;
  if (g_file_test (out_path, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(SaActivations) old = sa_activations_load (out_path, NULL);
      int n_tr = old != NULL ? sa_extract_count_trs (opts, error) : 0;
      g_autoptr(SaActivations) key = NULL;

      if (n_tr < 0)
        return NULL;
      if (old != NULL)
        key = make_key (opts, n_tr, error);
      if (old != NULL && key == NULL)
        return NULL;
      if (old != NULL && sa_activations_same_key (old, key))
        {
          if (reused != NULL)
            *reused = TRUE;
          sa_progress_report (progress, 1.0, NULL);
          return g_steal_pointer (&old);
        }
    }
  acts = sa_extract (opts, progress, cancellable, error);
  if (acts == NULL)
    return NULL;
  if (!sa_activations_save (acts, out_path, error))
    return NULL;
  return g_steal_pointer (&acts);
}
