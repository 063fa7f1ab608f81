/* demo-private.h — shared between the demo generator's files */
#pragma once

#include <gio/gio.h>

#include "compute/ann/activations.h"
#include "compute/demo/demo-brain.h"
#include "compute/demo/demo-dataset.h"
#include "compute/demo/planted.h"

G_BEGIN_DECLS

typedef struct {
  int         filter;        /* channel of the layer, 0-based */
  double      common_loading;/* r with the layer's first principal component */
  double      unique_share;  /* 1 − R² on the other planted filters */
  const char *region;        /* AAL name (static) */
  int         label;         /* AAL index */
  int         ijk[3];        /* centre, demo grid voxel */
  double      mm[3];         /* centre, MNI mm */
} SaDemoNetwork;

/* What the chosen filters are like as a set. */
typedef struct {
  double      max_r;         /* the largest |r| between two planted filters */
  double      common_share;  /* the layer's first principal component's share of
                                its variance (all valid filters) */
} SaDemoFilterSet;

/* Picks params->n_networks filters (demo-filters.c) and fills
 * nets[k].filter, common_loading and unique_share, the T × K planted time
 * courses for both movies (the filters' activations TR by TR, z-scored)
 * and @set. */
gboolean sa_demo_pick_filters (const SaActivations *acts,
                               const SaActivations *control_acts,
                               const SaDemoParams  *params,
                               SaDemoNetwork       *nets,
                               float               *tc,
                               float               *tc_control,
                               SaDemoFilterSet     *set,
                               GError             **error);

gboolean sa_demo_write_truth  (const char             *truth_dir,
                               const SaDemoParams     *params,
                               const SaDemoBrain      *brain,
                               const SaPlanted        *planted,
                               const SaDemoNetwork    *nets,
                               const SaDemoFilterSet  *set,
                               const float            *tc_control,
                               const SaActivations    *acts,
                               const SaActivations    *control_acts,
                               GError                **error);

void     sa_demo_remove_tree  (const char          *path);

G_END_DECLS
