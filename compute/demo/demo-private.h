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
  double      max_filter_r;  /* the largest |r| between two planted filters */
  double      act_r;         /* r of the planted time course with the raw activation */
  const char *region;        /* AAL name (static) */
  int         label;         /* AAL index */
  int         ijk[3];        /* centre, demo grid voxel */
  double      mm[3];         /* centre, MNI mm */
} SaDemoNetwork;

/* Picks params->n_networks filters (see demo-dataset.h) and fills
 * nets[k].filter, act_r, the T × K planted time courses for both movies
 * (HRF-convolved activations, z-scored), and the largest |r| between two
 * chosen filters. */
gboolean sa_demo_pick_filters (const SaActivations *acts,
                               const SaActivations *control_acts,
                               const SaDemoParams  *params,
                               SaDemoNetwork       *nets,
                               float               *tc,
                               float               *tc_control,
                               double              *max_correlation,
                               GError             **error);

gboolean sa_demo_write_truth  (const char          *truth_dir,
                               const SaDemoParams  *params,
                               const SaDemoBrain   *brain,
                               const SaPlanted     *planted,
                               const SaDemoNetwork *nets,
                               const float         *tc_control,
                               const SaActivations *acts,
                               const SaActivations *control_acts,
                               GError             **error);

void     sa_demo_remove_tree  (const char          *path);

G_END_DECLS
