#include "config.h"

#include "ui/frame-view.h"

#include <glib/gi18n.h>
#include <math.h>

/* Before the first allocation, frames are decoded at most this wide. */
#define FIRST_WIDTH 640
/* Decode widths are rounded up to this step, so that a window resized by a
 * few pixels keeps its cached frames. */
#define WIDTH_STEP 64

struct _SaFrameView {
  GtkWidget      parent_instance;

  SaWorkbench   *workbench;
  GdkTexture    *texture;
  int            shown_index;    /* TR strip frame, or -1 */
  SaCachedFrame *shown_frame;    /* movie frame, or NULL */
  gboolean       shown_exact;

  SaFrameCache  *cache;
  gboolean       playing;
};

G_DEFINE_FINAL_TYPE (SaFrameView, sa_frame_view, GTK_TYPE_WIDGET)

static void
show_nothing (SaFrameView *self)
{
  g_clear_object (&self->texture);
  g_clear_pointer (&self->shown_frame, sa_cached_frame_unref);
  self->shown_index = -1;
  self->shown_exact = FALSE;
}

static void
show_movie_frame (SaFrameView   *self,
                  SaCachedFrame *frame,
                  gboolean       exact)
{
  if (frame == self->shown_frame)
    {
      self->shown_exact = exact;
      return;
    }
  show_nothing (self);
  /* The texture shares the cache's bytes: no copy. */
  self->texture = gdk_memory_texture_new (frame->width, frame->height, GDK_MEMORY_R8G8B8,
                                          frame->rgb, (gsize) frame->width * 3);
  self->shown_frame = sa_cached_frame_ref (frame);
  self->shown_exact = exact;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
show_tr_frame (SaFrameView *self,
               int          index)
{
  SaFrame frame;

  if (index == self->shown_index && self->texture)
    return;
  show_nothing (self);
  if (self->workbench && sa_workbench_get_frame (self->workbench, index, &frame))
    {
      /* The workbench's frames outlive no texture we hand out, so copy. */
      g_autoptr(GBytes) bytes = g_bytes_new (frame.rgb, (gsize) frame.stride * frame.height);

      self->texture = gdk_memory_texture_new (frame.width, frame.height, GDK_MEMORY_R8G8B8,
                                              bytes, frame.stride);
      self->shown_index = index;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* How far from @t the frame shown over [start, end) is, in seconds. */
static double
distance (double t,
          double start,
          double end)
{
  return t < start ? start - t : t >= end ? t - end : 0.0;
}

/* While the exact frame decodes: whichever of the frame on screen, the
 * nearest cached frame and the TR's strip frame is closest to @t. */
static void
show_stand_in (SaFrameView *self,
               double       t)
{
  g_autoptr(SaCachedFrame) nearest = sa_frame_cache_nearest (self->cache, t);
  double best = INFINITY;
  int tr_index = sa_workbench_get_tr_index (self->workbench);
  SaFrame strip;
  enum { KEEP, NEAREST, STRIP } pick = KEEP;

  if (self->shown_frame != NULL)
    best = distance (t, self->shown_frame->start, self->shown_frame->end);
  else if (self->shown_index >= 0 && sa_workbench_get_frame (self->workbench, self->shown_index, &strip))
    best = fabs (strip.time - t);
  if (nearest != NULL && distance (t, nearest->start, nearest->end) < best)
    {
      best = distance (t, nearest->start, nearest->end);
      pick = NEAREST;
    }
  /* The strip frame is the one shown at the end of the TR. */
  if (sa_workbench_get_frame (self->workbench, tr_index, &strip) && fabs (strip.time - t) < best)
    pick = STRIP;

  if (pick == NEAREST)
    show_movie_frame (self, nearest, FALSE);
  else if (pick == STRIP)
    show_tr_frame (self, tr_index);
  else if (self->texture == NULL)
    show_tr_frame (self, tr_index);
  else
    self->shown_exact = FALSE;
}

static void
update (SaFrameView *self)
{
  g_autoptr(SaCachedFrame) frame = NULL;
  double t;

  if (self->workbench == NULL)
    {
      show_nothing (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  if (self->cache == NULL)
    {
      show_tr_frame (self, sa_workbench_get_tr_index (self->workbench));
      return;
    }
  t = sa_workbench_get_time (self->workbench);
  frame = sa_frame_cache_request (self->cache, t);
  if (frame != NULL)
    show_movie_frame (self, frame, TRUE);
  else
    show_stand_in (self, t);
}

static void
frame_ready (SaFrameCache  *cache,
             SaCachedFrame *frame,
             const GError  *error,
             gpointer       user_data)
{
  SaFrameView *self = user_data;
  double t;

  if (error != NULL)
    {
      /* The stand-in stays; the loader has already said what is wrong
       * with a movie that does not decode. */
      g_debug ("movie frame: %s", error->message);
      return;
    }
  t = sa_workbench_get_time (self->workbench);
  /* Past the movie's end (a run longer than its movie) its last frame is
   * the one shown. */
  show_movie_frame (self, frame,
                    distance (t, frame->start, frame->end) == 0.0 ||
                    (t >= frame->end && frame->end >= sa_frame_cache_get_end (cache) - 1e-6));
}

/* The size frames are decoded at: the movie's, fitted into @width×@height
 * device pixels, never larger than the movie. */
static void
decode_size (SaFrameView *self,
             int          width,
             int          height,
             int         *out_w,
             int         *out_h)
{
  const SaMovieInfo *info = sa_frame_cache_get_info (self->cache);
  double fit = MIN (1.0, MIN ((double) width / info->width, (double) height / info->height));
  int w = (int) ceil (info->width * fit / WIDTH_STEP) * WIDTH_STEP;

  w = CLAMP (w, MIN (WIDTH_STEP, info->width), info->width);
  *out_w = w;
  *out_h = MAX (1, (int) lround ((double) w * info->height / info->width));
}

static void
open_movie (SaFrameView *self)
{
  const char *path = self->workbench ? sa_workbench_get_movie_path (self->workbench) : NULL;
  g_autoptr(GError) error = NULL;
  SaFrameCache *cache;
  int w, h;

  if (self->cache != NULL && g_strcmp0 (path, sa_frame_cache_get_path (self->cache)) == 0)
    return;
  g_clear_pointer (&self->cache, sa_frame_cache_free);
  if (path == NULL)
    return;
  /* Open at a provisional size; the first allocation sets the real one. */
  cache = sa_frame_cache_new (path, 16, 16, 0, frame_ready, self, &error);
  if (cache == NULL)
    {
      g_debug ("movie pane: %s", error->message);
      return;
    }
  self->cache = cache;
  if (gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    decode_size (self,
                 gtk_widget_get_width (GTK_WIDGET (self)) * gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                 gtk_widget_get_height (GTK_WIDGET (self)) * gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                 &w, &h);
  else
    decode_size (self, FIRST_WIDTH, FIRST_WIDTH, &w, &h);
  sa_frame_cache_set_size (cache, w, h);
  sa_frame_cache_set_playing (cache, self->playing);
}

static void
data_changed (SaFrameView *self)
{
  show_nothing (self);
  open_movie (self);
  update (self);
}

void
sa_frame_view_set_workbench (SaFrameView *self,
                             SaWorkbench *workbench)
{
  g_return_if_fail (SA_IS_FRAME_VIEW (self));

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_set_object (&self->workbench, workbench);
  if (workbench)
    {
      g_signal_connect_swapped (workbench, "notify::time", G_CALLBACK (update), self);
      g_signal_connect_swapped (workbench, "changed", G_CALLBACK (data_changed), self);
    }
  data_changed (self);
}

void
sa_frame_view_set_playing (SaFrameView *self,
                           gboolean     playing)
{
  g_return_if_fail (SA_IS_FRAME_VIEW (self));

  self->playing = !!playing;
  if (self->cache)
    sa_frame_cache_set_playing (self->cache, self->playing);
}

int
sa_frame_view_get_shown_index (SaFrameView *self)
{
  g_return_val_if_fail (SA_IS_FRAME_VIEW (self), -1);
  return self->shown_index;
}

SaCachedFrame *
sa_frame_view_get_movie_frame (SaFrameView *self,
                               gboolean    *exact)
{
  g_return_val_if_fail (SA_IS_FRAME_VIEW (self), NULL);
  if (exact)
    *exact = self->shown_frame != NULL && self->shown_exact;
  return self->shown_frame;
}

GdkTexture *
sa_frame_view_get_texture (SaFrameView *self)
{
  g_return_val_if_fail (SA_IS_FRAME_VIEW (self), NULL);
  return self->texture;
}

SaFrameCache *
sa_frame_view_get_cache (SaFrameView *self)
{
  g_return_val_if_fail (SA_IS_FRAME_VIEW (self), NULL);
  return self->cache;
}

static void
sa_frame_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  SaFrameView *self = SA_FRAME_VIEW (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  int w, h, cw, ch;

  if (self->cache == NULL || width <= 0 || height <= 0)
    return;
  decode_size (self, width * scale, height * scale, &w, &h);
  sa_frame_cache_get_size (self->cache, &cw, &ch);
  if (w != cw || h != ch)
    {
      /* The frame on screen stays (scaled) until the new size decodes. */
      sa_frame_cache_set_size (self->cache, w, h);
      if (self->workbench)
        update (self);
    }
}

static void
sa_frame_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  SaFrameView *self = SA_FRAME_VIEW (widget);
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  double tw, th, scale;

  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 }, &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (self->texture == NULL)
    return;
  tw = gdk_texture_get_width (self->texture);
  th = gdk_texture_get_height (self->texture);
  scale = MIN (w / tw, h / th);
  gtk_snapshot_append_texture (snapshot, self->texture,
                               &GRAPHENE_RECT_INIT ((w - tw * scale) / 2, (h - th * scale) / 2,
                                                    tw * scale, th * scale));
}

static void
sa_frame_view_dispose (GObject *object)
{
  SaFrameView *self = SA_FRAME_VIEW (object);

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  /* Joins the decoder: a frame in flight is finished, then dropped. */
  g_clear_pointer (&self->cache, sa_frame_cache_free);
  g_clear_object (&self->workbench);
  show_nothing (self);
  G_OBJECT_CLASS (sa_frame_view_parent_class)->dispose (object);
}

static void
sa_frame_view_class_init (SaFrameViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_frame_view_dispose;
  widget_class->snapshot = sa_frame_view_snapshot;
  widget_class->size_allocate = sa_frame_view_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "sa-frame-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sa_frame_view_init (SaFrameView *self)
{
  self->shown_index = -1;
  gtk_widget_set_size_request (GTK_WIDGET (self), 160, 90);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Movie frame"), -1);
}

GtkWidget *
sa_frame_view_new (void)
{
  return g_object_new (SA_TYPE_FRAME_VIEW, NULL);
}
