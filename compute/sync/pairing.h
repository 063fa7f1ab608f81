/* pairing.h — Sync-ACT's Eq. 1 and Eq. 2
 *
 * Eq. 2 pairs each FBN with the filter of largest r (signed, the paper's
 * argmax); Eq. 1 pairs each filter with the FBN of largest r. Excluded
 * (constant) rows take no part. The candidates a pair was chosen from are
 * its family: all valid filters for fbn2filter, all valid FBNs for
 * filter2fbn, which is what the family-wise p in null.h maximises over.
 */
#pragma once

#include <glib.h>

#include "compute/sync/correlate.h"

G_BEGIN_DECLS

typedef enum {
  SA_DIRECTION_FBN2FILTER,   /* Eq. 2: each FBN's best filter */
  SA_DIRECTION_FILTER2FBN,   /* Eq. 1: each filter's best FBN */
} SaDirection;

typedef struct {
  int    fbn;        /* 0-based row of the FBN (written as fbn-001…) */
  int    filter;     /* 0-based channel */
  double r;
  double p;          /* parametric, T − 2 df */
  double p_null;     /* per-pair surrogate p, NaN without a null */
  double p_fwer;     /* family-wise surrogate p, NaN without a null */
  double noise_ceiling; /* of the FBN, NaN when unknown */
} SaPair;

typedef struct {
  SaDirection direction;
  int         n_pairs;
  SaPair     *pairs;
} SaPairing;

const char *sa_direction_to_string (SaDirection direction);
gboolean    sa_direction_from_string (const char  *text,
                                      SaDirection *direction);

/* Pairs by argmax r in @direction; p is filled, p_null/p_fwer/noise_ceiling
 * are NaN until null.h and ceiling.h fill them. */
SaPairing  *sa_pairing_compute     (const SaCorrelation *corr,
                                    SaDirection          direction);
void        sa_pairing_free        (SaPairing           *pairing);

typedef struct {
  double mean_r;
  int    n_pairs;
  /* shares in [0, 1] of pairs with p ≥ alpha; NaN when that p is absent */
  double non_significant;        /* parametric, as the paper reports */
  double non_significant_null;
  double non_significant_fwer;
} SaPairingSummary;

void        sa_pairing_summarize   (const SaPairing     *pairing,
                                    double               alpha,
                                    SaPairingSummary    *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaPairing, sa_pairing_free)

G_END_DECLS
