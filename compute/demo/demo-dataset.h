/* demo-dataset.h — the built-in demo: a BIDS movie-watching dataset with a
 * known answer
 *
 * What it holds (DIR is the dataset root):
 *   dataset_description.json, participants.tsv, README,
 *   task-movie_bold.json, task-control_bold.json   (RepetitionTime)
 *   stimuli/movie.mp4                              (procedural, demo-movie.h)
 *   sub-NN/func/sub-NN_task-movie_run-1_bold.nii.gz    + _events.tsv
 *   sub-NN/func/sub-NN_task-control_run-1_bold.nii.gz  + _events.tsv
 *   code/truth/…                                   (never read as BIDS data)
 *   code/demo-complete.json                        (written last)
 *
 * How it is made: the movie goes through the built-in demo CNN
 * (builtin:democnn, layer conv3, max over each feature map, the default
 * 256×180 input) and K filters are picked whose activations are as far
 * from collinear as the layer allows (demo-filters.c): the filters of one
 * layer share a strong common factor (~70 % of conv3's variance on the
 * demo movie), and networks that all followed it would rise and fall
 * together, so no decomposition could tell them apart. The pick is a
 * pivoted Cholesky with that factor as the first pivot (each next filter
 * has the most variance left given the factor and the filters taken),
 * preferring picks that correlate at most max_filter_correlation. Their
 * z-scored activations, TR by TR, are the planted networks' time courses
 * (as Sync-ACT correlates them: convolved with an HRF they correlated only
 * -0.03 to 0.26 with the raw activations on this movie, and no pairing
 * could find them). The networks are Gaussian blobs (blob_sigma 2.5
 * voxels: 10 mm, FWHM 24 mm, about one AAL region's size at 4 mm) centred
 * deep inside AAL regions of visual and association cortex, on a 4 mm MNI
 * grid inside the ch2better brain (demo-brain.h); planted.h adds subject
 * amplitudes (sd 15 %) and centre jitter (0.5 voxel), AR(1) spatially
 * smooth noise and white noise. At a network's centre the signal's
 * standard deviation equals the noise's (snr 1: the centre voxel
 * correlates ~0.7 with its time course, an inter-subject correlation of
 * ~0.5, what the best visual-cortex voxels reach during a movie, Hasson
 * et al. 2004); away from it the share falls with the blob. Each voxel's
 * data is then given a positive baseline from the anatomy (10 ×
 * ch2better) with signal plus noise at a standard deviation of
 * signal_percent of it (2 %: the signal alone 1.4 % at a centre), as in
 * real BOLD, so masks are computed from the data as for any dataset.
 *
 * task-control is the false-positive check: its fMRI follows the same
 * filters' activations on a different movie (code/truth/control-movie.mp4),
 * but its events name stimuli/movie.mp4, so any pair found on it is a false
 * positive.
 *
 * The truth (code/truth): truth.json (parameters, the chosen filters'
 * largest |r| and the layer's common-factor share, and per network: layer,
 * filter, its loading on the common factor, its share of variance the
 * other planted filters do not explain, AAL region, centre in voxels and
 * MNI mm, time courses),
 * planted_maps.nii.gz (one volume per network, peak 1), brain_mask.nii.gz,
 * aal.nii.gz (labels on the demo grid), timecourses_task-*.tsv, and the
 * activations of both movies (activations_task-*.h5).
 */
#pragma once

#include <gio/gio.h>

#include "compute/progress.h"

G_BEGIN_DECLS

#define SA_DEMO_MARKER "code/demo-complete.json"

typedef struct {
  int          n_subjects;            /* default 8 */
  double       duration;              /* seconds of movie, default 300 */
  double       tr;                    /* default 2 */
  guint64      seed;                  /* default 1 */
  int          n_networks;            /* default 5 */
  const char  *model;                 /* default "builtin:democnn" */
  const char  *layer;                 /* default "conv3" */
  double       max_filter_correlation;/* preferred bound, default 0.4 */
  double       voxel_size;            /* mm, default 4 */
  double       blob_sigma;            /* voxels, default 2.5 */
  double       snr;                   /* planted.h's, default 1 */
  double       signal_percent;        /* of the baseline, default 2 */
  int          movie_width;           /* default 320 */
  int          movie_height;          /* default 240 */
  int          fps;                   /* default 24 */
  const char  *templates_dir;         /* NULL: SA_DEMO_TEMPLATES_DIR */
} SaDemoParams;

void      sa_demo_params_init   (SaDemoParams        *params);

/* Writes the dataset to @out_dir, which must not exist or be empty (an
 * error otherwise). It is built in a sibling OUT_DIR.tmp-XXXXXX and
 * renamed when complete, so a failure or a cancel leaves nothing behind. */
gboolean  sa_demo_generate      (const char          *out_dir,
                                 const SaDemoParams  *params,
                                 const SaProgress    *progress,
                                 GCancellable        *cancellable,
                                 GError             **error);

/* TRUE when @dir holds a complete demo (its marker file is there). */
gboolean  sa_demo_is_complete   (const char          *dir);

/* The demo for the GUI: @cache_dir/syncact/demo (@cache_dir NULL:
 * g_get_user_cache_dir()), generated with the defaults on first use and
 * reused when complete. A folder there without the marker (an interrupted
 * run from an older version) is replaced. Returns the dataset root. */
char     *sa_demo_ensure        (const char          *cache_dir,
                                 const SaProgress    *progress,
                                 GCancellable        *cancellable,
                                 GError             **error);

G_END_DECLS
