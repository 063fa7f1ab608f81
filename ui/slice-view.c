#include "config.h"

#include "ui/slice-view.h"
#include "ui/slice-view-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "render/slices-private.h"
#include "ui/atlas-names.h"
#include "ui/style-util.h"

/* Mouse conventions follow FSLeyes and MRIcroGL: left click/drag sets the
 * crosshair, the wheel moves through slices, Ctrl+wheel zooms and a middle
 * drag pans. */
struct _SaSliceView {
  GtkWidget      parent_instance;

  SaWorkbench   *workbench;
  SaSliceVolume  map;
  SaSliceParams  params;
  gboolean       have_anatomy;
  GskRenderNode *node;       /* cached drawing, cleared on any change */
  SaSliceCache  *slice_cache; /* the template's grey levels per panel */
  gboolean       reference;  /* bench only: the per-pixel renderer */
  int            node_w, node_h;

  double         pointer_x, pointer_y;
  double         pan_start[2];
};

G_DEFINE_FINAL_TYPE (SaSliceView, sa_slice_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_THRESHOLD,
  PROP_OPACITY,
  PROP_COLORMAP,
  PROP_RADIOLOGICAL,
  PROP_CURSOR_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
atlases_ready (GObject *object)
{
  g_object_notify_by_pspec (object, properties[PROP_CURSOR_TEXT]);
}

const char *
sa_slice_view_get_region (SaSliceView *self,
                          SaAtlasKind  kind)
{
  g_return_val_if_fail (SA_IS_SLICE_VIEW (self), NULL);
  return self->have_anatomy ? sa_atlas_names_at (kind, self->params.cursor) : NULL;
}

gboolean
sa_slice_view_get_atlases_ready (SaSliceView *self)
{
  g_return_val_if_fail (SA_IS_SLICE_VIEW (self), FALSE);
  return sa_atlas_names_loaded ();
}

static void
invalidate (SaSliceView *self)
{
  g_clear_pointer (&self->node, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cursor_changed (SaSliceView *self)
{
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR_TEXT]);
}

static void
reload (SaSliceView *self,
        gboolean     move_to_peak)
{
  const SaSliceVolume *anatomy = self->workbench ? sa_workbench_get_anatomy (self->workbench) : NULL;
  int fbn = self->workbench ? sa_workbench_get_selected_fbn (self->workbench) : -1;

  if (anatomy && !self->have_anatomy)
    {
      /* First anatomy: set up the defaults but keep the user's choices. */
      double threshold = self->params.threshold, opacity = self->params.opacity;
      SaColormap map = self->params.colormap;
      gboolean radiological = self->params.radiological;

      sa_slice_params_init (&self->params, anatomy);
      self->params.threshold = threshold;
      self->params.opacity = opacity;
      self->params.colormap = map;
      self->params.radiological = radiological;
    }
  self->have_anatomy = anatomy != NULL;
  if (self->have_anatomy)
    sa_atlas_names_request (G_OBJECT (self), atlases_ready);
  self->params.anatomy = anatomy;
  self->params.overlay = self->workbench && sa_workbench_get_map (self->workbench, fbn, &self->map)
                         ? &self->map : NULL;
  self->params.overlay_max = 0;
  if (move_to_peak && self->params.overlay)
    {
      double peak[3];

      /* Land on the FBN: the crosshair goes to its strongest voxel. */
      if (sa_workbench_get_map_peak (self->workbench, fbn, peak))
        memcpy (self->params.cursor, peak, sizeof peak);
    }
  cursor_changed (self);
}

static void
on_selected_fbn (SaSliceView *self)
{
  reload (self, TRUE);
}

static void
on_changed (SaSliceView *self)
{
  /* The template may have been replaced at the same address. */
  if (self->slice_cache)
    sa_slice_cache_clear (self->slice_cache);
  reload (self, FALSE);
}

void
sa_slice_view_set_workbench (SaSliceView *self,
                             SaWorkbench *workbench)
{
  g_return_if_fail (SA_IS_SLICE_VIEW (self));

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_set_object (&self->workbench, workbench);
  self->have_anatomy = FALSE;
  if (self->slice_cache)
    sa_slice_cache_clear (self->slice_cache);
  if (workbench)
    {
      g_signal_connect_swapped (workbench, "notify::selected-fbn", G_CALLBACK (on_selected_fbn), self);
      g_signal_connect_swapped (workbench, "changed", G_CALLBACK (on_changed), self);
    }
  reload (self, TRUE);
}

static void
sa_slice_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  SaSliceView *self = SA_SLICE_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  if (!self->have_anatomy || w <= 0 || h <= 0)
    return;
  if (self->node == NULL)
    {
      g_autoptr(GtkSnapshot) inner = gtk_snapshot_new ();
      SaRenderStyle style;

      sa_ui_render_style (widget, &style);
      if (self->reference)
        {
          /* As before the fast renderer: a cairo node, whose recording
           * surface made the slices render at 300 dpi. */
          cairo_t *cr = gtk_snapshot_append_cairo (inner, &GRAPHENE_RECT_INIT (0, 0, w, h));

          sa_slices_draw_reference (cr, &style, &self->params, w, h);
          cairo_destroy (cr);
        }
      else
        {
          /* Straight into an image at the device's pixels: a cairo node
           * would hand the renderer a recording surface, which
           * sa_slices_draw () takes for a vector target and samples at
           * 300 dpi (about 17 times the pixels), only for the replay to
           * scale them back down. */
          int scale = gtk_widget_get_scale_factor (widget);
          cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w * scale, h * scale);
          int stride = cairo_image_surface_get_stride (surface);
          g_autoptr(GBytes) bytes = NULL;
          g_autoptr(GdkTexture) texture = NULL;
          cairo_t *cr;

          cairo_surface_set_device_scale (surface, scale, scale);
          cr = cairo_create (surface);
          sa_slices_draw_cached (cr, &style, &self->params, w, h, self->slice_cache);
          cairo_destroy (cr);
          cairo_surface_flush (surface);
          /* Cairo's ARGB32 is GDK_MEMORY_DEFAULT (premultiplied, native
           * endian); the bytes keep the surface alive. */
          bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                              (gsize) stride * h * scale,
                                              (GDestroyNotify) cairo_surface_destroy, surface);
          texture = gdk_memory_texture_new (w * scale, h * scale, GDK_MEMORY_DEFAULT, bytes, stride);
          gtk_snapshot_append_texture (inner, texture, &GRAPHENE_RECT_INIT (0, 0, w, h));
        }
      self->node = gtk_snapshot_free_to_node (g_steal_pointer (&inner));
    }
  if (self->node)
    gtk_snapshot_append_node (snapshot, self->node);
}

void
sa_slice_view_set_reference_renderer (SaSliceView *self,
                                      gboolean     reference)
{
  g_return_if_fail (SA_IS_SLICE_VIEW (self));
  self->reference = reference;
  invalidate (self);
}

static void
sa_slice_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  SaSliceView *self = SA_SLICE_VIEW (widget);

  /* A relayout (a label elsewhere changed) at the same size keeps the
   * cached slices: re-rendering them per seek would cost scrubbing. */
  if (width != self->node_w || height != self->node_h)
    invalidate (self);
  self->node_w = width;
  self->node_h = height;
}

static void
set_cursor_at (SaSliceView *self,
               double       x,
               double       y)
{
  double world[3];

  if (!self->have_anatomy)
    return;
  if (sa_slices_pick (&self->params, gtk_widget_get_width (GTK_WIDGET (self)),
                      gtk_widget_get_height (GTK_WIDGET (self)), x, y, NULL, world))
    sa_slice_view_set_cursor (self, world);
}

static void
left_drag_begin (GtkGestureDrag *gesture,
                 double          x,
                 double          y,
                 SaSliceView    *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  set_cursor_at (self, x, y);
}

static void
left_drag_update (GtkGestureDrag *gesture,
                  double          dx,
                  double          dy,
                  SaSliceView    *self)
{
  double x, y;

  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  set_cursor_at (self, x + dx, y + dy);
}

static void
middle_drag_begin (GtkGestureDrag *gesture,
                   double          x,
                   double          y,
                   SaSliceView    *self)
{
  self->pan_start[0] = self->params.pan[0];
  self->pan_start[1] = self->params.pan[1];
}

static void
middle_drag_update (GtkGestureDrag *gesture,
                    double          dx,
                    double          dy,
                    SaSliceView    *self)
{
  double scale;

  if (!self->have_anatomy)
    return;
  scale = sa_slices_get_scale (&self->params, gtk_widget_get_width (GTK_WIDGET (self)),
                               gtk_widget_get_height (GTK_WIDGET (self)));
  /* Content follows the pointer: the centre moves against the drag. */
  self->params.pan[0] = self->pan_start[0] - dx / scale;
  self->params.pan[1] = self->pan_start[1] + dy / scale;
  invalidate (self);
}

static void
motion (GtkEventControllerMotion *controller,
        double                    x,
        double                    y,
        SaSliceView              *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static double
voxel_step (const SaSliceVolume *vol,
            int                  axis)
{
  double best = G_MAXDOUBLE;

  /* The voxel column that moves most along @axis sets the step. */
  for (int c = 0; c < 3; c++)
    if (fabs (vol->affine[axis][c]) > 1e-9)
      best = MIN (best, fabs (vol->affine[axis][c]));
  return best < G_MAXDOUBLE ? best : 1.0;
}

static gboolean
scroll (GtkEventControllerScroll *controller,
        double                    dx,
        double                    dy,
        SaSliceView              *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  SaSliceAxis axis;
  double world[3];
  int fixed;

  if (!self->have_anatomy || dy == 0)
    return FALSE;
  if (state & GDK_CONTROL_MASK)
    {
      self->params.zoom = CLAMP (self->params.zoom * pow (1.15, -dy), 0.5, 20.0);
      invalidate (self);
      return TRUE;
    }
  if (!sa_slices_pick (&self->params, gtk_widget_get_width (GTK_WIDGET (self)),
                       gtk_widget_get_height (GTK_WIDGET (self)),
                       self->pointer_x, self->pointer_y, &axis, world))
    return FALSE;
  sa_slices_panel_axes (axis, self->params.radiological, NULL, NULL, NULL, &fixed);
  memcpy (world, self->params.cursor, sizeof world);
  world[fixed] -= dy * voxel_step (self->params.anatomy, fixed);
  sa_slice_view_set_cursor (self, world);
  return TRUE;
}

/* Page Up/Down move the axial slice, so the slices work without a mouse; the
 * crosshair's other axes follow the wheel and clicks. */
static gboolean
key_pressed (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             SaSliceView           *self)
{
  double world[3];
  int axis = state & GDK_SHIFT_MASK ? 1 : state & GDK_CONTROL_MASK ? 0 : 2;
  int dir;

  if (keyval == GDK_KEY_Page_Up)
    dir = 1;
  else if (keyval == GDK_KEY_Page_Down)
    dir = -1;
  else
    return FALSE;
  if (!self->have_anatomy)
    return FALSE;
  memcpy (world, self->params.cursor, sizeof world);
  world[axis] += dir * voxel_step (self->params.anatomy, axis);
  sa_slice_view_set_cursor (self, world);
  return TRUE;
}

void
sa_slice_view_get_cursor (SaSliceView *self,
                          double       world[3])
{
  g_return_if_fail (SA_IS_SLICE_VIEW (self));
  memcpy (world, self->params.cursor, sizeof self->params.cursor);
}

void
sa_slice_view_set_cursor (SaSliceView  *self,
                          const double  world[3])
{
  g_return_if_fail (SA_IS_SLICE_VIEW (self));
  memcpy (self->params.cursor, world, sizeof self->params.cursor);
  cursor_changed (self);
}

const SaSliceParams *
sa_slice_view_get_params (SaSliceView *self)
{
  g_return_val_if_fail (SA_IS_SLICE_VIEW (self), NULL);
  return self->have_anatomy ? &self->params : NULL;
}

static char *
cursor_text (SaSliceView *self)
{
  const double *c = self->params.cursor;
  const char *aal, *ho;
  GString *text;

  if (!self->have_anatomy)
    return g_strdup ("");
  text = g_string_new (NULL);
  if (self->params.overlay)
    {
      double v = sa_slice_volume_sample (self->params.overlay, c, FALSE);

      if (!isnan (v))
        /* TRANSLATORS: crosshair position in mm and the map value there */
        g_string_printf (text, _("%.0f, %.0f, %.0f mm · loading %.3g"), c[0], c[1], c[2], v);
    }
  if (text->len == 0)
    g_string_printf (text, _("%.0f, %.0f, %.0f mm"), c[0], c[1], c[2]);
  /* The regions under the crosshair, as FSLeyes' atlas panel names them. */
  aal = sa_slice_view_get_region (self, SA_ATLAS_AAL);
  ho = sa_slice_view_get_region (self, SA_ATLAS_HARVARD_OXFORD);
  if (aal)
    /* TRANSLATORS: the AAL atlas region at the crosshair, e.g. Precuneus_L */
    g_string_append_printf (text, _(" · AAL: %s"), aal);
  if (ho)
    /* TRANSLATORS: the Harvard-Oxford atlas region at the crosshair */
    g_string_append_printf (text, _(" · Harvard-Oxford: %s"), ho);
  return g_string_free (text, FALSE);
}

static void
sa_slice_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SaSliceView *self = SA_SLICE_VIEW (object);

  switch (prop_id)
    {
    case PROP_THRESHOLD:
      g_value_set_double (value, self->params.threshold);
      break;
    case PROP_OPACITY:
      g_value_set_double (value, self->params.opacity);
      break;
    case PROP_COLORMAP:
      g_value_set_uint (value, self->params.colormap);
      break;
    case PROP_RADIOLOGICAL:
      g_value_set_boolean (value, self->params.radiological);
      break;
    case PROP_CURSOR_TEXT:
      g_value_take_string (value, cursor_text (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_slice_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SaSliceView *self = SA_SLICE_VIEW (object);

  switch (prop_id)
    {
    case PROP_THRESHOLD:
      self->params.threshold = g_value_get_double (value);
      break;
    case PROP_OPACITY:
      self->params.opacity = g_value_get_double (value);
      break;
    case PROP_COLORMAP:
      self->params.colormap = MIN (g_value_get_uint (value), SA_N_COLORMAPS - 1);
      break;
    case PROP_RADIOLOGICAL:
      self->params.radiological = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  invalidate (self);
}

static void
sa_slice_view_dispose (GObject *object)
{
  SaSliceView *self = SA_SLICE_VIEW (object);

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_clear_object (&self->workbench);
  g_clear_pointer (&self->node, gsk_render_node_unref);
  g_clear_pointer (&self->slice_cache, sa_slice_cache_free);
  G_OBJECT_CLASS (sa_slice_view_parent_class)->dispose (object);
}

static void
sa_slice_view_class_init (SaSliceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_slice_view_dispose;
  object_class->get_property = sa_slice_view_get_property;
  object_class->set_property = sa_slice_view_set_property;
  widget_class->snapshot = sa_slice_view_snapshot;
  widget_class->size_allocate = sa_slice_view_size_allocate;

  properties[PROP_THRESHOLD] =
    g_param_spec_double ("threshold", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPACITY] =
    g_param_spec_double ("opacity", NULL, NULL, 0, 1, 0.85,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLORMAP] =
    g_param_spec_uint ("colormap", NULL, NULL, 0, SA_N_COLORMAPS - 1, SA_COLORMAP_RDBU,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RADIOLOGICAL] =
    g_param_spec_boolean ("radiological", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURSOR_TEXT] =
    g_param_spec_string ("cursor-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "sa-slice-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sa_slice_view_init (SaSliceView *self)
{
  GtkGesture *drag;
  GtkEventController *controller;

  self->params.opacity = 0.85;
  self->params.colormap = SA_COLORMAP_RDBU;
  self->params.zoom = 1.0;
  self->slice_cache = sa_slice_cache_new ();

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self), 240, 100);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (left_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (left_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_MIDDLE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (middle_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (middle_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Brain map: sagittal, coronal and axial slices"),
                                  -1);
}

GtkWidget *
sa_slice_view_new (void)
{
  return g_object_new (SA_TYPE_SLICE_VIEW, NULL);
}
