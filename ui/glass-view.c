#include "config.h"

#include "ui/glass-view.h"

#include <epoxy/gl.h>
#include <math.h>
#include <string.h>

#include "ui/style-util.h"

/* What a silhouette depends on: the template's grid and its voxels. */
typedef struct {
  int     nx, ny, nz;
  double  affine[4][4];
  guint64 hash;
} OutlineKey;

struct _SaGlassView {
  GtkWidget      parent_instance;

  SaWorkbench   *workbench;
  SaGlass       *glass;
  SaGlassParams  params;
  double         threshold;
  gboolean       map_stale;     /* glass's map points wait for the next draw */
  GskRenderNode *node;          /* Cairo fallback, cached */
  double         drag_az, drag_el;

  OutlineKey     want_key;      /* the anatomy the glass is for */
  GCancellable  *outline_build; /* non-NULL while its silhouette is built */

  gboolean       allow_gl;
  GtkWidget     *gl_area;       /* NULL while Cairo draws */
  GLuint         vao, vbo, program;
  gboolean       vbo_dirty;
  GLint          u_centre, u_right, u_up, u_scale;
};

G_DEFINE_FINAL_TYPE (SaGlassView, sa_glass_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_THRESHOLD,
  PROP_COLORMAP,
  PROP_AZIMUTH,
  PROP_ELEVATION,
  PROP_ZOOM,
  PROP_ALLOW_GL,
  PROP_USING_GL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Fill of the silhouette: the Cairo drawing's faint glass over the panel. */
#define OUTLINE_ALPHA 0.12

static void
invalidate (SaGlassView *self)
{
  g_clear_pointer (&self->node, gsk_render_node_unref);
  if (self->gl_area)
    gtk_gl_area_queue_render (GTK_GL_AREA (self->gl_area));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
get_map (SaGlassView   *self,
         SaSliceVolume *map)
{
  return self->workbench
         && sa_workbench_get_map (self->workbench,
                                  sa_workbench_get_selected_fbn (self->workbench), map);
}

/* The last template's silhouette, shared by every view: a results load or a
 * run/model/layer switch gives the workbench a fresh copy of the same
 * template, and building it again scans all 35 M voxels of the 0.5 mm
 * ch2better (about 0.08 s of a 0.18 s layer switch, measured).
 * Touched on the main thread only. */
static OutlineKey      cached_key;
static SaGlassOutline *cached_outline;

static guint64
mix (guint64 h,
     guint32 w)
{
  h = (h ^ w) * 0x100000001b3u;
  return h ^ (h >> 29);
}

/* Hashing every voxel of ch2better costs ~60 ms a rebuild, most of what the
 * cache saves; its middle axial slice in full plus one voxel in 1021 over
 * the rest tells templates apart in ~2 ms. Grid and affine are compared
 * exactly. */
static void
outline_key (const SaSliceVolume *v,
             OutlineKey          *key)
{
  gsize slice = (gsize) v->nx * v->ny, n = slice * v->nz, mid = slice * (v->nz / 2);
  const guint32 *w = (const guint32 *) v->data;
  guint64 h = 0x9e3779b97f4a7c15u;

  memset (key, 0, sizeof *key);
  key->nx = v->nx;
  key->ny = v->ny;
  key->nz = v->nz;
  memcpy (key->affine, v->affine, sizeof key->affine);
  for (gsize i = mid; i < mid + slice; i++)
    h = mix (h, w[i]);
  for (gsize i = 0; i < n; i += 1021)
    h = mix (h, w[i]);
  key->hash = mix (h, w[n - 1]);
}

static gboolean
outline_key_equal (const OutlineKey *a,
                   const OutlineKey *b)
{
  return a->nx == b->nx && a->ny == b->ny && a->nz == b->nz && a->hash == b->hash
         && memcmp (a->affine, b->affine, sizeof a->affine) == 0;
}

typedef struct {
  SaSliceVolume volume;   /* owns its data: the workbench may drop its copy meanwhile */
  OutlineKey    key;
} OutlineJob;

static void
outline_job_free (gpointer data)
{
  OutlineJob *job = data;

  g_free ((float *) job->volume.data);
  g_free (job);
}

static void
outline_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  OutlineJob *job = task_data;

  g_task_return_pointer (task, sa_glass_outline_new (&job->volume),
                         (GDestroyNotify) sa_glass_outline_unref);
}

static void
outline_built (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SaGlassView *self = SA_GLASS_VIEW (source);
  OutlineJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(SaGlassOutline) outline = g_task_propagate_pointer (G_TASK (result), NULL);

  /* Cancelled: another template came, or the view went away. */
  if (outline == NULL)
    return;
  cached_key = job->key;
  g_clear_pointer (&cached_outline, sa_glass_outline_unref);
  cached_outline = sa_glass_outline_ref (outline);
  g_clear_object (&self->outline_build);
  if (self->glass && outline_key_equal (&job->key, &self->want_key))
    {
      sa_glass_set_outline (self->glass, outline);
      self->vbo_dirty = TRUE;
      invalidate (self);
    }
}

/* The silhouette of @anatomy when it is built; else NULL, and a worker
 * builds it (the glass is drawn without it meanwhile). */
static SaGlassOutline *
find_outline (SaGlassView         *self,
              const SaSliceVolume *anatomy)
{
  g_autoptr(GTask) task = NULL;
  OutlineJob *job;
  OutlineKey key;

  outline_key (anatomy, &key);
  if (self->outline_build && outline_key_equal (&key, &self->want_key))
    return NULL;
  self->want_key = key;
  if (self->outline_build)
    {
      g_cancellable_cancel (self->outline_build);
      g_clear_object (&self->outline_build);
    }
  if (cached_outline && outline_key_equal (&key, &cached_key))
    return cached_outline;

  job = g_new0 (OutlineJob, 1);
  job->volume = *anatomy;
  job->volume.data = g_memdup2 (anatomy->data, sizeof (float) * anatomy->nx * anatomy->ny * anatomy->nz);
  job->key = key;
  self->outline_build = g_cancellable_new ();
  task = g_task_new (self, self->outline_build, outline_built, NULL);
  g_task_set_source_tag (task, find_outline);
  g_task_set_task_data (task, job, outline_job_free);
  g_task_run_in_thread (task, outline_thread);
  return NULL;
}

/* New data: the silhouette too, from the cache when the template is known. */
static void
rebuild (SaGlassView *self)
{
  const SaSliceVolume *anatomy = self->workbench ? sa_workbench_get_anatomy (self->workbench) : NULL;
  SaGlassOutline *outline = NULL;
  SaSliceVolume map;
  gboolean have_map = get_map (self, &map);

  g_clear_pointer (&self->glass, sa_glass_free);
  if (anatomy && anatomy->data)
    outline = find_outline (self, anatomy);
  else if (self->outline_build)
    {
      g_cancellable_cancel (self->outline_build);
      g_clear_object (&self->outline_build);
    }
  if (anatomy || have_map)
    self->glass = sa_glass_new_with_outline (have_map ? &map : NULL, outline, self->threshold);
  self->map_stale = FALSE;
  self->vbo_dirty = TRUE;
  invalidate (self);
}

/* The map points for the FBN and threshold now chosen, if they are not yet. */
static void
update_map (SaGlassView *self)
{
  SaSliceVolume map;

  if (!self->map_stale || self->glass == NULL)
    return;
  self->map_stale = FALSE;
  sa_glass_set_map (self->glass, get_map (self, &map) ? &map : NULL, self->threshold);
  self->vbo_dirty = TRUE;
}

/* Another FBN or threshold: only the map points, at the next draw. Choosing
 * an FBN changes both (the window keeps the threshold at a share of the new
 * map's peak), and collecting the points twice cost ~0.5 ms of each
 * selection for nothing. */
static void
reload_map (SaGlassView *self)
{
  if (self->glass == NULL)
    {
      rebuild (self);
      return;
    }
  self->map_stale = TRUE;
  self->vbo_dirty = TRUE;
  invalidate (self);
}

void
sa_glass_view_set_workbench (SaGlassView *self,
                             SaWorkbench *workbench)
{
  g_return_if_fail (SA_IS_GLASS_VIEW (self));

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_set_object (&self->workbench, workbench);
  if (workbench)
    {
      g_signal_connect_swapped (workbench, "notify::selected-fbn", G_CALLBACK (reload_map), self);
      g_signal_connect_swapped (workbench, "changed", G_CALLBACK (rebuild), self);
    }
  rebuild (self);
}

/* GL -------------------------------------------------------------------- */

static const char *vertex_src =
  "#version 330 core\n"
  "layout(location = 0) in vec3 pos;\n"
  "layout(location = 1) in vec4 col;\n"
  "uniform vec3 centre;\n"
  "uniform vec3 right;\n"
  "uniform vec3 up;\n"
  "uniform vec2 scale;\n"
  "out vec3 vcol;\n"
  "void main () {\n"
  "  vec3 d = pos - centre;\n"
  "  gl_Position = vec4 (dot (d, right) * scale.x, dot (d, up) * scale.y, col.a * 2.0 - 1.0, 1.0);\n"
  "  vcol = col.rgb;\n"
  "}\n";

static const char *fragment_src =
  "#version 330 core\n"
  "in vec3 vcol;\n"
  "out vec4 colour;\n"
  "void main () { colour = vec4 (vcol, 1.0); }\n";

static GLuint
compile (GLenum       type,
         const char  *src,
         GError     **error)
{
  GLuint s = glCreateShader (type);
  GLint ok = 0;

  glShaderSource (s, 1, &src, NULL);
  glCompileShader (s);
  glGetShaderiv (s, GL_COMPILE_STATUS, &ok);
  if (!ok)
    {
      char log[1024] = "";

      glGetShaderInfoLog (s, sizeof log, NULL, log);
      g_set_error (error, GDK_GL_ERROR, GDK_GL_ERROR_COMPILATION_FAILED,
                   "glass shader: %s", log);
      glDeleteShader (s);
      return 0;
    }
  return s;
}

static void use_cairo (SaGlassView *self);

static void
gl_realize (GtkGLArea   *area,
            SaGlassView *self)
{
  g_autoptr(GError) error = NULL;
  GLuint vs, fs;
  GLint ok = 0;

  gtk_gl_area_make_current (area);
  if (gtk_gl_area_get_error (area) != NULL)
    return;
  vs = compile (GL_VERTEX_SHADER, vertex_src, &error);
  fs = vs ? compile (GL_FRAGMENT_SHADER, fragment_src, &error) : 0;
  if (!fs)
    {
      if (vs)
        glDeleteShader (vs);
      gtk_gl_area_set_error (area, error);
      return;
    }
  self->program = glCreateProgram ();
  glAttachShader (self->program, vs);
  glAttachShader (self->program, fs);
  glLinkProgram (self->program);
  glDeleteShader (vs);
  glDeleteShader (fs);
  glGetProgramiv (self->program, GL_LINK_STATUS, &ok);
  if (!ok)
    {
      g_autoptr(GError) link = g_error_new (GDK_GL_ERROR, GDK_GL_ERROR_LINK_FAILED,
                                            "glass shader: link failed");
      gtk_gl_area_set_error (area, link);
      return;
    }
  self->u_centre = glGetUniformLocation (self->program, "centre");
  self->u_right = glGetUniformLocation (self->program, "right");
  self->u_up = glGetUniformLocation (self->program, "up");
  self->u_scale = glGetUniformLocation (self->program, "scale");
  glGenVertexArrays (1, &self->vao);
  glGenBuffers (1, &self->vbo);
  self->vbo_dirty = TRUE;
}

static void
gl_unrealize (GtkGLArea   *area,
              SaGlassView *self)
{
  gtk_gl_area_make_current (area);
  if (gtk_gl_area_get_error (area) != NULL)
    return;
  if (self->vbo)
    glDeleteBuffers (1, &self->vbo);
  if (self->vao)
    glDeleteVertexArrays (1, &self->vao);
  if (self->program)
    glDeleteProgram (self->program);
  self->vbo = self->vao = self->program = 0;
}

/* Per point: xyz, rgb, depth. Colours are baked on the CPU (colour map and
 * vmax change rarely), depth = 1 − |value|/max so GL_LESS keeps the MIP. */
static void
upload (SaGlassView *self,
        double       vmax)
{
  const SaGlassPoint *map, *outline;
  gsize n_map, n_outline;
  g_autofree float *buf = NULL;
  SaRenderStyle style;
  double fill[3];
  gboolean diverging = sa_colormap_is_diverging (self->params.colormap);

  map = sa_glass_get_map_points (self->glass, &n_map);
  outline = sa_glass_get_outline_points (self->glass, &n_outline);
  buf = g_new (float, 7 * (n_map + n_outline));
  sa_ui_render_style (GTK_WIDGET (self), &style);
  for (int c = 0; c < 3; c++)
    fill[c] = (1 - OUTLINE_ALPHA) * style.bg[c] + OUTLINE_ALPHA * style.fg[c];
  for (gsize i = 0; i < n_outline; i++)
    {
      float *v = buf + 7 * i;

      memcpy (v, outline[i].xyz, 3 * sizeof (float));
      v[3] = fill[0]; v[4] = fill[1]; v[5] = fill[2];
      v[6] = 0.9999f;
    }
  for (gsize i = 0; i < n_map; i++)
    {
      float *v = buf + 7 * (n_outline + i);
      double rgb[3], a = fabs (map[i].value);
      double t = diverging ? 0.5 + 0.5 * map[i].value / vmax : a / vmax;

      sa_colormap_sample (self->params.colormap, t, rgb);
      memcpy (v, map[i].xyz, 3 * sizeof (float));
      v[3] = rgb[0]; v[4] = rgb[1]; v[5] = rgb[2];
      v[6] = 0.999f * (1.0f - (float) (a / MAX (a, sa_glass_get_abs_max (self->glass))));
    }
  glBindVertexArray (self->vao);
  glBindBuffer (GL_ARRAY_BUFFER, self->vbo);
  glBufferData (GL_ARRAY_BUFFER, sizeof (float) * 7 * (n_map + n_outline), buf, GL_STATIC_DRAW);
  glEnableVertexAttribArray (0);
  glVertexAttribPointer (0, 3, GL_FLOAT, GL_FALSE, 7 * sizeof (float), (void *) 0);
  glEnableVertexAttribArray (1);
  glVertexAttribPointer (1, 4, GL_FLOAT, GL_FALSE, 7 * sizeof (float), (void *) (3 * sizeof (float)));
  self->vbo_dirty = FALSE;
}

static gboolean
gl_render (GtkGLArea    *area,
           GdkGLContext *context,
           SaGlassView  *self)
{
  SaRenderStyle style;
  int w = gtk_widget_get_width (GTK_WIDGET (area)), h = gtk_widget_get_height (GTK_WIDGET (area));
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (area));
  double right[3], up[3], fwd[3], centre[3], radius, scale;
  gsize n_map, n_outline;
  double vmax;

  sa_ui_render_style (GTK_WIDGET (self), &style);
  glClearColor (style.bg[0], style.bg[1], style.bg[2], 1);
  glClearDepth (1.0);
  glClear (GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
  if (self->glass == NULL || self->program == 0 || w <= 0 || h <= 0)
    return TRUE;
  update_map (self);

  vmax = self->params.vmax > 0 ? self->params.vmax
         : sa_glass_get_abs_max (self->glass) > 0 ? sa_glass_get_abs_max (self->glass) : 1.0;
  if (self->vbo_dirty)
    upload (self, vmax);
  sa_glass_view_axes (&self->params, right, up, fwd);
  sa_glass_get_bounds (self->glass, centre, &radius);
  /* Same fit as sa_glass_draw without its colour bar: pixels per mm. */
  scale = self->params.zoom * 0.5 * MIN (w, h) / radius;

  glEnable (GL_DEPTH_TEST);
  glDepthFunc (GL_LESS);
  glUseProgram (self->program);
  glUniform3f (self->u_centre, centre[0], centre[1], centre[2]);
  glUniform3f (self->u_right, right[0], right[1], right[2]);
  glUniform3f (self->u_up, up[0], up[1], up[2]);
  glUniform2f (self->u_scale, 2 * scale / w, 2 * scale / h);
  glBindVertexArray (self->vao);
  sa_glass_get_outline_points (self->glass, &n_outline);
  sa_glass_get_map_points (self->glass, &n_map);
  /* Square points as wide as the Cairo splats (2·⌊0.6·voxel·scale⌋ + 1). */
  glPointSize (sf * (2 * floor (0.6 * sa_glass_get_outline_voxel_mm (self->glass) * scale) + 1));
  glDrawArrays (GL_POINTS, 0, n_outline);
  glPointSize (sf * (2 * floor (0.6 * sa_glass_get_map_voxel_mm (self->glass) * scale) + 1));
  glDrawArrays (GL_POINTS, n_outline, n_map);
  glBindVertexArray (0);
  glUseProgram (0);
  glDisable (GL_DEPTH_TEST);
  return TRUE;
}

static gboolean
fall_back_idle (gpointer data)
{
  SaGlassView *self = data;

  use_cairo (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
gl_realized_check (GtkGLArea   *area,
                   SaGlassView *self)
{
  GError *error = gtk_gl_area_get_error (area);

  /* Swapping children inside realize confuses GTK: do it from idle. */
  if (error != NULL)
    {
      g_message ("Glass brain: GL unavailable (%s); drawing with Cairo", error->message);
      g_idle_add (fall_back_idle, g_object_ref (self));
    }
}

static void
use_gl (SaGlassView *self)
{
  if (self->gl_area)
    return;
  self->gl_area = gtk_gl_area_new ();
  gtk_gl_area_set_required_version (GTK_GL_AREA (self->gl_area), 3, 3);
  gtk_gl_area_set_has_depth_buffer (GTK_GL_AREA (self->gl_area), TRUE);
  g_signal_connect (self->gl_area, "realize", G_CALLBACK (gl_realize), self);
  g_signal_connect_after (self->gl_area, "realize", G_CALLBACK (gl_realized_check), self);
  g_signal_connect (self->gl_area, "unrealize", G_CALLBACK (gl_unrealize), self);
  g_signal_connect (self->gl_area, "render", G_CALLBACK (gl_render), self);
  gtk_widget_set_parent (self->gl_area, GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USING_GL]);
  invalidate (self);
}

static void
use_cairo (SaGlassView *self)
{
  if (self->gl_area == NULL)
    return;
  g_clear_pointer (&self->gl_area, gtk_widget_unparent);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USING_GL]);
  invalidate (self);
}

gboolean
sa_glass_view_get_using_gl (SaGlassView *self)
{
  g_return_val_if_fail (SA_IS_GLASS_VIEW (self), FALSE);
  return self->gl_area != NULL && gtk_widget_get_realized (self->gl_area)
         && gtk_gl_area_get_error (GTK_GL_AREA (self->gl_area)) == NULL;
}

/* Cairo ------------------------------------------------------------------ */

static void
sa_glass_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  SaGlassView *self = SA_GLASS_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  if (self->gl_area)
    {
      gtk_widget_snapshot_child (widget, self->gl_area, snapshot);
      return;
    }
  if (self->glass == NULL || w <= 0 || h <= 0)
    return;
  update_map (self);
  if (self->node == NULL)
    {
      g_autoptr(GtkSnapshot) inner = gtk_snapshot_new ();
      cairo_t *cr = gtk_snapshot_append_cairo (inner, &GRAPHENE_RECT_INIT (0, 0, w, h));
      SaRenderStyle style;

      sa_ui_render_style (widget, &style);
      sa_glass_draw (cr, &style, self->glass, &self->params, w, h);
      cairo_destroy (cr);
      self->node = gtk_snapshot_free_to_node (g_steal_pointer (&inner));
    }
  if (self->node)
    gtk_snapshot_append_node (snapshot, self->node);
}

static void
sa_glass_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  SaGlassView *self = SA_GLASS_VIEW (widget);

  g_clear_pointer (&self->node, gsk_render_node_unref);
  if (self->gl_area)
    gtk_widget_size_allocate (self->gl_area, &(GtkAllocation) { 0, 0, width, height }, baseline);
}

/* Interaction ------------------------------------------------------------ */

static void
set_view (SaGlassView *self,
          double       azimuth,
          double       elevation,
          double       zoom)
{
  self->params.azimuth = remainder (azimuth, 360.0);
  self->params.elevation = CLAMP (elevation, -90.0, 90.0);
  self->params.zoom = CLAMP (zoom, 0.25, 8.0);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AZIMUTH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELEVATION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

void
sa_glass_view_reset (SaGlassView *self)
{
  g_return_if_fail (SA_IS_GLASS_VIEW (self));
  set_view (self, SA_GLASS_FRONT_AZIMUTH, SA_GLASS_FRONT_ELEVATION, 1.0);
}

static void
drag_begin (GtkGestureDrag *gesture,
            double          x,
            double          y,
            SaGlassView    *self)
{
  self->drag_az = self->params.azimuth;
  self->drag_el = self->params.elevation;
}

static void
drag_update (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             SaGlassView    *self)
{
  /* Half a degree per pixel: a window-wide drag turns the head round. */
  set_view (self, self->drag_az - 0.5 * dx, self->drag_el + 0.5 * dy, self->params.zoom);
}

static gboolean
scroll (GtkEventControllerScroll *controller,
        double                    dx,
        double                    dy,
        SaGlassView              *self)
{
  set_view (self, self->params.azimuth, self->params.elevation, self->params.zoom * pow (1.1, -dy));
  return TRUE;
}

static void
pressed (GtkGestureClick *gesture,
         int              n_press,
         double           x,
         double           y,
         SaGlassView     *self)
{
  if (n_press == 2)
    sa_glass_view_reset (self);
}

/* GObject ---------------------------------------------------------------- */

static void
sa_glass_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SaGlassView *self = SA_GLASS_VIEW (object);

  switch (prop_id)
    {
    case PROP_THRESHOLD:
      g_value_set_double (value, self->threshold);
      break;
    case PROP_COLORMAP:
      g_value_set_uint (value, self->params.colormap);
      break;
    case PROP_AZIMUTH:
      g_value_set_double (value, self->params.azimuth);
      break;
    case PROP_ELEVATION:
      g_value_set_double (value, self->params.elevation);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->params.zoom);
      break;
    case PROP_ALLOW_GL:
      g_value_set_boolean (value, self->allow_gl);
      break;
    case PROP_USING_GL:
      g_value_set_boolean (value, sa_glass_view_get_using_gl (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_glass_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SaGlassView *self = SA_GLASS_VIEW (object);

  switch (prop_id)
    {
    case PROP_THRESHOLD:
      self->threshold = g_value_get_double (value);
      reload_map (self);
      break;
    case PROP_COLORMAP:
      self->params.colormap = MIN (g_value_get_uint (value), SA_N_COLORMAPS - 1);
      self->vbo_dirty = TRUE;
      invalidate (self);
      break;
    case PROP_AZIMUTH:
      set_view (self, g_value_get_double (value), self->params.elevation, self->params.zoom);
      break;
    case PROP_ELEVATION:
      set_view (self, self->params.azimuth, g_value_get_double (value), self->params.zoom);
      break;
    case PROP_ZOOM:
      set_view (self, self->params.azimuth, self->params.elevation, g_value_get_double (value));
      break;
    case PROP_ALLOW_GL:
      self->allow_gl = g_value_get_boolean (value);
      if (self->allow_gl)
        use_gl (self);
      else
        use_cairo (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sa_glass_view_dispose (GObject *object)
{
  SaGlassView *self = SA_GLASS_VIEW (object);

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_clear_object (&self->workbench);
  if (self->outline_build)
    g_cancellable_cancel (self->outline_build);
  g_clear_object (&self->outline_build);
  g_clear_pointer (&self->gl_area, gtk_widget_unparent);
  g_clear_pointer (&self->node, gsk_render_node_unref);
  g_clear_pointer (&self->glass, sa_glass_free);
  G_OBJECT_CLASS (sa_glass_view_parent_class)->dispose (object);
}

static void
sa_glass_view_class_init (SaGlassViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sa_glass_view_get_property;
  object_class->set_property = sa_glass_view_set_property;
  object_class->dispose = sa_glass_view_dispose;
  widget_class->snapshot = sa_glass_view_snapshot;
  widget_class->size_allocate = sa_glass_view_size_allocate;

  properties[PROP_THRESHOLD] =
    g_param_spec_double ("threshold", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COLORMAP] =
    g_param_spec_uint ("colormap", NULL, NULL, 0, SA_N_COLORMAPS - 1, SA_COLORMAP_RDBU,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_AZIMUTH] =
    g_param_spec_double ("azimuth", NULL, NULL, -360, 360, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ELEVATION] =
    g_param_spec_double ("elevation", NULL, NULL, -90, 90, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0.25, 8, 1,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ALLOW_GL] =
    g_param_spec_boolean ("allow-gl", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_USING_GL] =
    g_param_spec_boolean ("using-gl", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sa_glass_view_init (SaGlassView *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *controller;

  sa_glass_params_init (&self->params);
  /* The pane is small; export turns the bar back on. */
  self->params.show_colorbar = FALSE;
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self), 160, 120);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (click, "pressed", G_CALLBACK (pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  /* GL under the Cairo renderer is software at best: default to Cairo there. */
  self->allow_gl = g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") != 0
                   && g_getenv ("SYNCACT_NO_GL") == NULL;
  if (self->allow_gl)
    use_gl (self);
}

GtkWidget *
sa_glass_view_new (void)
{
  return g_object_new (SA_TYPE_GLASS_VIEW, NULL);
}

const SaGlassParams *
sa_glass_view_get_params (SaGlassView *self)
{
  g_return_val_if_fail (SA_IS_GLASS_VIEW (self), NULL);
  return &self->params;
}

const SaGlass *
sa_glass_view_get_glass (SaGlassView *self)
{
  g_return_val_if_fail (SA_IS_GLASS_VIEW (self), NULL);
  update_map (self);
  return self->glass;
}
