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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/workbench-model/time-and-selection", test_time_and_selection);
  g_test_add_func ("/ui/workbench-model/lookups", test_lookups);
  return g_test_run ();
}
