/* bids-private.h — BIDS file names and the inheritance principle, shared by
 * bids.c (discovery, validation) and bids-sidecar.c (JSON and events look-up)
 */
#pragma once

#include <gio/gio.h>

#include "compute/io/bids.h"

G_BEGIN_DECLS

/* A BIDS file name split into its parts:
 * "sub-01_task-movie_run-1_bold.nii.gz" → entities {sub:01, task:movie,
 * run:1}, suffix "bold", extension ".nii.gz". Entities keep file order. */
typedef struct {
  GStrv keys;
  GStrv values;
  char *suffix;
  char *extension;
} SaBidsName;

SaBidsName *sa_bids_name_parse      (const char       *basename);
void        sa_bids_name_free       (SaBidsName       *name);
const char *sa_bids_name_get        (const SaBidsName *name,
                                     const char       *key);
int         sa_bids_name_n_entities (const SaBidsName *name);

/* The BIDS inheritance principle: the metadata files (@suffix, @extension)
 * that apply to @data_path, from @top down to the file's own folder, each
 * one's entities a subset of the data file's; least specific first, so a
 * caller that lets later files override earlier ones gets "nearest wins". */
GPtrArray  *sa_bids_applicable     (const char       *top,
                                    const char       *data_path,
                                    const char       *suffix,
                                    const char       *extension);

/* RepetitionTime after inheritance from @top down to @bold_path; FALSE with
 * *tr untouched when no sidecar gives it. @source receives the sidecar that
 * gave it. A sidecar that is not valid JSON is an error naming it. */
gboolean    sa_bids_sidecar_tr     (const char       *top,
                                    const char       *bold_path,
                                    double           *tr,
                                    char            **source,
                                    GError          **error);

/* A bold file found on disk, before raw/derivative and space are chosen. */
typedef struct {
  char *path;
  char *identity;   /* sub-01[_ses-x]_task-movie[_acq-y][_run-1] */
  char *pipeline;   /* NULL for the raw tree */
  char *space;
  char *rel_dir;    /* sub-01[/ses-x]/func */
} SaBidsCandidate;

void        sa_bids_candidate_free (SaBidsCandidate  *c);
void        sa_bids_run_free       (SaBidsRun        *run);
/* Adds a non-fatal problem to dataset->warnings. */
void        sa_bids_warn           (SaBidsDataset    *dataset,
                                    const char       *format,
                                    ...) G_GNUC_PRINTF (2, 3);
/* Reads @c's header, TR (sidecars, header), mask and events into a new
 * *@out (set even on failure, for the caller to free), and its grid in
 * RAS+ order. */
gboolean    sa_bids_describe_run   (SaBidsDataset    *dataset,
                                    SaBidsCandidate  *c,
                                    SaBidsRun       **out,
                                    double            ras_affine[4][4],
                                    int               ras_dims[3],
                                    GError          **error);
/* Same dims, affines equal within 1e-3 × the voxel size per entry. */
gboolean    sa_bids_same_grid      (const int         a_dims[3],
                                    double            a[4][4],
                                    const int         b_dims[3],
                                    double            b[4][4]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaBidsName, sa_bids_name_free)

G_END_DECLS
