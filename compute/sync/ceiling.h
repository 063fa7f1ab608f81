/* ceiling.h — how high an FBN–filter r can go, given the brain data
 *
 * An FBN's time course is only as reproducible as the subjects agree. The
 * split-half inter-subject correlation estimates that: split the subjects
 * into random halves, average each half, correlate the two means; average
 * r over splits and correct it to the full sample (Spearman–Brown,
 * 2r / (1 + r)). Reported beside each pair's r.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The splits a seed gives: @n_splits rows of @n_subjects flags, 1 for the
 * first half (⌊n/2⌋ subjects), 0 for the second. */
guint8  *sa_noise_ceiling_splits (int            n_subjects,
                                  int            n_splits,
                                  guint64        seed);

/* @time_courses: @n_subjects × @n_fbns × @n_times, row-major (each
 * subject's FBN time courses). Returns @n_fbns ceilings; NaN for an FBN
 * whose half-means were constant in every split. Needs ≥ 2 subjects. */
double  *sa_noise_ceiling        (const double  *time_courses,
                                  int            n_subjects,
                                  int            n_fbns,
                                  int            n_times,
                                  int            n_splits,
                                  guint64        seed,
                                  GError       **error);

G_END_DECLS
