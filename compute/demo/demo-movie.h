/* demo-movie.h — a procedural movie for the demo dataset
 *
 * Scenes of a few seconds (2–6 s) separated by hard cuts: drifting
 * oriented gratings and plaids of varying orientation and spatial
 * frequency, checkerboards, moving shapes on coloured fields, flat colour
 * fields, drifting textures at coarse and fine scales (noise patches) and
 * radial patterns. Scene kinds and parameters come from the seed only, so
 * the same seed gives the same frames on every machine. Encoded as H.264
 * (libx264; MPEG-4 part 2 when libx264 is missing) in an MP4 container,
 * 2 s GOPs so that seeking stays cheap.
 */
#pragma once

#include <gio/gio.h>

#include "compute/progress.h"

G_BEGIN_DECLS

typedef struct {
  int      width, height;   /* default 320×240 */
  int      fps;             /* default 24 */
  double   duration;        /* seconds, default 300 */
  guint64  seed;
} SaDemoMovieParams;

void      sa_demo_movie_params_init (SaDemoMovieParams       *params);

/* Renders frame @index (0-based) into @rgb (width·height·3 bytes). Frames
 * are independent of each other, so any frame can be rendered alone. */
typedef struct _SaDemoMovie SaDemoMovie;

SaDemoMovie *sa_demo_movie_new      (const SaDemoMovieParams *params);
void         sa_demo_movie_free     (SaDemoMovie             *movie);
gint64       sa_demo_movie_n_frames (const SaDemoMovie       *movie);
/* Number of scenes, and the first frame of scene @i. */
int          sa_demo_movie_n_scenes (const SaDemoMovie       *movie);
gint64       sa_demo_movie_scene_start (const SaDemoMovie    *movie,
                                        int                   i);
void         sa_demo_movie_render   (const SaDemoMovie       *movie,
                                     gint64                   index,
                                     guint8                  *rgb);

/* Renders and encodes the whole movie to @path (written under a temporary
 * name in the same folder and renamed when complete). */
gboolean  sa_demo_movie_write       (const SaDemoMovieParams *params,
                                     const char              *path,
                                     const SaProgress        *progress,
                                     GCancellable            *cancellable,
                                     GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaDemoMovie, sa_demo_movie_free)

G_END_DECLS
