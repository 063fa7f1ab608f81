/* source.h — where the embedding's training data come from
 *
 * A source lists subjects and their runs (run key, number of TRs) up front
 * and hands out one run's T × n matrix (row-major float32, z-scored per
 * voxel, voxels in mask order) at a time: acquire, read, release. The
 * trainer gathers each batch's windows this way, so a source backed by
 * memory-mapped run caches never has every subject in RAM. A source in
 * memory (borrowing caller buffers) serves tests and small data.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SaEmbedSource SaEmbedSource;

typedef struct {
  char *subject;
  char *run_key;      /* runs with one key are averaged across subjects */
  int   n_timepoints;
  char *label;        /* named in errors: a file path, or a description */
} SaEmbedRun;

/* Returns run @run of subject @subject as n_timepoints × n_voxels floats,
 * valid until the matching release. */
typedef const float *(*SaEmbedAcquireFunc) (gpointer          user_data,
                                            guint             subject,
                                            guint             run,
                                            GError          **error);
typedef void         (*SaEmbedReleaseFunc) (gpointer          user_data,
                                            guint             subject,
                                            guint             run);

SaEmbedSource    *sa_embed_source_new          (gint64              n_voxels,
                                                SaEmbedAcquireFunc  acquire,
                                                SaEmbedReleaseFunc  release,
                                                gpointer            user_data,
                                                GDestroyNotify      destroy);
/* Data borrowed from the caller (sa_embed_source_add_memory_run). */
SaEmbedSource    *sa_embed_source_new_memory   (gint64              n_voxels);
void              sa_embed_source_free         (SaEmbedSource      *source);

/* Declares a run; subjects are numbered in the order they first appear.
 * Returns the run's index within its subject. */
guint             sa_embed_source_add_run      (SaEmbedSource      *source,
                                                const char         *subject,
                                                const char         *run_key,
                                                int                 n_timepoints,
                                                const char         *label);
void              sa_embed_source_add_memory_run (SaEmbedSource    *source,
                                                const char         *subject,
                                                const char         *run_key,
                                                const float        *data,
                                                int                 n_timepoints);

gint64            sa_embed_source_n_voxels     (SaEmbedSource      *source);
guint             sa_embed_source_n_subjects   (SaEmbedSource      *source);
const char       *sa_embed_source_subject      (SaEmbedSource      *source,
                                                guint               subject);
/* -1 when there is no such subject. */
int               sa_embed_source_find_subject (SaEmbedSource      *source,
                                                const char         *name);
guint             sa_embed_source_n_runs       (SaEmbedSource      *source,
                                                guint               subject);
const SaEmbedRun *sa_embed_source_run          (SaEmbedSource      *source,
                                                guint               subject,
                                                guint               run);

const float      *sa_embed_source_acquire      (SaEmbedSource      *source,
                                                guint               subject,
                                                guint               run,
                                                GError            **error);
void              sa_embed_source_release      (SaEmbedSource      *source,
                                                guint               subject,
                                                guint               run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaEmbedSource, sa_embed_source_free)

G_END_DECLS
