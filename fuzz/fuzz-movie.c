/* fuzz-movie.c — libFuzzer harness for the movie reader
 *
 * The input is written to a file (FFmpeg probes files by name and content),
 * opened, sampled at a few TRs and sought into, the way the app uses it.
 * Any crash, hang or sanitizer report is a bug; GErrors are the expected
 * answer to garbage.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "compute/io/movie.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static gboolean
count_frames (int k, const guint8 *rgb, int width, int height, double frame_time, gpointer user_data)
{
  guint *sum = user_data;

  /* Touch the pixels so the sanitizers see every byte handed over. */
  for (int i = 0; i < width * height * 3; i++)
    *sum += rgb[i];
  return TRUE;
}

static const char *
input_path (void)
{
  static char *path;

  if (path == NULL)
    {
      int fd = g_file_open_tmp ("syncact-fuzz-movie-XXXXXX", &path, NULL);
      g_assert (fd >= 0);
      close (fd);
    }
  return path;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const char *path = input_path ();
  g_autoptr(SaMovie) movie = NULL;
  g_autoptr(GError) error = NULL;
  SaResize method = size > 0 ? (SaResize) (data[size - 1] % 5) : SA_RESIZE_BILINEAR_AA;
  guint8 rgb[32 * 32 * 3];
  guint sum = 0;
  double t;

  if (!g_file_set_contents (path, (const char *) data, (gssize) size, NULL))
    return 0;
  /* One decoding thread: deterministic, and cheap to start per input. */
  movie = sa_movie_open_threads (path, 1, &error);
  if (movie == NULL)
    {
      g_assert (error != NULL && error->message != NULL);
      return 0;
    }
  (void) sa_movie_get_info (movie);
  if (!sa_movie_sample_tr (movie, 0.25, 4, 24, 18, method, count_frames, &sum, NULL, NULL, &error))
    g_clear_error (&error);
  if (!sa_movie_frame_at (movie, 0.6, 24, 18, method, rgb, &t, &error))
    g_clear_error (&error);
  if (!sa_movie_frame_at (movie, 0.05, 17, 31, method, rgb, &t, &error))
    g_clear_error (&error);
  if (!sa_movie_frame_at (movie, 0.1, 24, 18, method, rgb, &t, &error))
    g_clear_error (&error);
  if (!sa_movie_sample_tr (movie, 0.1, 3, 24, 18, SA_RESIZE_BILINEAR_AA, count_frames, &sum, NULL, NULL, &error))
    g_clear_error (&error);
  return 0;
}
