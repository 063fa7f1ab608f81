/* bids.h — a BIDS movie-watching dataset, as SyncAct reads it
 *
 * Finds sub-<id>/[ses-<s>/]func/…_bold.nii[.gz] in the raw tree and under
 * derivatives/<pipeline>/ (fMRIPrep: …_space-<space>_desc-preproc_bold.nii.gz;
 * derivatives/syncact is never read as input). RepetitionTime follows the
 * BIDS inheritance principle (sidecars from the top of the tree down to the
 * file, the nearest wins); a header pixdim[4] that disagrees with the sidecar
 * is a warning naming both, and the sidecar wins. _events.tsv gives the movie
 * (stim_file, relative to stimuli/).
 *
 * When a run exists both raw and as a preprocessed derivative, the
 * derivative is used (SaBidsRun.pipeline says which, and a warning says it
 * once per pipeline). When a pipeline holds several spaces, the one most
 * runs have is used (MNI spaces first on a tie), with a warning.
 * Grids are compared in RAS+ voxel order (the order SaVolume uses): same
 * dims, affines equal within 1e-3 × the voxel size per entry.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char   *subject;        /* "01" (no "sub-") */
  char   *session;        /* NULL when none */
  char   *task;           /* "movie" */
  char   *run;            /* "1", or NULL when the name has no run entity */
  char   *space;          /* "MNI152NLin2009cAsym", or NULL */
  char   *bold_path;      /* absolute */
  char   *mask_path;      /* beside the bold file (fMRIPrep), or NULL */
  char   *events_path;    /* NULL when none */
  char   *movie_path;     /* stimuli/<stim_file>, absolute, or NULL */
  double  movie_onset;    /* seconds into the run the movie starts */
  double  tr;             /* seconds, after inheritance */
  int     dims[4];        /* as stored */
  char   *run_key;        /* "task-movie_run-1": the same key across subjects */
  char   *pipeline;       /* derivatives/<pipeline> the bold came from; NULL = raw */
  char   *tr_source;      /* the sidecar that gave tr, or NULL (header pixdim[4]) */
} SaBidsRun;

typedef struct {
  char      *root;        /* absolute */
  char      *name;        /* dataset_description.json Name, or the folder name */
  char      *bids_version;
  GPtrArray *subjects;    /* char*, sorted, without "sub-" */
  GPtrArray *runs;        /* SaBidsRun*, sorted by subject then run key */
  GPtrArray *run_keys;    /* char*, the distinct run keys, sorted */
  GPtrArray *movies;      /* char*, distinct movie paths */
  double     tr;          /* shared by every run */
  int        grid[3];     /* shared by every run, RAS+ order */
  double     affine[4][4];/* RAS+ voxel → world, of the first run */
  GPtrArray *warnings;    /* char*, things a user should know (non-fatal) */
} SaBidsDataset;

/* Opens and validates: every run must share grid and TR (an error naming
 * the two files that disagree otherwise), and every bold file must exist and
 * parse as NIfTI. A dataset with no bold files is an error. */
SaBidsDataset *sa_bids_open              (const char     *root,
                                          GError        **error);
void           sa_bids_dataset_free      (SaBidsDataset  *dataset);

/* Opens each movie once (FFmpeg) and adds a warning for one that cannot be
 * decoded, or that ends before a run playing it does (the frame at the end
 * of the last TR, after the events onset, must exist). Separate from
 * sa_bids_open() because it costs a movie open each. */
void           sa_bids_check_movies      (SaBidsDataset  *dataset,
                                          GCancellable   *cancellable);

/* Runs of one subject ("01" or "sub-01"), or of one run key across
 * subjects: a new array (unref it) of runs the dataset owns. */
GPtrArray     *sa_bids_runs_for_subject  (SaBidsDataset  *dataset,
                                          const char     *subject);
GPtrArray     *sa_bids_runs_for_key      (SaBidsDataset  *dataset,
                                          const char     *run_key);

/* Folder of SyncAct's outputs: <root>/derivatives/syncact */
char          *sa_bids_derivatives_dir   (SaBidsDataset  *dataset);
/* Where run caches go: <root>/derivatives/syncact/cache, so they live and
 * die with the dataset and never fill the home folder; the user cache
 * folder (g_get_user_cache_dir()/syncact/runs) when the dataset cannot be
 * written. The folder is created. */
char          *sa_bids_cache_dir         (SaBidsDataset  *dataset);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaBidsDataset, sa_bids_dataset_free)

G_END_DECLS
