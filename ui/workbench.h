/* workbench.h — the in-memory results every pane of the window observes
 *
 * One object per open dataset: the template, the FBN maps (one 3D map per
 * FBN on a shared grid), FBN and filter time courses, their correlation
 * matrix, the pairs in both directions, the per-TR movie frames, and the
 * shared state — the pairing direction, the selected FBN and filter, and
 * the time cursor. Panes listen to notify::selected-fbn,
 * notify::selected-filter, notify::direction, notify::time and ::changed
 * (data replaced). Loading these from a derivatives folder is the data
 * layer's job; this object only holds them.
 */
#pragma once

#include <glib-object.h>

#include "render/gallery.h"
#include "render/slices.h"

G_BEGIN_DECLS

typedef struct {
  int      fbn;          /* 0-based FBN index (shown as fbn-001 …) */
  int      filter;       /* 0-based channel, PyTorch's numbering */
  double   r, p, p_fwer;
  gboolean significant;
} SaPair;

/* Which pairing the lists follow (DESIGN §2.3: one pairs table each).
 * Mirrors compute/sync/pairing.h's SaDirection, whose SaPair name clashes
 * with this header's. */
typedef enum {
  SA_PAIR_DIRECTION_FBN2FILTER,  /* Eq. 2: each FBN's best filter */
  SA_PAIR_DIRECTION_FILTER2FBN,  /* Eq. 1: each filter's best FBN */
} SaPairDirection;

#define SA_TYPE_PAIR_DIRECTION (sa_pair_direction_get_type ())
GType        sa_pair_direction_get_type  (void);
/* "fbn2filter" / "filter2fbn", as in file names and `syncact pair`. */
const char  *sa_pair_direction_to_string (SaPairDirection  direction);
gboolean     sa_pair_direction_from_string (const char     *text,
                                            SaPairDirection *direction);

#define SA_TYPE_WORKBENCH (sa_workbench_get_type ())
G_DECLARE_FINAL_TYPE (SaWorkbench, sa_workbench, SA, WORKBENCH, GObject)

SaWorkbench *sa_workbench_new              (void);

/* Setters copy their input and emit ::changed. */
void   sa_workbench_set_anatomy      (SaWorkbench   *self,
                                      int nx, int ny, int nz,
                                      const float   *data,
                                      const double   affine[4][4]);
/* @maps: nx·ny·nz·n_fbns values, one volume per FBN (x fastest). */
void   sa_workbench_set_maps         (SaWorkbench   *self,
                                      int nx, int ny, int nz,
                                      int            n_fbns,
                                      const float   *maps,
                                      const double   affine[4][4]);
/* @fbn: n_fbns × n_tr (FBN-major); @filters: n_filters × n_tr. */
void   sa_workbench_set_time_courses (SaWorkbench   *self,
                                      double         tr,
                                      int            n_tr,
                                      int            n_fbns,
                                      const float   *fbn,
                                      int            n_filters,
                                      const float   *filters);
/* @r: n_fbns × n_filters Pearson r, as the pairing step computed it. */
void   sa_workbench_set_correlations (SaWorkbench   *self,
                                      const float   *r);
void   sa_workbench_set_pairs        (SaWorkbench   *self,
                                      const SaPair  *pairs,
                                      int            n_pairs);
/* The filter → FBN pairs (Eq. 1): one per filter, each filter's best FBN.
 * Copied; emits ::changed. */
void   sa_workbench_set_filter_pairs (SaWorkbench   *self,
                                      const SaPair  *pairs,
                                      int            n_pairs);
void   sa_workbench_set_labels       (SaWorkbench   *self,
                                      const char *const *fbn_labels,
                                      const char *const *filter_labels);
/* One RGB24 frame per TR (the frame shown at the end of that TR), packed. */
void   sa_workbench_set_frames       (SaWorkbench   *self,
                                      int            width,
                                      int            height,
                                      int            n_frames,
                                      const guint8  *rgb);
void   sa_workbench_set_movie_path   (SaWorkbench   *self,
                                      const char    *path);

int    sa_workbench_get_n_fbns       (SaWorkbench   *self);
int    sa_workbench_get_n_filters    (SaWorkbench   *self);
int    sa_workbench_get_n_tr         (SaWorkbench   *self);
double sa_workbench_get_tr           (SaWorkbench   *self);
double sa_workbench_get_duration     (SaWorkbench   *self);
const char *sa_workbench_get_movie_path (SaWorkbench *self);
/* How the FBNs were made, for people ("group ICA", "msa, ICA-rotated"); NULL
 * when the results do not say. */
void   sa_workbench_set_method       (SaWorkbench   *self,
                                      const char    *method);
const char *sa_workbench_get_method  (SaWorkbench   *self);

/* Borrowed views; data pointers stay valid until the next setter. */
const SaSliceVolume *sa_workbench_get_anatomy   (SaWorkbench *self);
/* Fills @map with a view of @fbn's map; FALSE when there is none. */
gboolean     sa_workbench_get_map               (SaWorkbench   *self,
                                                 int            fbn,
                                                 SaSliceVolume *map);
const float *sa_workbench_get_fbn_course        (SaWorkbench *self,
                                                 int          fbn);
const float *sa_workbench_get_filter_course     (SaWorkbench *self,
                                                 int          filter);
const float *sa_workbench_get_correlations      (SaWorkbench *self);
/* The pair of @fbn (FBN → filter direction), or NULL. */
const SaPair *sa_workbench_get_pair             (SaWorkbench *self,
                                                 int          fbn);
/* The pair of @filter (filter → FBN direction: its best FBN), or NULL. */
const SaPair *sa_workbench_get_filter_pair      (SaWorkbench *self,
                                                 int          filter);
/* The pair every pane shows: the selected FBN with the selected filter.
 * Its statistics come from the current direction's table, else from the
 * other one's when it holds the same pair, else r from the correlation
 * matrix with no p. NULL when no FBN or no filter is selected. Valid until
 * the next call. */
const SaPair *sa_workbench_get_selected_pair    (SaWorkbench *self);
/* "fbn-003" plus its atlas label when there is one. */
char        *sa_workbench_dup_fbn_label         (SaWorkbench *self,
                                                 int          fbn);
char        *sa_workbench_dup_filter_label      (SaWorkbench *self,
                                                 int          filter);
/* The filter labels as set ("" where none), NULL-terminated, or NULL. */
const char *const *sa_workbench_get_filter_labels (SaWorkbench *self);
/* The frame at TR @index (clamped); its time is the movie time it was shown
 * at, the end of the TR. FALSE when there are no frames. */
gboolean     sa_workbench_get_frame             (SaWorkbench *self,
                                                 int          index,
                                                 SaFrame     *frame);
/* The @n TRs where @filter is most active, highest first; returns how many. */
int          sa_workbench_top_frames            (SaWorkbench *self,
                                                 int          filter,
                                                 int          n,
                                                 int         *tr_indices);
/* World mm of the voxel where |map of @fbn| peaks. */
gboolean     sa_workbench_get_map_peak          (SaWorkbench *self,
                                                 int          fbn,
                                                 double       world[3]);

int    sa_workbench_get_selected_fbn (SaWorkbench   *self);
void   sa_workbench_set_selected_fbn (SaWorkbench   *self,
                                      int            fbn);
/* Selecting an FBN selects its paired filter (kept when it is the selected
 * filter's best FBN in the filter → FBN direction); selecting a filter
 * selects its best FBN (kept when the FBN → filter pair of the selected FBN
 * is that filter). Both notifications come after both have changed. */
int    sa_workbench_get_selected_filter (SaWorkbench *self);
void   sa_workbench_set_selected_filter (SaWorkbench *self,
                                         int          filter);
SaPairDirection sa_workbench_get_direction (SaWorkbench    *self);
/* Keeps the selection as it is: switching only changes what the lists
 * follow and which table's statistics the shown pair carries. */
void   sa_workbench_set_direction    (SaWorkbench     *self,
                                      SaPairDirection  direction);
/* Seconds; clamped to 0..duration. */
double sa_workbench_get_time         (SaWorkbench   *self);
void   sa_workbench_set_time         (SaWorkbench   *self,
                                      double         seconds);
/* TR under the time cursor. */
int    sa_workbench_get_tr_index     (SaWorkbench   *self);

G_END_DECLS
