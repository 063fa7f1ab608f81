#include "config.h"

#include "compute/io/bids.h"
#include "compute/io/bids-private.h"
#include "compute/io/movie.h"

void
sa_bids_check_movies (SaBidsDataset *dataset,
                      GCancellable  *cancellable)
{
  g_return_if_fail (dataset != NULL);

  for (guint m = 0; m < dataset->movies->len; m++)
    {
      const char *path = g_ptr_array_index (dataset->movies, m);
      g_autoptr(GError) error = NULL;
      SaMovie *movie;
      double duration;
      double frame;

      if (g_cancellable_is_cancelled (cancellable))
        return;
      movie = sa_movie_open_threads (path, 1, &error);
      if (movie == NULL)
        {
          sa_bids_warn (dataset, "%s", error->message);
          continue;
        }
      duration = sa_movie_get_info (movie)->duration;
      frame = sa_movie_get_info (movie)->fps > 0 ? 1.0 / sa_movie_get_info (movie)->fps : 0;
      sa_movie_free (movie);
      /* Each TR shows the frame at its end, so the movie must last until
       * the end of the run's last TR, less the onset, within one frame. */
      for (guint i = 0; i < dataset->runs->len; i++)
        {
          const SaBidsRun *run = g_ptr_array_index (dataset->runs, i);
          double needed = run->dims[3] * run->tr - run->movie_onset;

          if (g_strcmp0 (run->movie_path, path) != 0 || needed <= duration + frame)
            continue;
          sa_bids_warn (dataset, "%s: lasts %.3g s, shorter than sub-%s %s needs (%d TRs × %g s%s = %.4g s)",
                        path, duration, run->subject, run->run_key, run->dims[3], run->tr,
                        run->movie_onset != 0 ? " − onset" : "", needed);
        }
    }
}
