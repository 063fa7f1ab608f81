#include "config.h"

#include <gtk/gtk.h>
#include <math.h>

#include "tests/ui/fixture-workbench.h"
#include "ui/glass-view.h"

#define VW 400
#define VH 300

/* Frames come from the frame clock: spin for a while, not a count. */
static void
iterate (int ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static void
wait_mapped (GtkWidget *widget)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end && !gtk_widget_get_mapped (widget))
    g_main_context_iteration (NULL, FALSE);
  iterate (300);
}

/* The widget as the window's renderer paints it, as Cairo ARGB32 bytes. */
static guint8 *
screenshot (GtkWidget *widget,
            int       *w,
            int       *h,
            gsize     *stride)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  guint8 *data;

  *w = gtk_widget_get_width (widget);
  *h = gtk_widget_get_height (widget);
  gdk_paintable_snapshot (paintable, snapshot, *w, *h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, *w, *h));
  *w = gdk_texture_get_width (texture);
  *h = gdk_texture_get_height (texture);
  *stride = (gsize) *w * 4;
  data = g_malloc (*stride * *h);
  gdk_texture_download (texture, data, *stride);
  if (g_getenv ("SA_TEST_SAVE"))
    {
      static int count;
      g_autofree char *name = g_strdup_printf ("%s/glass-view-%d.png", g_getenv ("SA_TEST_SAVE"), count++);

      gdk_texture_save_to_png (texture, name);
    }
  return data;
}

/* Centroid of the reddish pixels (the fixture's FBN 0 is one positive blob). */
static gboolean
red_centroid (const guint8 *data,
              int           w,
              int           h,
              gsize         stride,
              double       *cx,
              double       *cy)
{
  double sx = 0, sy = 0;
  int n = 0;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 v = ((const guint32 *) (data + y * stride))[x];
        int r = v >> 16 & 0xff, g = v >> 8 & 0xff, b = v & 0xff;

        if (r > 80 && r > g + 50 && r > b + 50)
          {
            sx += x + 0.5;
            sy += y + 0.5;
            n++;
          }
      }
  if (n < 10)
    return FALSE;
  *cx = sx / n;
  *cy = sy / n;
  return TRUE;
}

typedef struct {
  SaFixture   *fixture;
  SaWorkbench *workbench;
  GtkWidget   *window;
  SaGlassView *view;
} Env;

static void
env_setup (Env     *env,
           gboolean allow_gl)
{
  env->fixture = sa_fixture_new ();
  env->workbench = sa_fixture_workbench_new (env->fixture, 32, 24);
  env->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (env->window), VW, VH);
  env->view = SA_GLASS_VIEW (sa_glass_view_new ());
  g_object_set (env->view, "allow-gl", allow_gl, "threshold", 0.5, NULL);
  sa_glass_view_set_workbench (env->view, env->workbench);
  sa_workbench_set_selected_fbn (env->workbench, 0);
  gtk_window_set_child (GTK_WINDOW (env->window), GTK_WIDGET (env->view));
  gtk_window_present (GTK_WINDOW (env->window));
  wait_mapped (GTK_WIDGET (env->view));
}

static void
env_teardown (Env *env)
{
  gtk_window_destroy (GTK_WINDOW (env->window));
  iterate (20);
  g_object_unref (env->workbench);
  sa_fixture_free (env->fixture);
}

/* Where the positive blob must be, from render/glass's geometry. */
static void
expected_blob (Env    *env,
               double *x,
               double *y)
{
  sa_glass_project (sa_glass_view_get_glass (env->view), sa_glass_view_get_params (env->view),
                    gtk_widget_get_width (GTK_WIDGET (env->view)),
                    gtk_widget_get_height (GTK_WIDGET (env->view)), env->fixture->blob_pos, x, y);
}

static void
check_views (Env        *env,
             const char *what)
{
  static const double views[][2] = {
    { SA_GLASS_FRONT_AZIMUTH, SA_GLASS_FRONT_ELEVATION },
    { SA_GLASS_SIDE_AZIMUTH, SA_GLASS_SIDE_ELEVATION },
    { SA_GLASS_TOP_AZIMUTH, SA_GLASS_TOP_ELEVATION },
    { 30, 20 },   /* oblique: GL and Cairo share the rotation */
  };

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      g_autofree guint8 *data = NULL;
      double x, y, ex, ey;
      int w, h;
      gsize stride;

      g_object_set (env->view, "azimuth", views[v][0], "elevation", views[v][1], NULL);
      iterate (200);
      data = screenshot (GTK_WIDGET (env->view), &w, &h, &stride);
      g_assert_cmpint (w, ==, gtk_widget_get_width (GTK_WIDGET (env->view)));
      expected_blob (env, &ex, &ey);
      g_assert_true (red_centroid (data, w, h, stride, &x, &y));
      g_test_message ("%s view %u: red at %.1f,%.1f, geometry says %.1f,%.1f", what, v, x, y, ex, ey);
      g_assert_cmpfloat (fabs (x - ex), <, 4.0);
      g_assert_cmpfloat (fabs (y - ey), <, 4.0);
    }
}

static void
test_glass_view_cairo (void)
{
  Env env;

  env_setup (&env, FALSE);
  g_assert_false (sa_glass_view_get_using_gl (env.view));
  g_assert_nonnull (sa_glass_view_get_glass (env.view));
  check_views (&env, "cairo");

  /* Following the workbench: FBN 2 is +0.6 at the fixture's blob_neg. */
  sa_workbench_set_selected_fbn (env.workbench, 2);
  iterate (200);
  {
    g_autofree guint8 *data = NULL;
    double x, y, ex, ey;
    int w, h;
    gsize stride;

    data = screenshot (GTK_WIDGET (env.view), &w, &h, &stride);
    sa_glass_project (sa_glass_view_get_glass (env.view), sa_glass_view_get_params (env.view),
                      w, h, env.fixture->blob_neg, &ex, &ey);
    g_assert_true (red_centroid (data, w, h, stride, &x, &y));
    g_assert_cmpfloat (fabs (x - ex), <, 4.0);
    g_assert_cmpfloat (fabs (y - ey), <, 4.0);
  }
  /* Double-click equivalent: reset brings the front view back. */
  g_object_set (env.view, "azimuth", 123.0, "zoom", 2.0, NULL);
  sa_glass_view_reset (env.view);
  g_assert_cmpfloat (sa_glass_view_get_params (env.view)->azimuth, ==, 0);
  g_assert_cmpfloat (sa_glass_view_get_params (env.view)->zoom, ==, 1);
  env_teardown (&env);
}

/* The GL path draws the blob where the Cairo path does. */
static void
test_glass_view_gl (void)
{
  Env env;

  env_setup (&env, TRUE);
  if (!sa_glass_view_get_using_gl (env.view))
    {
      env_teardown (&env);
      g_test_skip ("GL cannot be realized here; the Cairo fallback is in use");
      return;
    }
  check_views (&env, "gl");
  env_teardown (&env);
}

static gsize
n_outline (Env *env)
{
  gsize n = 0;

  sa_glass_get_outline_points (sa_glass_view_get_glass (env->view), &n);
  return n;
}

/* The silhouette is built once per template, in a worker, and shared: a
 * reload of the same template reuses it at once, a new one draws without it
 * until the worker is done, and what is drawn then is what sa_glass_new
 * builds on the spot. */
static void
test_glass_view_outline (void)
{
  const SaGlassPoint *before, *now;
  g_autofree float *other = NULL;
  g_autoptr(SaGlass) direct = NULL;
  SaSliceVolume a, map;
  gsize n, n_before, n_direct;
  gint64 end;
  Env env;

  env_setup (&env, FALSE);
  before = sa_glass_get_outline_points (sa_glass_view_get_glass (env.view), &n_before);
  g_assert_cmpuint (n_before, >, 0);

  /* Same template, fresh copy (as every results load gives): no rebuild. */
  a = env.fixture->anatomy;
  sa_workbench_set_anatomy (env.workbench, a.nx, a.ny, a.nz, a.data, (const double (*)[4]) a.affine);
  now = sa_glass_get_outline_points (sa_glass_view_get_glass (env.view), &n);
  g_assert_true (now == before);
  g_assert_cmpuint (n, ==, n_before);

  /* Another template: the call returns before the silhouette exists. */
  other = g_memdup2 (a.data, sizeof (float) * a.nx * a.ny * a.nz);
  for (gsize i = 0; i < (gsize) a.nx * a.ny * (a.nz / 2); i++)
    other[i] = 0;
  sa_workbench_set_anatomy (env.workbench, a.nx, a.ny, a.nz, other, (const double (*)[4]) a.affine);
  g_assert_cmpuint (n_outline (&env), ==, 0);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (n_outline (&env) == 0 && g_get_monotonic_time () < end)
    iterate (10);
  a.data = other;
  g_assert_true (sa_workbench_get_map (env.workbench, 0, &map));
  direct = sa_glass_new (&map, &a, 0.5);
  before = sa_glass_get_outline_points (direct, &n_direct);
  now = sa_glass_get_outline_points (sa_glass_view_get_glass (env.view), &n);
  g_assert_cmpuint (n_direct, >, 0);
  g_assert_cmpuint (n_direct, !=, n_before);  /* half the brain, thinned less */
  g_assert_cmpuint (n, ==, n_direct);
  g_assert_cmpmem (now, n * sizeof *now, before, n_direct * sizeof *before);
  g_assert_cmpfloat (sa_glass_get_outline_voxel_mm (sa_glass_view_get_glass (env.view)), ==,
                     sa_glass_get_outline_voxel_mm (direct));
  {
    double c1[3], c2[3], r1, r2;

    sa_glass_get_bounds (sa_glass_view_get_glass (env.view), c1, &r1);
    sa_glass_get_bounds (direct, c2, &r2);
    g_assert_cmpfloat (r1, ==, r2);
    g_assert_cmpmem (c1, sizeof c1, c2, sizeof c2);
  }
  /* And the blob is still drawn where the geometry says. */
  check_views (&env, "after the silhouette came");
  env_teardown (&env);
}

/* GL realize failures and Xvfb's missing session bus only warn. */
static gboolean
ignore_expected (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  return strstr (message, "session bus") == NULL && strstr (message, "GL") == NULL;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (ignore_expected, NULL);
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }
  g_test_add_func ("/ui/glass-view/cairo", test_glass_view_cairo);
  g_test_add_func ("/ui/glass-view/gl", test_glass_view_gl);
  g_test_add_func ("/ui/glass-view/outline", test_glass_view_outline);
  return g_test_run ();
}
