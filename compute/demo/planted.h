/* planted.h — a synthetic fMRI dataset with known functional networks
 *
 * The demo and the tests need data whose answer is known: K networks
 * ("planted" FBNs), each a smooth spatial blob with its own time course,
 * buried in noise that looks like fMRI. The generator builds the truth once
 * (sa_planted_new) and then produces any subject on demand
 * (sa_planted_subject), so a caller streams subjects one at a time and memory
 * stays at one subject whatever the dataset size.
 *
 * Model, per subject s, time t, masked voxel v:
 *
 *   x_s[t, v] = Σ_k a_sk · c[t, k] · m_sk[v]  +  σ_n · (√f · e_s[t, v] + √(1−f) · w_s[t, v])
 *
 * - m_k[v] = exp(−|p_v − μ_k|² / 2σ_b²): a Gaussian blob of width σ_b
 *   (blob_sigma, voxels) at centre μ_k, peak 1; m_sk is the same blob at
 *   μ_k + a per-subject jitter (normal, jitter voxels per axis).
 * - c[:, k]: shared by all subjects (the stimulus drives them, as a movie
 *   does), z-scored. Either given by the caller (e.g. CNN filter activations)
 *   or generated: sparse random events plus slow Gaussian drive, convolved
 *   with SPM's canonical double-gamma HRF, each resampled until its Pearson
 *   correlation with every earlier one is at most max_correlation (and, when
 *   that fails, the whole set symmetrically decorrelated).
 * - a_sk = 1 + amplitude_sd · N(0, 1), at least 0.2: subject amplitudes.
 * - e_s: structured noise, AR(1) in time (coefficient noise_ar) of white
 *   noise smoothed in space with a Gaussian of noise_sigma voxels, unit
 *   variance per voxel; w_s: white noise, unit variance; f =
 *   structured_fraction of the noise variance.
 * - σ_n = 1 / snr: snr is a network's peak amplitude (1 at its centre, for
 *   a_sk = 1) over the noise standard deviation of a voxel.
 *
 * Each subject's matrix is then z-scored per voxel exactly as the run cache
 * is (mean 0, population standard deviation 1, constant voxels 0), row-major
 * T × n float32, voxels in mask order (ascending flat index
 * i + nx·(j + ny·k)).
 *
 * Everything derives from the seed: the same parameters and seed give the
 * same truth and the same subjects bit for bit, in any order of requests.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  int           nx, ny, nz;          /* grid */
  const guint8 *mask;                /* nx·ny·nz, non-zero = brain; NULL: an ellipsoid
                                        with semi-axes 0.45·(nx, ny, nz) */
  int           n_subjects;
  int           n_timepoints;
  double        tr;                  /* seconds, for the HRF */
  int           n_networks;          /* K */
  const double *centres;             /* K × 3 voxel coordinates, or NULL: random
                                        inside the mask, min_separation apart */
  double        min_separation;      /* voxels, between random centres */
  double        blob_sigma;          /* voxels */
  const float  *time_courses;        /* T × K row-major, or NULL: generated */
  double        max_correlation;     /* between generated time courses */
  double        amplitude_sd;
  double        jitter;              /* voxels, sd per axis */
  double        snr;
  double        structured_fraction;
  double        noise_ar;
  double        noise_sigma;         /* voxels */
  guint64       seed;
} SaPlantedParams;

typedef struct {
  SaPlantedParams params;            /* copy; pointers inside are NULL */
  gint64   n_voxels;                 /* masked voxels, n */
  guint8  *mask;                     /* nx·ny·nz, 1 = brain */
  gint64  *index;                    /* n flat grid indices, ascending */
  float   *maps;                     /* n × K row-major: group blobs, peak 1 */
  float   *time_courses;             /* T × K row-major, z-scored */
  double  *centres;                  /* K × 3 voxel coordinates (i, j, k) */
} SaPlanted;

/* Defaults: 24×28×24 grid, 4 subjects, 200 TRs of 2 s, 8 networks,
 * blob_sigma 2, min_separation 3·blob_sigma, max_correlation 0.2,
 * amplitude_sd 0.15, jitter 0.5, snr 0.5, structured_fraction 0.3,
 * noise_ar 0.5, noise_sigma 1, seed 1: at these a voxel at a network's
 * centre correlates ~0.45 with its time course, and the planted maps
 * regressed on one subject (dual regression stage 1) give r ~0.6–0.8. */
void        sa_planted_params_init   (SaPlantedParams       *params);

/* Builds the mask and the truth. Fails (SA_ERROR_ARGUMENT) on bad
 * parameters or when K centres min_separation apart do not fit the mask. */
SaPlanted  *sa_planted_new           (const SaPlantedParams *params,
                                      GError               **error);
void        sa_planted_free          (SaPlanted             *planted);

/* Writes subject @subject (0-based) into @out, T × n floats. */
gboolean    sa_planted_subject       (const SaPlanted       *planted,
                                      int                    subject,
                                      float                 *out,
                                      GCancellable          *cancellable,
                                      GError               **error);

/* SPM's canonical HRF (peak 6 s, undershoot 16 s, ratio 1/6) sampled every
 * @tr seconds over 32 s, normalised to sum 1. Returns the length. */
int         sa_planted_hrf           (double                 tr,
                                      double               **out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaPlanted, sa_planted_free)

G_END_DECLS
