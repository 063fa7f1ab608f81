#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "compute/io/nifti.h"
#include "tests/testutil.h"

/* The end-to-end check of issues 5 and 7: `syncact demo` plants networks
 * that follow known filters of builtin:democnn; `syncact run` must find
 * each one as a single FBN paired with its filter (task-movie), and
 * nothing beyond chance on task-control, whose fMRI follows the same
 * filters on another movie while its events name the demo movie.
 *
 * A planted network counts as recovered when the FBN whose map matches its
 * planted map best (spatial |r| over the brain)
 * - matches it at |r| >= MIN_SPATIAL_R,
 * - peaks (its largest-magnitude voxel) inside the planted AAL region,
 * - is no other network's best FBN, and
 * - is paired with exactly the planted filter at p_fwer < ALPHA, in either
 *   direction's pairs table.
 *
 * Settings are small to keep the suite short (the movies at 12 fps: their
 * rendering and encoding is most of the demo's time); 24 FBNs: with 8 or
 * 16, group ICA merged the two networks whose filters share most with the
 * layer's common factor (seeds 2 and 3: unique shares 0.39-0.47) into one
 * FBN. SYNCACT_E2E_SEED picks another seed to measure stability by hand. */

#define E2E_SUBJECTS  "6"
#define E2E_DURATION  "300"
#define E2E_NETWORKS  4
#define E2E_FBNS      "24"
#define E2E_FPS       "12"
#define E2E_SURR      "500"
#define ALPHA         0.05
#define MIN_SPATIAL_R 0.5
#define MSA_EPOCHS    "30"
#define MSA_MIN_RECOVERED 1
#define ICA_MIN_RECOVERED 3

typedef struct {
  int    filter;
  int    map_volume;
  int    aal;
  char  *region;
} Planted;

typedef struct {
  const char *fbn;   /* "fbn-001", interned */
  int      filter;
  double   r;
  double   p_fwer;
} Pair;

typedef struct {
  char      *root;
  GArray    *planted;   /* Planted */
  SaVolume  *maps;      /* planted maps */
  SaVolume  *aal;       /* labels on the demo grid */
  SaVolume  *mask;
} Demo;

static GPtrArray *
read_pairs (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *pairs = g_ptr_array_new_with_free_func (g_free);
  int c_fbn = -1, c_filter = -1, c_r = -1, c_fwer = -1;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("cannot read %s", path);
  lines = g_strsplit (text, "\n", -1);
  {
    g_auto(GStrv) head = g_strsplit (lines[0], "\t", -1);

    for (int i = 0; head[i]; i++)
      {
        if (g_str_equal (head[i], "fbn")) c_fbn = i;
        else if (g_str_equal (head[i], "filter")) c_filter = i;
        else if (g_str_equal (head[i], "r")) c_r = i;
        else if (g_str_equal (head[i], "p_fwer")) c_fwer = i;
      }
  }
  g_assert_cmpint (c_fbn, >=, 0);
  g_assert_cmpint (c_filter, >=, 0);
  g_assert_cmpint (c_r, >=, 0);
  g_assert_cmpint (c_fwer, >=, 0);
  for (int l = 1; lines[l]; l++)
    {
      g_auto(GStrv) f = NULL;
      Pair *p;

      if (lines[l][0] == '\0')
        continue;
      f = g_strsplit (lines[l], "\t", -1);
      g_assert_cmpint (g_strv_length (f), >, (guint) MAX (MAX (c_fbn, c_filter), MAX (c_r, c_fwer)));
      p = g_new0 (Pair, 1);
      /* Interned, so freeing the struct alone frees everything. */
      p->fbn = g_intern_string (f[c_fbn]);
      p->filter = atoi (f[c_filter]);
      p->r = g_ascii_strtod (f[c_r], NULL);
      p->p_fwer = g_ascii_strtod (f[c_fwer], NULL);
      g_assert_true (p->p_fwer > 0 && p->p_fwer <= 1);
      g_ptr_array_add (pairs, p);
    }
  return pairs;
}

static GPtrArray *
read_run_pairs (const char *derivs, const char *task, const char *direction)
{
  g_autofree char *base = g_strdup_printf ("task-%s_run-1_model-democnn_layer-conv3_desc-%s_pairs.tsv",
                                           task, direction);
  g_autofree char *path = g_build_filename (derivs, base, NULL);

  return read_pairs (path);
}

static SaVolume *
load (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  SaVolume *vol = sa_volume_load (path, NULL, NULL, &error);

  g_assert_no_error (error);
  return vol;
}

static void
demo_free (Demo *demo)
{
  for (guint k = 0; k < demo->planted->len; k++)
    g_free (g_array_index (demo->planted, Planted, k).region);
  g_array_unref (demo->planted);
  sa_volume_free (demo->maps);
  sa_volume_free (demo->aal);
  sa_volume_free (demo->mask);
  g_free (demo->root);
  g_free (demo);
}

static const char *
seed (void)
{
  return g_getenv ("SYNCACT_E2E_SEED") ? g_getenv ("SYNCACT_E2E_SEED") : "1";
}

static Demo *
demo_make (void)
{
  g_autofree char *tmp = sa_test_tmpdir ();
  g_autofree char *truth_dir = NULL, *truth_path = NULL;
  g_autofree char *networks_arg = g_strdup_printf ("%d", E2E_NETWORKS);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  Demo *demo = g_new0 (Demo, 1);
  JsonArray *networks;

  demo->root = g_build_filename (tmp, "demo", NULL);
  {
    const char *argv[] = { "demo", "--out", demo->root, "--subjects", E2E_SUBJECTS,
                           "--duration", E2E_DURATION, "--networks", networks_arg, "--fps", E2E_FPS,
                           "--seed", seed (), NULL };
    g_autofree char *out = NULL, *err = NULL;

    if (sa_test_run_syncact (argv, &out, &err) != 0)
      g_error ("syncact demo failed: %s", err);
  }
  truth_dir = g_build_filename (demo->root, "code", "truth", NULL);
  truth_path = g_build_filename (truth_dir, "truth.json", NULL);
  json_parser_load_from_file (parser, truth_path, &error);
  g_assert_no_error (error);
  networks = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "networks");
  demo->planted = g_array_new (FALSE, TRUE, sizeof (Planted));
  for (guint k = 0; k < json_array_get_length (networks); k++)
    {
      JsonObject *o = json_array_get_object_element (networks, k);
      Planted p = {
        .filter = (int) json_object_get_int_member (o, "filter"),
        .map_volume = (int) json_object_get_int_member (o, "map_volume"),
        .aal = (int) json_object_get_int_member (o, "aal_index"),
        .region = g_strdup (json_object_get_string_member (o, "region")),
      };

      /* The demo plants at the layer the run is asked about. */
      g_assert_cmpstr (json_object_get_string_member (o, "layer"), ==, "conv3");
      g_test_message ("planted net-%02u: filter %d in %s (unique share %.2f, common-factor "
                      "loading %.2f)", k + 1, p.filter, p.region,
                      json_object_get_double_member (o, "unique_share"),
                      json_object_get_double_member (o, "common_factor_loading"));
      g_array_append_val (demo->planted, p);
    }
  g_assert_cmpint (demo->planted->len, ==, E2E_NETWORKS);
  demo->maps = load (truth_dir, "planted_maps.nii.gz");
  demo->aal = load (truth_dir, "aal.nii.gz");
  demo->mask = load (truth_dir, "brain_mask.nii.gz");
  return demo;
}

static void
syncact_run (const Demo *demo, const char *out_dir, const char *const *extra)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *base[] = { "run", demo->root, "--model", "builtin:democnn", "--layer", "conv3",
                         "--fbns", E2E_FBNS, "--surrogates", E2E_SURR, "--seed", seed (),
                         "--device", "cpu", "--out", out_dir };
  g_autofree char *out = NULL, *err = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (base); i++)
    g_ptr_array_add (argv, (gpointer) base[i]);
  for (int i = 0; extra[i]; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);
  if (sa_test_run_syncact ((const char *const *) argv->pdata, &out, &err) != 0)
    g_error ("syncact run failed: %s", err);
}

/* |Pearson r| over brain voxels of two volumes of the same grid. */
static double
spatial_r (const float *a, const float *b, const float *mask, gsize n)
{
  double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0, cnt = 0;

  for (gsize i = 0; i < n; i++)
    if (mask[i] > 0)
      {
        ma += a[i];
        mb += b[i];
        cnt++;
      }
  ma /= cnt;
  mb /= cnt;
  for (gsize i = 0; i < n; i++)
    if (mask[i] > 0)
      {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
      }
  return saa > 0 && sbb > 0 ? fabs (sab / sqrt (saa * sbb)) : 0;
}

static double
best_pair_fwer (GPtrArray *const *tables, const char *fbn, int filter)
{
  double p = 1;

  for (int d = 0; d < 2; d++)
    for (guint i = 0; i < tables[d]->len; i++)
      {
        Pair *q = g_ptr_array_index (tables[d], i);

        if (g_str_equal (q->fbn, fbn) && q->filter == filter)
          p = MIN (p, q->p_fwer);
      }
  return p;
}

/* The number of planted networks recovered (see the top) by the FBNs in
 * @derivs; logs each network's figures. */
static int
count_recovered (const Demo *demo, const char *derivs, const char *label, int *n_significant)
{
  g_autoptr(SaVolume) comps = load (derivs, "group_desc-FBN_components.nii.gz");
  GPtrArray *tables[2] = { read_run_pairs (derivs, "movie", "fbn2filter"),
                           read_run_pairs (derivs, "movie", "filter2fbn") };
  gsize n_vox = (gsize) demo->maps->nx * demo->maps->ny * demo->maps->nz;
  int K = demo->planted->len, recovered = 0;
  g_autofree int *best = g_new (int, K);
  g_autofree double *best_r = g_new (double, K);

  g_assert_cmpint (comps->nx, ==, demo->maps->nx);
  g_assert_cmpint (comps->ny, ==, demo->maps->ny);
  g_assert_cmpint (comps->nz, ==, demo->maps->nz);
  g_assert_cmpint (comps->nt, ==, atoi (E2E_FBNS));
  for (int k = 0; k < K; k++)
    {
      const Planted *p = &g_array_index (demo->planted, Planted, k);
      const float *map = demo->maps->data + (gsize) p->map_volume * n_vox;

      best[k] = -1;
      best_r[k] = -1;
      for (int j = 0; j < comps->nt; j++)
        {
          double r = spatial_r (map, comps->data + (gsize) j * n_vox, demo->mask->data, n_vox);

          if (r > best_r[k])
            {
              best_r[k] = r;
              best[k] = j;
            }
        }
    }
  for (int k = 0; k < K; k++)
    {
      const Planted *p = &g_array_index (demo->planted, Planted, k);
      const float *comp = comps->data + (gsize) best[k] * n_vox;
      g_autofree char *fbn = g_strdup_printf ("fbn-%03d", best[k] + 1);
      gsize peak = 0;
      gboolean alone = TRUE, in_region, ok;
      double p_fwer = best_pair_fwer (tables, fbn, p->filter);

      for (gsize i = 1; i < n_vox; i++)
        if (fabs (comp[i]) > fabs (comp[peak]))
          peak = i;
      in_region = (int) lround (demo->aal->data[peak]) == p->aal;
      for (int o = 0; o < K; o++)
        alone = alone && (o == k || best[o] != best[k]);
      ok = best_r[k] >= MIN_SPATIAL_R && in_region && alone && p_fwer < ALPHA;
      recovered += ok;
      *n_significant += p_fwer < ALPHA;
      g_test_message ("%s: filter %d in %s: %s spatial |r| %.2f, peak %s the region%s, "
                      "pair p_fwer %.3f: %s", label, p->filter, p->region, fbn, best_r[k],
                      in_region ? "in" : "outside", alone ? "" : ", shared with another network",
                      p_fwer, ok ? "recovered" : "missed");
    }
  g_test_message ("%s: recovered %d of %d planted networks (%.0f%%)", label, recovered, K,
                  100.0 * recovered / K);
  g_ptr_array_unref (tables[0]);
  g_ptr_array_unref (tables[1]);
  return recovered;
}

static int
count_significant (GPtrArray *pairs, double alpha)
{
  int n = 0;

  for (guint i = 0; i < pairs->len; i++)
    if (((Pair *) g_ptr_array_index (pairs, i))->p_fwer < alpha)
      n++;
  return n;
}

/* The control run's false pairs. In each direction's table every row's
 * p_fwer is family-wise over that row's candidates (the best of K filters
 * for an FBN, the best of m FBNs for a filter), so under the null each
 * row is significant with probability ALPHA. Two checks:
 * - in each table, no row below ALPHA / rows (Bonferroni over the table:
 *   the chance of any is at most ALPHA under the null whatever the
 *   dependence between rows), where the surrogates can resolve that level
 *   (p_fwer >= 1 / (surrogates + 1)); asserted when @bonferroni;
 * - over both tables together, at most ALPHA × rows (rounded up)
 *   significant rows; asserted when @count_bound. Rows share FBNs and
 *   filters, so the count comes in clumps: one FBN that correlates by
 *   chance with the filters' common factor is the best FBN of many filters
 *   at once. That is why only the well-separated ICA FBNs are held to it.
 * Measured on seed 1 (the demo's bytes are the same on every run since
 * its movie encoding no longer reads uninitialised heap): ICA 1 of 88, 0
 * below Bonferroni; msa + rotate 7 of 88 (3 + 4, in clumps), 0 below. */
static void
check_control (const char *derivs, const char *label, gboolean count_bound, gboolean bonferroni)
{
  const char *const dirs[] = { "fbn2filter", "filter2fbn" };
  int sig = 0, rows = 0, allowed;

  for (int d = 0; d < 2; d++)
    {
      g_autoptr(GPtrArray) pairs = read_run_pairs (derivs, "control", dirs[d]);
      int n = count_significant (pairs, ALPHA);
      int strict = count_significant (pairs, ALPHA / pairs->len);

      g_test_message ("%s: control run %s: %d of %u pairs p_fwer < %g, %d below %g (Bonferroni)",
                      label, dirs[d], n, pairs->len, ALPHA, strict, ALPHA / pairs->len);
      g_assert_cmpint (pairs->len, >, 0);
      if (bonferroni && 1.0 / (atoi (E2E_SURR) + 1) < ALPHA / pairs->len)
        g_assert_cmpint (strict, ==, 0);
      sig += n;
      rows += pairs->len;
    }
  allowed = (int) ceil (ALPHA * rows);
  g_test_message ("%s: control run: %d of %d pairs significant (expected under the null %.1f, "
                  "allowed %d)", label, sig, rows, ALPHA * rows, allowed);
  if (count_bound)
    g_assert_cmpint (sig, <=, allowed);
}

/* One demo for every test of this file: generating it is most of the
 * run time. */
static Demo *shared_demo;

static Demo *
demo_get (void)
{
  if (shared_demo == NULL)
    shared_demo = demo_make ();
  return shared_demo;
}

static void
test_demo_ica (void)
{
  Demo *demo = demo_get ();
  g_autofree char *derivs = g_build_filename (demo->root, "derivatives", "syncact", NULL);
  const char *extra[] = { "--arch", "ica", NULL };
  int recovered, significant = 0;

  syncact_run (demo, derivs, extra);
  recovered = count_recovered (demo, derivs, "ica", &significant);
  check_control (derivs, "ica", TRUE, TRUE);
  /* Most planted networks (3 of 4), each planted pair significant.
   * Measured with these settings: 4 of 4 on seeds 1, 2 and 3 (best spatial
   * |r| 0.57-0.83, every planted pair p_fwer 0.002, the smallest 500
   * surrogates give); after the demo movie was made byte-reproducible,
   * 4 of 4 again on seed 1. The bound leaves one miss of room for other
   * seeds (SYNCACT_E2E_SEED). */
  g_assert_cmpint (recovered, >=, ICA_MIN_RECOVERED);
  g_assert_cmpint (significant, ==, E2E_NETWORKS);
}

/* Issue 7: the paper's autoencoder with its maps rotated by ICA, end to
 * end on the same demo. Kept short (30 epochs: the autoencoder is far from
 * converged, its test reconstruction R² below 0), so it is held only to a
 * run that recovers a network, with the control run held to the
 * Bonferroni check (see check_control): measured 4, 3 and 1 of 4 on seeds
 * 1, 2 and 3 (the misses: two networks in one rotated FBN), and 2 of 4 on
 * seed 1 with the reproducible movie; its control count (7 of 88, in
 * clumps) is logged only. Group ICA is what the demo and the GUI use. */
static void
test_demo_msa_rotate (void)
{
  Demo *demo = demo_get ();
  g_autofree char *derivs = g_build_filename (demo->root, "derivatives", "msa-rotate", NULL);
  const char *extra[] = { "--arch", "msa", "--rotate", "ica", "--epochs", MSA_EPOCHS, NULL };
  int recovered, significant = 0;

  syncact_run (demo, derivs, extra);
  recovered = count_recovered (demo, derivs, "msa+rotate", &significant);
  check_control (derivs, "msa+rotate", FALSE, TRUE);
  g_assert_cmpint (recovered, >=, MSA_MIN_RECOVERED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  int status;

  g_test_add_func ("/cli/e2e/demo-ica-recovers", test_demo_ica);
  g_test_add_func ("/cli/e2e/demo-msa-rotate-recovers", test_demo_msa_rotate);
  status = g_test_run ();
  if (shared_demo != NULL)
    demo_free (shared_demo);
  return status;
}
