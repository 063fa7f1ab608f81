#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/movie.h"
#include "tests/testutil.h"

/* Test movies are made at test time by the ffmpeg tool. The counter movies
 * draw each frame's index in 12 black/white blocks of 16 px, so the frame
 * handed over can be identified from its pixels. */
#define CW 192
#define CH 64
#define COUNTER "format=yuv420p,geq=lum='if(mod(floor(N/pow(2\\,floor(X/16)))\\,2)\\,235\\,16)':cb=128:cr=128"

typedef struct {
  const char *name;
  int         fps_num, fps_den;   /* 0/0: the VFR movie */
  double      seconds;
  const char *args;               /* encoder arguments */
} CounterMovie;

static const CounterMovie counter_movies[] = {
  { "h264-24.mp4", 24, 1, 20, "-c:v libx264 -preset veryfast -crf 16 -g 250 -bf 3" },
  { "h264-2997.mp4", 30000, 1001, 12, "-c:v libx264 -preset veryfast -crf 16 -bf 2" },
  { "mpeg4-25.avi", 25, 1, 20, "-c:v mpeg4 -q:v 2 -g 100 -bf 2" },
  { "h264-25.ts", 25, 1, 12, "-c:v libx264 -preset veryfast -crf 16 -g 250 -bf 3 -f mpegts" },
  { "vp9-2997.webm", 30000, 1001, 12, "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 1M -g 120" },
  /* timestamps in ticks of 1/24 s: setpts' float maths would truncate */
  { "h264-vfr.mp4", 0, 0, 0, "-c:v libx264 -preset veryfast -crf 16 -g 250 -fps_mode passthrough -video_track_timescale 24000" },
};

/* The VFR movie: 120 frames at 24 fps, then 120 at 12 fps. Frame N's time
 * in 1/24 s. */
#define VFR_FRAMES 240
static gint64
vfr_time24 (gint64 n)
{
  return n < 120 ? n : 120 + 2 * (n - 120);
}

static char *movie_dir;

static gboolean
run_tool (const char *cmdline,
          char      **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_command_line_sync (cmdline, out, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("%s\n%s\n", cmdline, err ? err : "");
      return FALSE;
    }
  return TRUE;
}

/* Path of a test movie, made on first use; NULL (and the test skipped)
 * when ffmpeg is missing. */
static char *
counter_movie (const CounterMovie *m)
{
  char *path = g_build_filename (movie_dir, m->name, NULL);
  g_autofree char *cmd = NULL;
  g_autofree char *src = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;
  if (m->fps_num == 0)
    src = g_strdup_printf ("nullsrc=s=%dx%d:r=24:d=%d,%s,"
                           "setpts='if(lt(N\\,120)\\,N\\,120+2*(N-120))'",
                           CW, CH, VFR_FRAMES / 24, COUNTER);
  else
    src = g_strdup_printf ("nullsrc=s=%dx%d:r=%d/%d:d=%g,%s",
                           CW, CH, m->fps_num, m->fps_den, m->seconds, COUNTER);
  cmd = g_strdup_printf ("ffmpeg -nostdin -v error -y -f lavfi -i \"%s\" %s '%s'", src, m->args, path);
  g_assert_true (run_tool (cmd, NULL));
  return path;
}

static char *
testsrc_movie (const char *name, const char *extra)
{
  char *path = g_build_filename (movie_dir, name, NULL);
  g_autofree char *cmd = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;
  cmd = g_strdup_printf ("ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=s=320x240:r=24:d=20 "
                         "-c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p %s '%s'",
                         extra, path);
  g_assert_true (run_tool (cmd, NULL));
  return path;
}

static gboolean
have_ffmpeg (void)
{
  g_autofree char *ff = g_find_program_in_path ("ffmpeg");
  g_autofree char *fp = g_find_program_in_path ("ffprobe");

  if (ff == NULL || fp == NULL)
    {
      g_test_skip ("ffmpeg/ffprobe not installed");
      return FALSE;
    }
  return TRUE;
}

static gint64
read_counter (const guint8 *rgb)
{
  gint64 n = 0;

  for (int b = 0; b < 12; b++)
    if (rgb[((CH / 2) * CW + b * 16 + 8) * 3 + 1] > 128)
      n |= (gint64) 1 << b;
  return n;
}

/* ⌈a/b⌉ for positive integers. */
static gint64
ceil_div (gint64 a, gint64 b)
{
  return (a + b - 1) / b;
}

/* --- metadata ----------------------------------------------------------- */

static GHashTable *
ffprobe (const char *path)
{
  g_autofree char *cmd = g_strdup_printf (
    "ffprobe -v error -select_streams v:0 -show_entries "
    "stream=width,height,avg_frame_rate,codec_name,duration:format=format_name,duration "
    "-of default=nw=1 '%s'", path);
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *kv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_true (run_tool (cmd, &out));
  lines = g_strsplit (out, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      char *eq = strchr (lines[i], '=');
      if (eq == NULL)
        continue;
      *eq = '\0';
      /* The stream's duration comes first; the format's is the fallback. */
      if (g_str_equal (lines[i], "duration") && g_hash_table_contains (kv, "duration") &&
          !g_str_equal (g_hash_table_lookup (kv, "duration"), "N/A"))
        continue;
      g_hash_table_insert (kv, g_strdup (lines[i]), g_strdup (eq + 1));
    }
  return kv;
}

static void
test_metadata (void)
{
  if (!have_ffmpeg ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (counter_movies); i++)
    {
      g_autofree char *path = counter_movie (&counter_movies[i]);
      g_autoptr(GHashTable) kv = ffprobe (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(SaMovie) movie = sa_movie_open (path, &error);
      const SaMovieInfo *info;
      int num = 0, den = 1;

      g_assert_no_error (error);
      info = sa_movie_get_info (movie);
      g_assert_cmpstr (sa_movie_get_path (movie), ==, path);
      g_assert_cmpint (info->width, ==, atoi (g_hash_table_lookup (kv, "width")));
      g_assert_cmpint (info->height, ==, atoi (g_hash_table_lookup (kv, "height")));
      g_assert_cmpstr (info->codec, ==, g_hash_table_lookup (kv, "codec_name"));
      g_assert_cmpstr (info->container, ==, g_hash_table_lookup (kv, "format_name"));
      g_assert_cmpint (sscanf (g_hash_table_lookup (kv, "avg_frame_rate"), "%d/%d", &num, &den), ==, 2);
      g_assert_cmpfloat_with_epsilon (info->fps, (double) num / den, 1e-3);
      g_assert_cmpfloat_with_epsilon (info->duration,
                                      g_ascii_strtod (g_hash_table_lookup (kv, "duration"), NULL), 0.05);
      g_assert_cmpint (info->variable_rate, ==, counter_movies[i].fps_num == 0);
      if (counter_movies[i].fps_num != 0)
        g_assert_cmpint (llabs (info->n_frames -
                                llround (counter_movies[i].seconds * counter_movies[i].fps_num /
                                         counter_movies[i].fps_den)), <=, 1);
      else
        g_assert_cmpint (info->n_frames, ==, VFR_FRAMES);
    }
}

/* --- TR → frame ---------------------------------------------------------- */

typedef struct {
  GArray *index;   /* gint64 counter read from each handed frame */
  GArray *times;   /* double frame_time */
  int     stop_at; /* return FALSE at this k (-1: never) */
  GCancellable *cancel_at_3;
} Collect;

static gboolean
collect_frame (int k, const guint8 *rgb, int width, int height, double frame_time, gpointer data)
{
  Collect *c = data;
  gint64 n = read_counter (rgb);

  g_assert_cmpint (width, ==, CW);
  g_assert_cmpint (height, ==, CH);
  g_assert_cmpint (k, ==, (int) c->index->len);
  g_array_append_val (c->index, n);
  g_array_append_val (c->times, frame_time);
  if (c->cancel_at_3 != NULL && k == 3)
    g_cancellable_cancel (c->cancel_at_3);
  return k != c->stop_at;
}

static void
test_tr_mapping (void)
{
  /* TR as a fraction, so the expected frames are exact integer maths. */
  static const int trs[][2] = { { 7, 10 }, { 1, 1 }, { 2, 1 } };

  if (!have_ffmpeg ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (counter_movies); i++)
    for (guint j = 0; j < G_N_ELEMENTS (trs); j++)
      {
        const CounterMovie *m = &counter_movies[i];
        g_autofree char *path = counter_movie (m);
        g_autoptr(GError) error = NULL;
        g_autoptr(SaMovie) movie = sa_movie_open (path, &error);
        double tr = (double) trs[j][0] / trs[j][1];
        double seconds = m->fps_num ? m->seconds : vfr_time24 (VFR_FRAMES) / 24.0;
        int n_tr = (int) floor (seconds / tr);
        Collect c = { g_array_new (FALSE, FALSE, sizeof (gint64)),
                      g_array_new (FALSE, FALSE, sizeof (double)), -1, NULL };

        g_assert_no_error (error);
        sa_movie_sample_tr (movie, tr, n_tr, CW, CH, SA_RESIZE_BILINEAR_AA,
                            collect_frame, &c, NULL, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpint (c.index->len, ==, n_tr);
        /* One sequential pass, stopping at the last frame needed; the first
         * frame is also read at open and to check the rewind (twice when
         * the rewind needed a reopen). */
        g_assert_cmpint (sa_movie_get_frames_decoded (movie), <=,
                         sa_movie_get_info (movie)->n_frames + 3);
        /* B-frames that no TR ends on and nothing refers to are skipped */
        if (i == 0 && j == 2)
          g_assert_cmpint (sa_movie_get_frames_decoded (movie), <,
                           sa_movie_get_info (movie)->n_frames * 3 / 4);
        for (int k = 0; k < n_tr; k++)
          {
            gint64 want, got = g_array_index (c.index, gint64, k);

            if (m->fps_num != 0)
              {
                /* ⌈(k+1)·TR·fps⌉ − 1, clipped */
                want = ceil_div ((gint64) (k + 1) * trs[j][0] * m->fps_num,
                                 (gint64) trs[j][1] * m->fps_den) - 1;
                want = MIN (want, sa_movie_get_info (movie)->n_frames - 1);
                g_assert_cmpint (sa_movie_frame_for_tr (movie, k, tr), ==, want);
                g_assert_cmpfloat_with_epsilon (g_array_index (c.times, double, k),
                                                (double) want * m->fps_den / m->fps_num, 1e-3);
              }
            else
              {
                /* the last frame whose time is < (k+1)·TR */
                want = 0;
                for (gint64 n = 0; n < VFR_FRAMES; n++)
                  if (vfr_time24 (n) * trs[j][1] < (gint64) (k + 1) * trs[j][0] * 24)
                    want = n;
                g_assert_cmpfloat_with_epsilon (g_array_index (c.times, double, k),
                                                vfr_time24 (want) / 24.0, 1e-3);
              }
            if (got != want)
              g_error ("%s TR %g: TR %d got frame %" G_GINT64_FORMAT ", want %" G_GINT64_FORMAT,
                       m->name, tr, k, got, want);
          }
        g_array_unref (c.index);
        g_array_unref (c.times);
      }
}

static void
record_progress (double fraction, const char *message, gpointer user_data)
{
  GArray *seen = user_data;

  g_array_append_val (seen, fraction);
}

static void
test_sample_stop_and_cancel (void)
{
  g_autofree char *path = NULL;
  g_autoptr(SaMovie) movie = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  Collect c = { g_array_new (FALSE, FALSE, sizeof (gint64)),
                g_array_new (FALSE, FALSE, sizeof (double)), 4, NULL };

  if (!have_ffmpeg ())
    return;
  path = counter_movie (&counter_movies[0]);
  movie = sa_movie_open (path, &error);
  g_assert_no_error (error);
  /* FALSE from the callback stops without an error */
  g_assert_true (sa_movie_sample_tr (movie, 1.0, 20, CW, CH, SA_RESIZE_BILINEAR_AA,
                                     collect_frame, &c, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (c.index->len, ==, 5);
  /* a second pass starts from the top again */
  g_array_set_size (c.index, 0);
  g_array_set_size (c.times, 0);
  c.stop_at = -1;
  c.cancel_at_3 = cancel;
  g_assert_false (sa_movie_sample_tr (movie, 1.0, 20, CW, CH, SA_RESIZE_BILINEAR_AA,
                                      collect_frame, &c, NULL, cancel, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (c.index->len, ==, 4);
  g_assert_cmpint (g_array_index (c.index, gint64, 0), ==, 23);

  /* progress rises to the end of the parent's sub-range */
  {
    g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
    SaProgress parent = { record_progress, seen, 0.0, 1.0 };
    SaProgress sub = sa_progress_sub (&parent, 0.5, 1.0);

    c.cancel_at_3 = NULL;
    g_array_set_size (c.index, 0);
    g_array_set_size (c.times, 0);
    g_assert_true (sa_movie_sample_tr (movie, 1.0, 10, CW, CH, SA_RESIZE_BILINEAR_AA,
                                       collect_frame, &c, &sub, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (seen->len, >=, 10);
    for (guint i = 1; i < seen->len; i++)
      g_assert_cmpfloat (g_array_index (seen, double, i), >=, g_array_index (seen, double, i - 1));
    g_assert_cmpfloat (g_array_index (seen, double, 0), >=, 0.5);
    g_assert_cmpfloat (g_array_index (seen, double, seen->len - 1), ==, 1.0);
  }
  g_array_unref (c.index);
  g_array_unref (c.times);
}

/* --- exact seeking -------------------------------------------------------- */

typedef struct {
  GPtrArray *frames;   /* distinct frames, full size */
  GArray    *times;
} AllFrames;

static gboolean
keep_frame (int k, const guint8 *rgb, int width, int height, double frame_time, gpointer data)
{
  AllFrames *a = data;

  if (a->times->len > 0 && g_array_index (a->times, double, a->times->len - 1) == frame_time)
    return TRUE;
  g_ptr_array_add (a->frames, g_memdup2 (rgb, (gsize) width * height * 3));
  g_array_append_val (a->times, frame_time);
  return TRUE;
}

static void
check_frame_at (SaMovie *movie, AllFrames *a, double t, guint8 *rgb)
{
  g_autoptr(GError) error = NULL;
  double ft = -1.0;
  guint want = 0;

  for (guint i = 0; i < a->times->len; i++)
    if (g_array_index (a->times, double, i) <= t + 1e-9)
      want = i;
  g_assert_true (sa_movie_frame_at (movie, t, CW, CH, SA_RESIZE_BILINEAR_AA, rgb, &ft, &error));
  g_assert_no_error (error);
  if (ft != g_array_index (a->times, double, want) ||
      memcmp (rgb, a->frames->pdata[want], CW * CH * 3) != 0)
    g_error ("%s: frame at %.6f s is frame %" G_GINT64_FORMAT " (%.6f s); sequential decode shows %u (%.6f s)",
             sa_movie_get_path (movie), t, read_counter (rgb), ft, want,
             g_array_index (a->times, double, want));
}

static void
test_seek_exact (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20221122);

  if (!have_ffmpeg ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (counter_movies); i++)
    {
      const CounterMovie *m = &counter_movies[i];
      g_autofree char *path = counter_movie (m);
      g_autoptr(GError) error = NULL;
      g_autoptr(SaMovie) movie = sa_movie_open (path, &error);
      g_autofree guint8 *rgb = g_malloc (CW * CH * 3);
      AllFrames a = { g_ptr_array_new_with_free_func (g_free), g_array_new (FALSE, FALSE, sizeof (double)) };
      /* A TR of one frame (1/24 s for the VFR movie) hands over every frame. */
      double step = m->fps_num ? (double) m->fps_den / m->fps_num : 1.0 / 24.0;
      int n_tr = m->fps_num ? (int) sa_movie_get_info (movie)->n_frames : vfr_time24 (VFR_FRAMES);
      double end;
      gint64 before;

      g_assert_no_error (error);
      sa_movie_sample_tr (movie, step, n_tr, CW, CH, SA_RESIZE_BILINEAR_AA,
                          keep_frame, &a, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (a.times->len, ==, m->fps_num ? n_tr : VFR_FRAMES);
      for (guint f = 0; f < a.times->len; f++)
        g_assert_cmpint (read_counter (a.frames->pdata[f]), ==, f);
      end = g_array_index (a.times, double, a.times->len - 1) + step * 0.5;

      /* 50 random times, backward and forward jumps */
      for (int r = 0; r < 50; r++)
        check_frame_at (movie, &a, g_rand_double_range (rand, 0.0, end), rgb);
      /* exactly on frame times, and just before them */
      for (int r = 0; r < 10; r++)
        {
          guint f = g_rand_int_range (rand, 1, a.times->len);
          double ft = g_array_index (a.times, double, f);
          check_frame_at (movie, &a, ft, rgb);
          check_frame_at (movie, &a, nextafter (ft, 0.0) - 1e-4, rgb);
        }
      /* scrubbing forward frame by frame decodes only the new frames */
      check_frame_at (movie, &a, 3.01, rgb);
      before = sa_movie_get_frames_decoded (movie);
      for (int s = 1; s <= 24; s++)
        check_frame_at (movie, &a, 3.01 + s * step, rgb);
      g_assert_cmpint (sa_movie_get_frames_decoded (movie) - before, <=, 26);
      check_frame_at (movie, &a, 0.0, rgb);
      check_frame_at (movie, &a, end - 1e-3, rgb);

      /* past the end is an error naming the file */
      g_assert_false (sa_movie_frame_at (movie, end + 5.0, CW, CH, SA_RESIZE_BILINEAR_AA,
                                         rgb, NULL, &error));
      g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);
      check_frame_at (movie, &a, 1.5, rgb);

      g_ptr_array_unref (a.frames);
      g_array_unref (a.times);
    }
}

/* --- resizing against PIL ------------------------------------------------ */

static void
write_ppm (const char *path, const guint8 *rgb, int w, int h)
{
  g_autofree char *head = g_strdup_printf ("P6\n%d %d\n255\n", w, h);
  g_autoptr(GString) s = g_string_new (head);

  g_string_append_len (s, (const char *) rgb, (gssize) w * h * 3);
  g_assert_true (g_file_set_contents (path, s->str, s->len, NULL));
}

static guint8 *
read_ppm (const char *path, int w, int h)
{
  g_autofree char *data = NULL;
  g_autofree char *head = g_strdup_printf ("P6\n%d %d\n255\n", w, h);
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, ==, strlen (head) + (gsize) w * h * 3);
  g_assert_true (memcmp (data, head, strlen (head)) == 0);
  return g_memdup2 (data + strlen (head), (gsize) w * h * 3);
}

static void
diff_stats (const guint8 *a, const guint8 *b, gsize n, double *mean, int *max)
{
  double sum = 0.0;

  *max = 0;
  for (gsize i = 0; i < n; i++)
    {
      int d = abs ((int) a[i] - (int) b[i]);
      sum += d;
      *max = MAX (*max, d);
    }
  *mean = sum / n;
}

static void
test_resize_pil (void)
{
  static const int sizes[][2] = { { 224, 224 }, { 100, 75 }, { 64, 48 }, { 33, 17 },
                                  { 400, 300 }, { 320, 120 }, { 160, 240 } };
  g_autofree char *path = NULL;
  g_autofree char *full_ppm = g_build_filename (movie_dir, "full.ppm", NULL);
  g_autofree char *ref_ppm = g_build_filename (movie_dir, "ref.ppm", NULL);
  g_autoptr(SaMovie) movie = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *full = g_malloc (320 * 240 * 3);

  if (!have_ffmpeg ())
    return;
  path = testsrc_movie ("testsrc2.mp4", "");
  movie = sa_movie_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sa_movie_frame_at (movie, 7.3, 320, 240, SA_RESIZE_BILINEAR_AA, full, NULL, &error));
  g_assert_no_error (error);
  write_ppm (full_ppm, full, 320, 240);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      int w = sizes[i][0], h = sizes[i][1], max;
      g_autofree char *ws = g_strdup_printf ("%d", w);
      g_autofree char *hs = g_strdup_printf ("%d", h);
      const char *argv[] = { full_ppm, ref_ppm, ws, hs, "bilinear", NULL };
      g_autofree char *out = sa_test_python ("tests/py/movie_pil_resize.py", argv);
      g_autofree guint8 *ref = NULL;
      g_autofree guint8 *ours = g_malloc ((gsize) w * h * 3);
      g_autofree guint8 *sws = g_malloc ((gsize) w * h * 3);
      double mean, mean_sws;
      int max_sws;

      if (out == NULL)
        return;
      ref = read_ppm (ref_ppm, w, h);
      g_assert_true (sa_movie_frame_at (movie, 7.3, w, h, SA_RESIZE_BILINEAR_AA, ours, NULL, &error));
      g_assert_no_error (error);
      diff_stats (ours, ref, (gsize) w * h * 3, &mean, &max);
      g_assert_true (sa_movie_frame_at (movie, 7.3, w, h, SA_RESIZE_BILINEAR, sws, NULL, &error));
      g_assert_no_error (error);
      diff_stats (sws, ref, (gsize) w * h * 3, &mean_sws, &max_sws);
      g_test_message ("320x240 -> %dx%d vs PIL BILINEAR: ours mean %.4f max %d; swscale bilinear mean %.3f max %d",
                      w, h, mean, max, mean_sws, max_sws);
      g_assert_cmpint (max, <=, 1);
      g_assert_cmpfloat (mean, <, 0.01);
    }
}

/* Full-size RGB against the ffmpeg tool's own conversion of frame 0. */
static void
test_rgb_vs_ffmpeg (void)
{
  g_autofree char *path = NULL;
  g_autofree char *raw = g_build_filename (movie_dir, "frame0.rgb", NULL);
  g_autofree char *cmd = NULL;
  g_autofree char *ref = NULL;
  g_autofree guint8 *ours = g_malloc (320 * 240 * 3);
  g_autoptr(SaMovie) movie = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  double mean;
  int max;

  if (!have_ffmpeg ())
    return;
  path = testsrc_movie ("testsrc2.mp4", "");
  cmd = g_strdup_printf ("ffmpeg -nostdin -v error -y -i '%s' -frames:v 1 -pix_fmt rgb24 -f rawvideo '%s'",
                         path, raw);
  g_assert_true (run_tool (cmd, NULL));
  g_assert_true (g_file_get_contents (raw, &ref, &len, NULL));
  g_assert_cmpuint (len, ==, 320 * 240 * 3);
  movie = sa_movie_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sa_movie_frame_at (movie, 0.0, 320, 240, SA_RESIZE_BILINEAR_AA, ours, NULL, &error));
  g_assert_no_error (error);
  diff_stats (ours, (const guint8 *) ref, len, &mean, &max);
  g_test_message ("frame 0 RGB vs ffmpeg -pix_fmt rgb24: mean %.3f max %d", mean, max);
  g_assert_cmpfloat (mean, <, 2.0);
}

static void
test_other_methods (void)
{
  static const SaResize methods[] = { SA_RESIZE_BILINEAR, SA_RESIZE_AREA, SA_RESIZE_BICUBIC,
                                      SA_RESIZE_NEAREST, SA_RESIZE_BILINEAR_AA };
  g_autofree char *path = NULL;
  g_autoptr(SaMovie) movie = NULL;
  g_autoptr(GError) error = NULL;
  guint8 rgb[CW / 4 * CH / 4 * 3];
  SaResize parsed;

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_assert_true (sa_resize_parse (sa_resize_name (methods[i]), &parsed, &error));
      g_assert_cmpint (parsed, ==, methods[i]);
    }
  g_assert_false (sa_resize_parse ("lanczos", &parsed, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "lanczos"));
  g_clear_error (&error);

  if (!have_ffmpeg ())
    return;
  path = counter_movie (&counter_movies[0]);
  movie = sa_movie_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      int bright = 0;

      /* frame 5 = bits 0 and 2: blocks 0 and 2 light, others dark; a
       * quarter-size frame keeps that 4 px per block */
      g_assert_true (sa_movie_frame_at (movie, 5.5 / 24, CW / 4, CH / 4, methods[i], rgb, NULL, &error));
      g_assert_no_error (error);
      for (int b = 0; b < 12; b++)
        {
          guint8 g = rgb[((CH / 8) * (CW / 4) + b * 4 + 2) * 3 + 1];
          g_assert_true (g > 200 || g < 40);
          bright |= (g > 128) << b;
        }
      g_assert_cmpint (bright, ==, 5);
    }
}

/* --- bad input ----------------------------------------------------------- */

static void
assert_error_names (GError *error, int code, const char *path, const char *what)
{
  g_assert_nonnull (error);
  g_assert_error (error, SA_ERROR, code);
  g_assert_nonnull (strstr (error->message, path));
  if (what != NULL && strstr (error->message, what) == NULL)
    g_error ("error “%s” does not say “%s”", error->message, what);
}

static void
test_bad_not_movies (void)
{
  g_autofree char *missing = g_build_filename (movie_dir, "missing.mp4", NULL);
  g_autofree char *txt = g_build_filename (movie_dir, "notes.txt", NULL);
  g_autofree char *fake = g_build_filename (movie_dir, "fake.mp4", NULL);
  g_autofree char *empty = g_build_filename (movie_dir, "empty.mkv", NULL);
  g_autofree char *nifti = g_build_filename (movie_dir, "noise.bin", NULL);
  g_autofree guint8 *noise = g_malloc (65536);
  const char *bad[] = { txt, fake, empty, nifti, movie_dir };
  GError *error = NULL;

  g_assert_null (sa_movie_open (missing, &error));
  assert_error_names (error, SA_ERROR_NOT_FOUND, missing, NULL);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (txt, "subject\trun\nsub-01\t1\n", -1, NULL));
  g_assert_true (g_file_set_contents (fake, "this is not a movie, only text\n", -1, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  for (int i = 0; i < 65536; i++)
    noise[i] = (guint8) (g_test_rand_int () >> 7);
  g_assert_true (g_file_set_contents (nifti, (const char *) noise, 65536, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_null (sa_movie_open (bad[i], &error));
      assert_error_names (error, SA_ERROR_INVALID_DATA, bad[i], "not a movie FFmpeg can decode");
      g_clear_error (&error);
    }
}

/* Copies @src to @dst keeping @keep of its bytes and zeroing from
 * @zero_from on. */
static void
damaged_copy (const char *src, const char *dst, double keep, double zero_from)
{
  g_autofree char *data = NULL;
  gsize len = 0, n;

  g_assert_true (g_file_get_contents (src, &data, &len, NULL));
  n = (gsize) (len * keep);
  for (gsize i = (gsize) (len * zero_from); i < n; i++)
    data[i] = 0;
  g_assert_true (g_file_set_contents (dst, data, n, NULL));
}

static gboolean
count_frame (int k, const guint8 *rgb, int width, int height, double frame_time, gpointer data)
{
  Collect *c = data;
  gint64 n = read_counter (rgb);

  g_array_append_val (c->index, n);
  g_array_append_val (c->times, frame_time);
  return TRUE;
}

static void
test_bad_truncated (void)
{
  static const CounterMovie faststart = {
    "faststart.mp4", 24, 1, 20, "-c:v libx264 -preset veryfast -crf 16 -g 48 -movflags +faststart"
  };
  static const CounterMovie mkv = {
    "long.mkv", 24, 1, 20, "-c:v libx264 -preset veryfast -crf 16 -g 48"
  };
  const CounterMovie *sources[] = { &faststart, &mkv };

  if (!have_ffmpeg ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autofree char *path = counter_movie (sources[i]);
      g_autofree char *cut_name = g_strdup_printf ("cut-%s", sources[i]->name);
      g_autofree char *cut = g_build_filename (movie_dir, cut_name, NULL);
      g_autoptr(SaMovie) movie = NULL;
      GError *error = NULL;
      Collect c = { g_array_new (FALSE, FALSE, sizeof (gint64)),
                    g_array_new (FALSE, FALSE, sizeof (double)), -1, NULL };
      g_autofree guint8 *rgb = g_malloc (CW * CH * 3);
      double last;

      damaged_copy (path, cut, 0.5, 1.0);
      movie = sa_movie_open (cut, &error);
      g_assert_no_error (error);
      /* what is there decodes, and the TRs it holds are handed over */
      g_assert_false (sa_movie_sample_tr (movie, 1.0, 20, CW, CH, SA_RESIZE_BILINEAR_AA,
                                          count_frame, &c, NULL, NULL, &error));
      assert_error_names (error, SA_ERROR_MISMATCH, cut, "20.000 s");
      g_test_message ("%s", error->message);
      g_clear_error (&error);
      g_assert_cmpint (c.index->len, >=, 5);
      g_assert_cmpint (c.index->len, <, 20);
      for (guint k = 0; k + 1 < c.index->len; k++)
        g_assert_cmpint (g_array_index (c.index, gint64, k), ==, 24 * (k + 1) - 1);
      /* seeking inside works, past the data is an error */
      last = g_array_index (c.times, double, c.index->len - 1);
      g_assert_true (sa_movie_frame_at (movie, 2.5, CW, CH, SA_RESIZE_BILINEAR_AA, rgb, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (read_counter (rgb), ==, 60);
      g_assert_false (sa_movie_frame_at (movie, last + 3.0, CW, CH, SA_RESIZE_BILINEAR_AA, rgb, NULL, &error));
      assert_error_names (error, SA_ERROR_ARGUMENT, cut, "past the end");
      g_clear_error (&error);
      g_array_unref (c.index);
      g_array_unref (c.times);
    }
}

static void
test_bad_undecodable (void)
{
  static const CounterMovie faststart = {
    "faststart.mp4", 24, 1, 20, "-c:v libx264 -preset veryfast -crf 16 -g 48 -movflags +faststart"
  };
  g_autofree char *path = NULL;
  g_autofree char *zeroed = g_build_filename (movie_dir, "zeroed.mp4", NULL);
  g_autoptr(SaMovie) movie = NULL;
  g_autofree guint8 *rgb = g_malloc (CW * CH * 3);
  GError *error = NULL;
  Collect c = { g_array_new (FALSE, FALSE, sizeof (gint64)),
                g_array_new (FALSE, FALSE, sizeof (double)), -1, NULL };

  if (!have_ffmpeg ())
    return;
  path = counter_movie (&faststart);
  /* header and index intact (faststart puts them first), picture data
   * zeroed */
  damaged_copy (path, zeroed, 1.0, 0.15);
  movie = sa_movie_open (zeroed, &error);
  g_assert_no_error (error);
  g_assert_false (sa_movie_sample_tr (movie, 1.0, 10, CW, CH, SA_RESIZE_BILINEAR_AA,
                                      count_frame, &c, NULL, NULL, &error));
  assert_error_names (error, SA_ERROR_INVALID_DATA, zeroed, "undecodable");
  g_clear_error (&error);
  g_assert_false (sa_movie_frame_at (movie, 12.0, CW, CH, SA_RESIZE_BILINEAR_AA, rgb, NULL, &error));
  assert_error_names (error, SA_ERROR_INVALID_DATA, zeroed, "undecodable");
  g_clear_error (&error);
  g_array_unref (c.index);
  g_array_unref (c.times);
}

static void
test_bad_short_and_args (void)
{
  g_autofree char *path = NULL;
  g_autoptr(SaMovie) movie = NULL;
  g_autofree guint8 *rgb = g_malloc (CW * CH * 3);
  GError *error = NULL;
  Collect c = { g_array_new (FALSE, FALSE, sizeof (gint64)),
                g_array_new (FALSE, FALSE, sizeof (double)), -1, NULL };

  if (!have_ffmpeg ())
    return;
  path = counter_movie (&counter_movies[0]);
  movie = sa_movie_open (path, &error);
  g_assert_no_error (error);
  /* 20 s of movie, a 30 × 1 s run: both lengths in the message */
  g_assert_false (sa_movie_sample_tr (movie, 1.0, 30, CW, CH, SA_RESIZE_BILINEAR_AA,
                                      count_frame, &c, NULL, NULL, &error));
  assert_error_names (error, SA_ERROR_MISMATCH, path, "20.000 s");
  g_assert_nonnull (strstr (error->message, "30.000 s"));
  g_clear_error (&error);
  g_assert_cmpint (c.index->len, ==, 0);
  /* 20 × 1 s fits exactly */
  g_assert_true (sa_movie_sample_tr (movie, 1.0, 20, CW, CH, SA_RESIZE_BILINEAR_AA,
                                     count_frame, &c, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_array_index (c.index, gint64, 19), ==, 479);

  g_assert_false (sa_movie_sample_tr (movie, 0.0, 3, CW, CH, SA_RESIZE_BILINEAR_AA,
                                      count_frame, &c, NULL, NULL, &error));
  assert_error_names (error, SA_ERROR_ARGUMENT, path, NULL);
  g_clear_error (&error);
  g_assert_false (sa_movie_sample_tr (movie, 1.0, 3, 0, CH, SA_RESIZE_BILINEAR_AA,
                                      count_frame, &c, NULL, NULL, &error));
  assert_error_names (error, SA_ERROR_ARGUMENT, path, NULL);
  g_clear_error (&error);
  g_assert_false (sa_movie_frame_at (movie, -1.0, CW, CH, SA_RESIZE_BILINEAR_AA, rgb, NULL, &error));
  assert_error_names (error, SA_ERROR_ARGUMENT, path, NULL);
  g_clear_error (&error);
  g_assert_false (sa_movie_frame_at (movie, NAN, CW, CH, SA_RESIZE_BILINEAR_AA, rgb, NULL, &error));
  assert_error_names (error, SA_ERROR_ARGUMENT, path, NULL);
  g_clear_error (&error);
  g_array_unref (c.index);
  g_array_unref (c.times);
}

/* --- syncact info -------------------------------------------------------- */

static void
test_cli_info (void)
{
  g_autofree char *path = NULL;
  g_autofree char *txt = g_build_filename (movie_dir, "readme.txt", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  if (!have_ffmpeg ())
    return;
  path = counter_movie (&counter_movies[1]);
  {
    const char *argv[] = { "info", "--json", path, NULL };
    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
  }
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "format"), ==, "movie");
  g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, path);
  g_assert_cmpint (json_object_get_int_member (o, "width"), ==, CW);
  g_assert_cmpint (json_object_get_int_member (o, "height"), ==, CH);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "fps"), 30000.0 / 1001, 1e-6);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "duration"), 12.012, 0.05);
  g_assert_cmpint (json_object_get_int_member (o, "n_frames"), ==, 360);
  g_assert_cmpstr (json_object_get_string_member (o, "codec"), ==, "h264");
  g_assert_cmpstr (json_object_get_string_member (o, "container"), ==, "mov,mp4,m4a,3gp,3g2,mj2");
  g_assert_false (json_object_get_boolean_member (o, "variable_rate"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { "info", path, NULL };
    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "192 × 64"));
    g_assert_nonnull (strstr (out, "29.970"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (g_file_set_contents (txt, "hello\n", -1, NULL));
  {
    const char *argv[] = { "info", txt, NULL };
    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, txt));
    g_assert_nonnull (strstr (err, "not a movie FFmpeg can decode"));
    g_assert_null (strchr (strchr (err, '\n') + 1, '\n'));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  movie_dir = sa_test_tmpdir ();

  g_test_add_func ("/compute/movie/metadata", test_metadata);
  g_test_add_func ("/compute/movie/tr-mapping", test_tr_mapping);
  g_test_add_func ("/compute/movie/sample-stop-cancel", test_sample_stop_and_cancel);
  g_test_add_func ("/compute/movie/seek-exact", test_seek_exact);
  g_test_add_func ("/compute/movie/resize-pil", test_resize_pil);
  g_test_add_func ("/compute/movie/rgb-vs-ffmpeg", test_rgb_vs_ffmpeg);
  g_test_add_func ("/compute/movie/resize-methods", test_other_methods);
  g_test_add_func ("/compute/movie/bad/not-movies", test_bad_not_movies);
  g_test_add_func ("/compute/movie/bad/truncated", test_bad_truncated);
  g_test_add_func ("/compute/movie/bad/undecodable", test_bad_undecodable);
  g_test_add_func ("/compute/movie/bad/short-and-args", test_bad_short_and_args);
  g_test_add_func ("/compute/movie/info-cli", test_cli_info);
  return g_test_run ();
}
