/* The workbench model alone: no widgets, no display. */
#include "config.h"

#include <math.h>

#include "tests/ui/fixture-workbench.h"

static int notified;

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  notified++;
}

static void
test_time_and_selection (void)
{
  g_autoptr(SaFixture) f = sa_fixture_new ();
  g_autoptr(SaWorkbench) wb = sa_fixture_workbench_new (f, 8, 6);

  g_assert_cmpint (sa_workbench_get_n_tr (wb), ==, f->n_tr);
  g_assert_cmpfloat (sa_workbench_get_duration (wb), ==, f->n_tr * f->tr);
  g_signal_connect (wb, "notify::time", G_CALLBACK (count_notify), NULL);

  /* TR k covers [k·TR, (k+1)·TR). */
  notified = 0;
  sa_workbench_set_time (wb, 2 * f->tr - 1e-6);
  g_assert_cmpint (sa_workbench_get_tr_index (wb), ==, 1);
  sa_workbench_set_time (wb, 2 * f->tr);
  g_assert_cmpint (sa_workbench_get_tr_index (wb), ==, 2);
  sa_workbench_set_time (wb, 2 * f->tr);
  g_assert_cmpint (notified, ==, 2);   /* no notify without a change */
  /* Clamped to the run; NaN ignored. */
  sa_workbench_set_time (wb, -5);
  g_assert_cmpfloat (sa_workbench_get_time (wb), ==, 0);
  sa_workbench_set_time (wb, 1e9);
  g_assert_cmpint (sa_workbench_get_tr_index (wb), ==, f->n_tr - 1);
  sa_workbench_set_time (wb, NAN);
  g_assert_cmpint (sa_workbench_get_tr_index (wb), ==, f->n_tr - 1);

  /* Out-of-range selections mean "none". */
  sa_workbench_set_selected_fbn (wb, 2);
  g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, 2);
  sa_workbench_set_selected_fbn (wb, SA_FIXTURE_N_FBN);
  g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, -1);
}

static void
test_lookups (void)
{
  g_autoptr(SaFixture) f = sa_fixture_new ();
  g_autoptr(SaWorkbench) wb = sa_fixture_workbench_new (f, 8, 6);
  g_autofree char *label = sa_workbench_dup_fbn_label (wb, 0);
  g_autofree char *flabel = sa_workbench_dup_filter_label (wb, 3);
  SaSliceVolume map;
  SaFrame frame;
  double peak[3];
  int top[4];
  const float *course;

  g_assert_cmpstr (label, ==, "fbn-001 Right parietal");
  g_assert_cmpstr (flabel, ==, "filter 3");
  g_assert_cmpint (sa_workbench_get_pair (wb, 0)->filter, ==, 3);
  g_assert_null (sa_workbench_get_pair (wb, 7));

  /* Top frames: descending activation, each really ≥ every other TR. */
  g_assert_cmpint (sa_workbench_top_frames (wb, 3, 4, top), ==, 4);
  course = sa_workbench_get_filter_course (wb, 3);
  for (int i = 1; i < 4; i++)
    g_assert_cmpfloat (course[top[i - 1]], >=, course[top[i]]);
  for (int t = 0; t < f->n_tr; t++)
    {
      gboolean in_top = FALSE;
      for (int i = 0; i < 4; i++)
        in_top |= top[i] == t;
      if (!in_top)
        g_assert_cmpfloat (course[t], <=, course[top[3]]);
    }

  /* Map 0's peak lies inside the fixture's positive blob (radius 10 mm). */
  g_assert_true (sa_workbench_get_map (wb, 0, &map));
  g_assert_true (sa_workbench_get_map_peak (wb, 0, peak));
  g_assert_cmpfloat (sqrt (pow (peak[0] - f->blob_pos[0], 2) + pow (peak[1] - f->blob_pos[1], 2) +
                           pow (peak[2] - f->blob_pos[2], 2)), <=, 10.0);
  g_assert_cmpfloat (sa_slice_volume_sample (&map, peak, FALSE), ==, 1.0);
  g_assert_false (sa_workbench_get_map (wb, SA_FIXTURE_N_FBN, &map));

  /* Frames: the one for TR k, clamped at the ends. */
  g_assert_true (sa_workbench_get_frame (wb, 5, &frame));
  g_assert_cmpint (frame.width, ==, 8);
  g_assert_cmpfloat (frame.time, ==, 6 * f->tr);
  g_assert_true (sa_workbench_get_frame (wb, 10000, &frame));
  g_assert_cmpfloat (frame.time, ==, f->n_tr * f->tr);
}

typedef struct {
  SaWorkbench *wb;
  int          fbn_seen_filter;   /* selected filter when notify::selected-fbn ran */
  int          n_fbn, n_filter;
} Seen;

static void
on_fbn (SaWorkbench *wb, GParamSpec *pspec, Seen *seen)
{
  seen->fbn_seen_filter = sa_workbench_get_selected_filter (wb);
  seen->n_fbn++;
}

static void
on_filter (SaWorkbench *wb, GParamSpec *pspec, Seen *seen)
{
  seen->n_filter++;
}

/* A filter whose best FBN pairs (FBN → filter) with another filter: where
 * the two directions disagree. */
static int
disagreeing_filter (SaWorkbench *wb)
{
  for (int k = 0; k < sa_workbench_get_n_filters (wb); k++)
    {
      const SaPair *fp = sa_workbench_get_filter_pair (wb, k);

      if (fp && sa_workbench_get_pair (wb, fp->fbn)->filter != k)
        return k;
    }
  return -1;
}

static void
test_directions (void)
{
  g_autoptr(SaFixture) f = sa_fixture_new ();
  g_autoptr(SaWorkbench) wb = sa_fixture_workbench_new (f, 8, 6);
  const float *r = sa_workbench_get_correlations (wb);
  int n_k = sa_workbench_get_n_filters (wb);
  Seen seen = { wb, -2, 0, 0 };
  const SaPair *shown, *fp;
  int k, j, i;

  /* Eq. 1 pairs: each filter's argmax over FBNs. */
  for (k = 0; k < n_k; k++)
    {
      fp = sa_workbench_get_filter_pair (wb, k);
      g_assert_nonnull (fp);
      g_assert_cmpint (fp->filter, ==, k);
      for (i = 0; i < SA_FIXTURE_N_FBN; i++)
        g_assert_cmpfloat (r[i * n_k + k], <=, fp->r);
    }
  g_assert_null (sa_workbench_get_filter_pair (wb, n_k));
  g_assert_cmpint (sa_workbench_get_direction (wb), ==, SA_PAIR_DIRECTION_FBN2FILTER);

  /* Selecting an FBN selects its paired filter. */
  sa_workbench_set_selected_fbn (wb, 0);
  g_assert_cmpint (sa_workbench_get_selected_filter (wb), ==, sa_workbench_get_pair (wb, 0)->filter);
  shown = sa_workbench_get_selected_pair (wb);
  g_assert_cmpint (shown->fbn, ==, 0);
  g_assert_cmpfloat (shown->p_fwer, ==, 1e-3);   /* the FBN → filter table's */

  /* Selecting a filter selects its best FBN — both set before either
   * notification, so a pane woken by one sees the other. */
  k = disagreeing_filter (wb);
  g_assert_cmpint (k, >=, 0);
  j = sa_workbench_get_filter_pair (wb, k)->fbn;
  sa_workbench_set_selected_fbn (wb, j == 0 ? 1 : 0);
  g_signal_connect (wb, "notify::selected-fbn", G_CALLBACK (on_fbn), &seen);
  g_signal_connect (wb, "notify::selected-filter", G_CALLBACK (on_filter), &seen);
  sa_workbench_set_direction (wb, SA_PAIR_DIRECTION_FILTER2FBN);
  sa_workbench_set_selected_filter (wb, k);
  g_assert_cmpint (sa_workbench_get_selected_filter (wb), ==, k);
  g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, j);
  g_assert_cmpint (seen.n_fbn, ==, 1);
  g_assert_cmpint (seen.n_filter, ==, 1);
  g_assert_cmpint (seen.fbn_seen_filter, ==, k);
  shown = sa_workbench_get_selected_pair (wb);
  g_assert_cmpint (shown->fbn, ==, j);
  g_assert_cmpint (shown->filter, ==, k);
  g_assert_cmpfloat (shown->r, ==, sa_workbench_get_filter_pair (wb, k)->r);
  g_assert_cmpfloat (shown->p_fwer, ==, 2e-3);   /* the filter → FBN table's */

  /* Switching direction keeps the selection; the pair FBN j → its own
   * filter is not this one, so the statistics stay the filter table's. */
  sa_workbench_set_direction (wb, SA_PAIR_DIRECTION_FBN2FILTER);
  g_assert_cmpint (sa_workbench_get_selected_filter (wb), ==, k);
  g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, j);
  g_assert_cmpfloat (sa_workbench_get_selected_pair (wb)->p_fwer, ==, 2e-3);

  /* Following filters, choosing the selected filter's FBN keeps the filter;
   * following FBNs, choosing an FBN takes its own pair. */
  sa_workbench_set_direction (wb, SA_PAIR_DIRECTION_FILTER2FBN);
  sa_workbench_set_selected_fbn (wb, -1);
  g_assert_cmpint (sa_workbench_get_selected_filter (wb), ==, -1);
  g_assert_null (sa_workbench_get_selected_pair (wb));
  sa_workbench_set_selected_filter (wb, k);
  g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, j);
  sa_workbench_set_direction (wb, SA_PAIR_DIRECTION_FBN2FILTER);
  sa_workbench_set_selected_fbn (wb, j == 0 ? 1 : 0);
  sa_workbench_set_selected_fbn (wb, j);
  g_assert_cmpint (sa_workbench_get_selected_filter (wb), ==, sa_workbench_get_pair (wb, j)->filter);

  /* New pairs (a training epoch): following filters, the filter stays and
   * the FBN moves to its new best; following FBNs, the reverse. */
  {
    SaPair moved[SA_FIXTURE_N_FILTER];
    int other = (j + 1) % SA_FIXTURE_N_FBN;

    for (int c = 0; c < n_k; c++)
      moved[c] = *sa_workbench_get_filter_pair (wb, c);
    moved[k].fbn = other;
    sa_workbench_set_direction (wb, SA_PAIR_DIRECTION_FILTER2FBN);
    sa_workbench_set_selected_filter (wb, k);
    g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, j);
    sa_workbench_set_filter_pairs (wb, moved, n_k);
    g_assert_cmpint (sa_workbench_get_selected_filter (wb), ==, k);
    g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, other);
    sa_workbench_set_direction (wb, SA_PAIR_DIRECTION_FBN2FILTER);
    sa_workbench_set_pairs (wb, (SaPair[]) { { 0, 4, 0.5, 0.01, 0.1, TRUE },
                                             { 1, 4, 0.5, 0.01, 0.1, TRUE },
                                             { 2, 4, 0.5, 0.01, 0.1, TRUE } }, 3);
    g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, other);
    g_assert_cmpint (sa_workbench_get_selected_filter (wb), ==, 4);
    sa_workbench_set_selected_fbn (wb, j);
  }

  /* Pairs neither table holds show the cell's r without a p. */
  {
    SaPair none[1] = { { 0, 0, 0, 0, 0, FALSE } };

    sa_workbench_set_filter_pairs (wb, none, 0);
    g_assert_null (sa_workbench_get_filter_pair (wb, k));
    sa_workbench_set_selected_filter (wb, k);
    /* No pair for the filter: the FBN stays. */
    g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, j);
    shown = sa_workbench_get_selected_pair (wb);
    g_assert_cmpfloat (shown->r, ==, r[j * n_k + k]);
    g_assert_true (isnan (shown->p));
    g_assert_false (shown->significant);
  }

  /* Out of range means none; the property reads as the getter. */
  sa_workbench_set_selected_filter (wb, n_k);
  g_assert_cmpint (sa_workbench_get_selected_filter (wb), ==, -1);
  {
    SaPairDirection d;

    g_object_set (wb, "direction", SA_PAIR_DIRECTION_FILTER2FBN, NULL);
    g_object_get (wb, "direction", &d, NULL);
    g_assert_cmpint (d, ==, SA_PAIR_DIRECTION_FILTER2FBN);
    g_assert_cmpstr (sa_pair_direction_to_string (d), ==, "filter2fbn");
    g_assert_true (sa_pair_direction_from_string ("fbn2filter", &d));
    g_assert_cmpint (d, ==, SA_PAIR_DIRECTION_FBN2FILTER);
    g_assert_false (sa_pair_direction_from_string ("both", &d));
  }
  g_signal_handlers_disconnect_by_data (wb, &seen);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/workbench-model/time-and-selection", test_time_and_selection);
  g_test_add_func ("/ui/workbench-model/lookups", test_lookups);
  g_test_add_func ("/ui/workbench-model/directions", test_directions);
  return g_test_run ();
}
