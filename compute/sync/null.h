/* null.h — surrogate nulls that keep autocorrelation, and the family-wise p
 *
 * fMRI and CNN time courses are smooth, so the parametric p (stats.h)
 * overstates significance; and each pair is the best of K candidates. The
 * null here keeps each series' autocorrelation and takes both into account:
 *
 * - shift: the FBN series is circularly shifted by s TRs (s drawn uniformly
 *   from [min_shift, T − min_shift], seeded). The r of every FBN with every
 *   filter at every shift is their circular cross-correlation, computed for
 *   all pairs at once with FFTs (zero-padded to a power of two ≥ 2T, then
 *   wrapped), never as T separate GEMMs.
 * - phase: the FBN series' Fourier phases are randomised (amplitudes kept),
 *   with the same random phases for every FBN in a surrogate so that the
 *   FBNs' correlations with each other survive (Prichard & Theiler 1994).
 *
 * Per pair p = (1 + #{|r_null| ≥ |r|}) / (1 + S). Family-wise p: in each
 * surrogate, the max |r_null| over the pair's family (all valid filters for
 * fbn2filter, all valid FBNs for filter2fbn) takes the place of |r_null|.
 * Work streams over FBNs, so memory is O(K·(T + S)), not m·K·T.
 */
#pragma once

#include <gio/gio.h>

#include "compute/progress.h"
#include "compute/sync/correlate.h"
#include "compute/sync/pairing.h"

G_BEGIN_DECLS

typedef enum {
  SA_NULL_NONE,
  SA_NULL_SHIFT,
  SA_NULL_PHASE,
} SaNullKind;

const char *sa_null_kind_to_string   (SaNullKind   kind);
gboolean    sa_null_kind_from_string (const char  *text,
                                      SaNullKind  *kind);

typedef struct {
  SaNullKind kind;
  int        n_surrogates;  /* 1000 by default */
  guint64    seed;
  int        min_shift;     /* ≤ 0: max(1, T / 20) */
} SaNullOptions;

#define SA_NULL_OPTIONS_INIT { SA_NULL_SHIFT, 1000, 0, 0 }

typedef struct {
  SaNullKind kind;
  int        n_fbns, n_filters, n_times, n_surrogates;
  int        min_shift;
  int       *shifts;        /* S shifts (shift null), else NULL */
  float     *phases;        /* S × (T/2 + 1) phases (phase null), else NULL */
  guint32   *exceed;        /* m × K: #surrogates with |r_null| ≥ |r| */
  float     *fbn_max;       /* m × S: max over valid filters of |r_null| */
  float     *filter_max;    /* K × S: max over valid FBNs of |r_null| */
} SaNull;

/* The min shift used for @n_times when @min_shift ≤ 0. */
int      sa_null_default_min_shift (int            n_times);

/* The shifts a seed gives: S values in [min_shift, T − min_shift]. */
int     *sa_null_draw_shifts    (int            n_times,
                                 int            n_surrogates,
                                 int            min_shift,
                                 guint64        seed);
/* The phases a seed gives: S × (T/2 + 1) values in [0, 2π); 0 at DC, and
 * at Nyquist (T even), which must stay real. */
float   *sa_null_draw_phases    (int            n_times,
                                 int            n_surrogates,
                                 guint64        seed);

SaNull  *sa_null_compute        (const SaCorrelation *corr,
                                 const SaNullOptions *options,
                                 const SaProgress    *progress,
                                 GCancellable        *cancellable,
                                 GError             **error);
void     sa_null_free           (SaNull              *null);

/* Fills p_null and p_fwer of every pair of @pairing. */
void     sa_null_apply          (const SaNull        *null,
                                 const SaCorrelation *corr,
                                 SaPairing           *pairing);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaNull, sa_null_free)

G_END_DECLS
