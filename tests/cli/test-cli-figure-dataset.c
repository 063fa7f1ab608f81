/* syncact figure DATASET: a small demo dataset run through `syncact run`
 * (two runs, the movie and a control, × two layers), then every figure
 * kind in every format from its derivatives, chosen by run, model and
 * layer; the movie frame at a time, pixel for pixel against the decoder;
 * and the errors for choices that do not exist. */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "compute/io/movie.h"
#include "render/frame-figure.h"
#include "tests/testutil.h"

static char *dataset;

static const char *kinds[] = { "pair", "slices", "traces", "heatmap", "glass", "frames", "frame" };
/* Default heights by kind (mm), as ui/figure-export.c has them; the pair
 * figure has the movie's frames, so it is the taller one. */
static const double heights_mm[] = { 130, 62, 70, 70, 72, 45, 100 };

static gboolean
make_dataset (void)
{
  g_autofree char *root = sa_test_tmpdir ();
  g_autofree char *out = NULL, *err = NULL;

  dataset = g_build_filename (root, "ds", NULL);
  {
    const char *argv[] = { "demo", "--out", dataset, "--subjects", "3", "--duration", "40",
                           "--networks", "3", "--seed", "2", NULL };
    if (sa_test_run_syncact (argv, &out, &err) != 0)
      {
        g_test_message ("demo: %s%s", out, err);
        return FALSE;
      }
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { "run", dataset, "--model", "builtin:democnn", "--layer", "conv2",
                           "--layer", "conv3", "--fbns", "3", "--arch", "ica", "--surrogates", "20",
                           "--size", "64x48", NULL };
    int status = sa_test_run_syncact (argv, &out, &err);

    g_test_message ("run: %s%s", out, err);
    return status == 0;
  }
}

static char *
check (const char *format,
       const char *path)
{
  const char *argv[] = { format, path, NULL };

  return sa_test_python ("tests/py/check_figure.py", argv);
}

static gboolean
same_file (const char *a,
           const char *b)
{
  g_autofree char *x = NULL, *y = NULL;
  gsize nx, ny;

  g_assert_true (g_file_get_contents (a, &x, &nx, NULL));
  g_assert_true (g_file_get_contents (b, &y, &ny, NULL));
  return nx == ny && memcmp (x, y, nx) == 0;
}

static void
test_kinds_and_formats (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  static const char *formats[] = { "png", "svg", "pdf" };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
      {
        /* Alternate the layer, so both layers' files are drawn. */
        const char *layer = (k + f) % 2 ? "conv3" : "conv2";
        g_autofree char *name = g_strdup_printf ("%s-%s.%s", kinds[k], layer, formats[f]);
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autofree char *err = NULL, *facts = NULL, *want = NULL;
        const char *argv[] = { "figure", dataset, "--fbn", "2", "--run", "task-movie_run-1",
                               "--model", "democnn", "--layer", layer, "--kind", kinds[k],
                               "--format", formats[f], "--dpi", "150", "--out", path, NULL };

        g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 0);
        facts = check (formats[f], path);
        if (facts == NULL)
          return;   /* skipped: no Python */
        g_test_message ("%s: %s", name, facts);
        /* 183 mm wide; the kind's height; PNG at 150 dpi with its pHYs. */
        if (f == 0)
          want = g_strdup_printf ("size=1081x%d dpi=150", (int) (heights_mm[k] / 25.4 * 150 + 0.5));
        else if (f == 1)
          want = g_strdup_printf ("width=518.74");
        else
          want = g_strdup_printf ("mediabox=519x%.0f pages=1", heights_mm[k] / 25.4 * 72);
        g_assert_nonnull (strstr (facts, want));
      }
}

/* The fbn2filter mean r of @run × conv3 in summary.tsv. */
static double
summary_mean_r (const char *run)
{
  g_autofree char *path = g_build_filename (dataset, "derivatives", "syncact", "summary.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (int i = 1; lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);

      if (g_strv_length (f) > 4 && g_str_equal (f[1], "conv3") && g_str_equal (f[2], run) &&
          g_str_equal (f[3], "fbn2filter"))
        return g_ascii_strtod (f[4], NULL);
    }
  g_assert_not_reached ();
}

/* Another layer or run is another figure. Without --run, the run whose
 * pairs are best: none is significant on so short a movie, so the higher
 * mean r (the planted data's control run may win by chance). */
static void
test_choice (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  const char *layers[] = { "conv2", "conv3" };
  char *paths[3];

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("traces-%d.svg", i);
      const char *argv[] = { "figure", dataset, "--fbn", "1", "--kind", "traces", "--layer",
                             layers[MIN (i, 1)], "--run",
                             i == 2 ? "task-control_run-1" : "task-movie_run-1",
                             "--out", NULL, NULL };

      paths[i] = g_build_filename (dir, name, NULL);
      argv[11] = paths[i];
      g_assert_cmpint (sa_test_run_syncact (argv, NULL, NULL), ==, 0);
    }
  g_assert_false (same_file (paths[0], paths[1]));
  g_assert_false (same_file (paths[1], paths[2]));
  {
    g_autofree char *def = g_build_filename (dir, "default.svg", NULL);
    const char *argv[] = { "figure", dataset, "--fbn", "1", "--kind", "traces", "--layer", "conv3",
                           "--out", def, NULL };

    g_assert_cmpint (sa_test_run_syncact (argv, NULL, NULL), ==, 0);
    if (summary_mean_r ("task-movie_run-1") > summary_mean_r ("task-control_run-1"))
      g_assert_true (same_file (def, paths[1]));
    else
      g_assert_true (same_file (def, paths[2]));
  }
  for (int i = 0; i < 3; i++)
    g_free (paths[i]);
}

static void
test_errors (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *png = g_build_filename (dir, "x.png", NULL);
  g_autofree char *empty = sa_test_tmpdir ();
  struct {
    const char *option, *value, *expect[3];
  } cases[] = {
    { "--run", "task-movie_run-7", { "no run “task-movie_run-7”", "task-control_run-1", "task-movie_run-1" } },
    { "--model", "alexnet", { "no model “alexnet”", "democnn", NULL } },
    { "--layer", "conv9", { "no layer “conv9”", "conv2, conv3", NULL } },
    { "--fbn-set", "FBNx", { "no FBN set “FBNx”", "FBN", NULL } },
    { "--kind", "movie", { "--kind movie", "frames or frame", NULL } },
    { "--time", "3", { "--time goes with --kind frame", NULL, NULL } },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const char *argv[] = { "figure", dataset, "--fbn", "1", cases[c].option, cases[c].value,
                             "--out", png, NULL };
      g_autofree char *err = NULL;

      g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 1);
      g_test_message ("%s", err);
      /* One line: "syncact figure: …". */
      g_assert_true (g_str_has_prefix (err, "syncact figure: "));
      g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
      for (int i = 0; i < 3 && cases[c].expect[i]; i++)
        g_assert_nonnull (strstr (err, cases[c].expect[i]));
    }
  {
    const char *argv[] = { "figure", dataset, "--kind", "frame", "--time", "40", "--out", png, NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 1);
    g_test_message ("%s", err);
    g_assert_nonnull (strstr (err, "--time 40 s is not in the run (0 to 40 s)"));
  }
  {
    /* A movie that is not there: named, and nothing written. */
    g_autofree char *missing = g_build_filename (dir, "gone.mp4", NULL);
    const char *argv[] = { "figure", dataset, "--kind", "frame", "--movie", missing, "--out", png, NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 1);
    g_test_message ("%s", err);
    g_assert_nonnull (strstr (err, missing));
  }
  {
    const char *argv[] = { "figure", dataset, "--fbn", "4", "--out", png, NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "has 3 FBNs; --fbn 4"));
  }
  {
    /* A folder without results. */
    const char *argv[] = { "figure", empty, "--fbn", "1", "--out", png, NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "derivatives/syncact"));
    g_assert_nonnull (strstr (err, "syncact run"));
  }
  {
    /* A DATASET and file options do not mix. */
    const char *argv[] = { "figure", dataset, "--fbn", "1", "--tr", "2", "--out", png, NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "--tr"));
  }
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
}

static gboolean
file_has (const char *path,
          const char *needle)
{
  g_autofree char *data = NULL;
  gsize n, k = strlen (needle);

  g_assert_true (g_file_get_contents (path, &data, &n, NULL));
  for (gsize i = 0; i + k <= n; i++)
    if (memcmp (data + i, needle, k) == 0)
      return TRUE;
  return FALSE;
}

/* Mean |PNG − frame| (0–255, over RGB) inside the image's rectangle, the
 * frame resampled bilinearly to the PNG's pixels; 2 px in from the edges,
 * where the image blends into the background. */
static double
image_error (cairo_surface_t *png,
             const double     rect_px[4],
             const guint8    *rgb,
             int              w,
             int              h)
{
  const guint8 *data = cairo_image_surface_get_data (png);
  int stride = cairo_image_surface_get_stride (png);
  double scale = rect_px[2] / w, sum = 0;
  gsize n = 0;

  for (int py = (int) ceil (rect_px[1]) + 2; py < (int) (rect_px[1] + rect_px[3]) - 2; py++)
    for (int px = (int) ceil (rect_px[0]) + 2; px < (int) (rect_px[0] + rect_px[2]) - 2; px++)
      {
        guint32 p = ((const guint32 *) (data + (gsize) py * stride))[px];
        double sx = CLAMP ((px + 0.5 - rect_px[0]) / scale - 0.5, 0, w - 1);
        double sy = CLAMP ((py + 0.5 - rect_px[1]) / scale - 0.5, 0, h - 1);
        int x0 = (int) sx, y0 = (int) sy, x1 = MIN (x0 + 1, w - 1), y1 = MIN (y0 + 1, h - 1);
        double fx = sx - x0, fy = sy - y0;

        for (int c = 0; c < 3; c++)
          {
            double a = rgb[(y0 * w + x0) * 3 + c] * (1 - fx) + rgb[(y0 * w + x1) * 3 + c] * fx;
            double b = rgb[(y1 * w + x0) * 3 + c] * (1 - fx) + rgb[(y1 * w + x1) * 3 + c] * fx;
            int got = (p >> (16 - 8 * c)) & 0xff;

            sum += fabs (got - (a * (1 - fy) + b * fy));
            n++;
          }
      }
  g_assert_cmpuint (n, >, 1000);
  return sum / n;
}

/* The movie pane's export: the frame at --time, decoded at the movie's own
 * size, fills the image area of the PNG as the decoder has it (and not as
 * a frame 5 s later has it); SVG and PDF parse; no --time and no --fbn is
 * time 0. */
static void
test_frame (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *movie_path = g_build_filename (dataset, "stimuli", "movie.mp4", NULL);
  static const char *formats[] = { "png", "svg", "pdf" };
  const double t = 13.3, dpi = 150;
  char *paths[3];

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autofree char *name = g_strdup_printf ("frame.%s", formats[f]);
      g_autofree char *err = NULL, *facts = NULL;
      const char *argv[] = { "figure", dataset, "--run", "task-movie_run-1", "--layer", "conv3",
                             "--kind", "frame", "--time", "13.3", "--dpi", "150", "--out", NULL, NULL };
      const char *check_argv[] = { formats[f], NULL, NULL };

      paths[f] = g_build_filename (dir, name, NULL);
      argv[13] = check_argv[1] = paths[f];
      g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 0);
      facts = sa_test_python ("tests/py/check_figure.py", check_argv);
      if (facts == NULL)
        continue;   /* no Python: the pixels are still checked */
      g_test_message ("%s: %s", name, facts);
      g_assert_nonnull (strstr (facts, f == 0 ? "size=1081x591 dpi=150"
                                       : f == 1 ? "width=518.74" : "mediabox=519x283 pages=1"));
    }
  /* The vector formats embed the frame at the movie's own 320×240. */
  g_assert_true (file_has (paths[1], "width=\"320\" height=\"240\""));
  g_assert_true (file_has (paths[2], "/Width 320"));
  g_assert_true (file_has (paths[2], "/Height 240"));
  {
    g_autoptr(SaMovie) movie = sa_movie_open (movie_path, NULL);
    const SaMovieInfo *info;
    g_autofree guint8 *now = NULL, *later = NULL;
    g_autofree char *caption = sa_frame_figure_caption (t, 6);
    cairo_surface_t *png = cairo_image_surface_create_from_png (paths[0]);
    SaRenderStyle style;
    SaFrameFigure fig = { { NULL } };
    double rect[4], e_now, e_later;

    g_assert_nonnull (movie);
    g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
    info = sa_movie_get_info (movie);
    now = g_malloc ((gsize) info->width * info->height * 3);
    later = g_malloc ((gsize) info->width * info->height * 3);
    g_assert_true (sa_movie_frame_at (movie, t, info->width, info->height, SA_RESIZE_BILINEAR_AA,
                                      now, NULL, NULL));
    g_assert_true (sa_movie_frame_at (movie, t + 5, info->width, info->height, SA_RESIZE_BILINEAR_AA,
                                      later, NULL, NULL));
    sa_render_style_init_figure (&style);
    fig.frame = (SaFrame) { now, info->width, info->height, info->width * 3, t, NULL };
    fig.caption = caption;
    sa_frame_figure_image_rect (&style, &fig, 183 / 25.4 * 72, 100 / 25.4 * 72, rect);
    for (int i = 0; i < 4; i++)
      rect[i] *= dpi / 72;
    g_test_message ("image at %.1f,%.1f %.1fx%.1f px of %dx%d (frame %dx%d)", rect[0], rect[1],
                    rect[2], rect[3], cairo_image_surface_get_width (png),
                    cairo_image_surface_get_height (png), info->width, info->height);
    /* It fills the height but the caption's line. */
    g_assert_cmpfloat (rect[3], >, 0.9 * cairo_image_surface_get_height (png));
    e_now = image_error (png, rect, now, info->width, info->height);
    e_later = image_error (png, rect, later, info->width, info->height);
    g_test_message ("mean |PNG - frame|: %.2f at t, %.2f at t + 5 s", e_now, e_later);
    g_assert_cmpfloat (e_now, <, 2.0);
    g_assert_cmpfloat (e_later, >, 4 * e_now);
    cairo_surface_destroy (png);
  }
  {
    g_autofree char *a = g_build_filename (dir, "none.png", NULL);
    g_autofree char *b = g_build_filename (dir, "zero.png", NULL);
    const char *argv_a[] = { "figure", dataset, "--kind", "frame", "--out", a, NULL };
    const char *argv_b[] = { "figure", dataset, "--kind", "frame", "--time", "0", "--out", b, NULL };

    g_assert_cmpint (sa_test_run_syncact (argv_a, NULL, NULL), ==, 0);
    g_assert_cmpint (sa_test_run_syncact (argv_b, NULL, NULL), ==, 0);
    g_assert_true (same_file (a, b));
  }
  for (int i = 0; i < 3; i++)
    g_free (paths[i]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (!make_dataset ())
    {
      g_printerr ("could not make the dataset\n");
      return 1;
    }
  g_test_add_func ("/cli/figure-dataset/kinds-and-formats", test_kinds_and_formats);
  g_test_add_func ("/cli/figure-dataset/choice", test_choice);
  g_test_add_func ("/cli/figure-dataset/frame", test_frame);
  g_test_add_func ("/cli/figure-dataset/errors", test_errors);
  return g_test_run ();
}
