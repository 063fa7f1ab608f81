/* fixture.h — small synthetic results (volumes, traces, frames) with known
 * geometry, for render/ and ui/ tests before the demo dataset exists */
#pragma once

#include "render/figure.h"

G_BEGIN_DECLS

typedef struct {
  /* "Anatomy": a 2 mm RAS grid, an ellipsoid head with a brighter core. */
  SaSliceVolume anatomy;
  /* Overlay on its own 3 mm LAS grid (x flipped), blobs of +1 at
   * blob_pos and −1 at blob_neg (world mm). */
  SaSliceVolume overlay;
  double        blob_pos[3];
  double        blob_neg[3];
  /* Time courses: fbn and filter share a sinusoid, r known. */
  int           n_tr;
  double        tr;
  float        *fbn;
  float        *filter;
  /* Three 32×24 frames, solid red, green, blue. */
  guint8       *frame_rgb[3];
  SaFrame       frames[3];
} SaFixture;

SaFixture *sa_fixture_new  (void);
void       sa_fixture_free (SaFixture *fixture);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaFixture, sa_fixture_free)

G_END_DECLS
