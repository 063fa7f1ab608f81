/* The embedding on planted networks (compute/demo/planted.h): do the FBN
 * time courses of held-out subjects capture every planted source? */
#include "config.h"

#include <glib.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "compute/demo/planted.h"
#include "compute/embed/train.h"
#include "tests/testutil.h"

#define N_SUBJECTS 10
#define N_TIMEPOINTS 150
#define N_NETWORKS 6
#define N_FBNS 16

typedef struct {
  SaPlanted     *planted;
  SaEmbedSource *source;
  float         *data[N_SUBJECTS];
} Fixture;

static Fixture *fixture;

static void
fixture_setup (void)
{
  SaPlantedParams params;
  g_autoptr(GError) error = NULL;

  sa_planted_params_init (&params);
  /* An ellipsoid mask of about 2000 voxels. */
  params.nx = 18;
  params.ny = 18;
  params.nz = 16;
  params.n_subjects = N_SUBJECTS;
  params.n_timepoints = N_TIMEPOINTS;
  params.n_networks = N_NETWORKS;
  params.seed = 3;
  /* Fixed here, not inherited from the generator's defaults: the bar below
   * was measured on this noise. */
  params.snr = 2.0;
  params.structured_fraction = 0.5;
  params.noise_ar = 0.5;
  params.noise_sigma = 1.5;
  fixture = g_new0 (Fixture, 1);
  fixture->planted = sa_planted_new (&params, &error);
  g_assert_no_error (error);
  fixture->source = sa_embed_source_new_memory (fixture->planted->n_voxels);
  for (int s = 0; s < N_SUBJECTS; s++)
    {
      g_autofree char *name = g_strdup_printf ("%02d", s + 1);

      fixture->data[s] = g_new (float, (gsize) N_TIMEPOINTS * fixture->planted->n_voxels);
      g_assert_true (sa_planted_subject (fixture->planted, s, fixture->data[s], NULL, &error));
      sa_embed_source_add_memory_run (fixture->source, name, "task-movie_run-1",
                                      fixture->data[s], N_TIMEPOINTS);
    }
}

/* Least squares of y (T) on [1, X] (T × p, float row-major): the R² of the
 * fit and, when @beta is not NULL, the p slopes. */
static double
regress (const float *x, int p, const double *y, int t, double *beta)
{
  g_autofree double *a = g_new (double, (gsize) t * (p + 1));
  g_autofree double *b = g_new (double, t);
  double mean = 0, sse = 0, sst = 0;

  for (int i = 0; i < t; i++)
    {
      a[i * (p + 1)] = 1;
      for (int j = 0; j < p; j++)
        a[i * (p + 1) + j + 1] = x[i * p + j];
      b[i] = y[i];
      mean += y[i] / t;
    }
  g_assert_cmpint (LAPACKE_dgels (LAPACK_ROW_MAJOR, 'N', t, p + 1, 1, a, p + 1, b, 1), ==, 0);
  for (int i = 0; i < t; i++)
    {
      double fit = b[0];

      for (int j = 0; j < p; j++)
        fit += b[j + 1] * x[i * p + j];
      sse += (y[i] - fit) * (y[i] - fit);
      sst += (y[i] - mean) * (y[i] - mean);
    }
  if (beta != NULL)
    memcpy (beta, b + 1, p * sizeof (double));
  /* Adjusted: p regressors on t points explain p / t of pure noise. */
  return 1 - (sse / sst) * (t - 1) / (t - p - 1);
}

static double
pearson (const double *a, const double *b, int n, int stride_a, int stride_b)
{
  double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;

  for (int i = 0; i < n; i++)
    {
      ma += a[i * stride_a] / n;
      mb += b[i * stride_b] / n;
    }
  for (int i = 0; i < n; i++)
    {
      double da = a[i * stride_a] - ma, db = b[i * stride_b] - mb;

      sab += da * db;
      saa += da * da;
      sbb += db * db;
    }
  return sab / sqrt (saa * sbb);
}

typedef struct {
  double min_r2;        /* worst source's R², worst test subject */
  double mean_best_r;   /* mean over sources of the best single-FBN |r| (test mean) */
  double min_map_r;     /* worst source: r(planted map, W·β) */
  double max_peak_d;    /* worst source: voxels from W·β's peak to the planted centre */
  double test_r2;       /* reconstruction */
} Scores;

static Scores
score (SaEmbedResult *result, const char *label)
{
  const SaPlanted *planted = fixture->planted;
  const SaEmbedCourses *mean = sa_embed_result_mean (result, NULL);
  int m = result->m, t = N_TIMEPOINTS;
  gint64 n = planted->n_voxels;
  Scores out = { 1.0, 0, 1.0, 0, result->test_r2 };
  g_autofree double *y = g_new (double, t);
  g_autofree double *beta = g_new (double, m);
  g_autofree double *lm = g_new (double, (gsize) t * m);
  g_autofree double *map = g_new (double, n);
  g_autofree double *truth = g_new (double, n);
  GString *line = g_string_new (NULL);

  for (int i = 0; i < t * m; i++)
    lm[i] = mean->l[i];
  for (int k = 0; k < N_NETWORKS; k++)
    {
      double worst = 1, best_r = 0, map_r, group, peak = -1, d = 0;
      gint64 at = 0;

      for (int i = 0; i < t; i++)
        y[i] = planted->time_courses[i * N_NETWORKS + k];
      /* Each held-out subject on its own: every FBN is a regressor. */
      for (guint c = 0; c < result->courses->len; c++)
        {
          SaEmbedCourses *courses = g_ptr_array_index (result->courses, c);

          if (courses->subject != NULL)
            worst = MIN (worst, regress (courses->l, m, y, t, NULL));
        }
      for (int j = 0; j < m; j++)
        best_r = MAX (best_r, fabs (pearson (lm + j, y, t, m, 1)));
      /* The planted map against the FBN maps, reoriented by the weights that
       * best rebuild the source from the FBN time courses. */
      group = regress (mean->l, m, y, t, beta);
      for (gint64 v = 0; v < n; v++)
        {
          map[v] = 0;
          for (int j = 0; j < m; j++)
            map[v] += result->w[v * m + j] * beta[j];
          truth[v] = planted->maps[v * N_NETWORKS + k];
        }
      map_r = pearson (map, truth, (int) n, 1, 1);
      if (map_r < 0)
        for (gint64 v = 0; v < n; v++)
          map[v] = -map[v];
      for (gint64 v = 0; v < n; v++)
        if (map[v] > peak)
          {
            peak = map[v];
            at = planted->index[v];
          }
      {
        int nx = planted->params.nx, ny = planted->params.ny;
        double p[3] = { at % nx, (at / nx) % ny, at / ((gint64) nx * ny) };

        for (int a = 0; a < 3; a++)
          d += (p[a] - planted->centres[k * 3 + a]) * (p[a] - planted->centres[k * 3 + a]);
        d = sqrt (d);
      }
      g_string_append_printf (line, " %d: R2 %.2f (subject %.2f) |r| %.2f map r %.2f peak %.1f vox;",
                              k, group, worst, best_r, fabs (map_r), d);
      out.max_peak_d = MAX (out.max_peak_d, d);
      out.min_r2 = MIN (out.min_r2, group);
      out.mean_best_r += best_r / N_NETWORKS;
      out.min_map_r = MIN (out.min_map_r, fabs (map_r));
    }
  g_test_message ("%s: test reconstruction R2 %.3f, best epoch %d;%s", label, result->test_r2,
                  result->best_epoch, line->str);
  g_string_free (line, TRUE);
  return out;
}

static SaEmbedResult *
train (SaTorchEmbedArch arch, double l1)
{
  SaEmbedOptions options;
  g_autoptr(GError) error = NULL;
  SaEmbedResult *result;

  sa_embed_options_init (&options);
  options.m = N_FBNS;
  options.arch = arch;
  /* lstm keeps the 120 epochs it had while it overfitted early: with the
   * residual its best epoch is the last, and it already clears 0.8. */
  options.epochs = arch == SA_TORCH_EMBED_LSTM ? 120 : 150;
  options.window = 50;
  options.l1 = l1;
  options.seed = 1;
  options.device = "cpu";
  result = sa_embed_train (fixture->source, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  return result;
}

/* Trained once per architecture; the L1 comparison reuses msa. */
static SaEmbedResult *trained[3];

static SaEmbedResult *
trained_for (SaTorchEmbedArch arch)
{
  if (trained[arch] == NULL)
    trained[arch] = train (arch, 0);
  return trained[arch];
}

static void
test_capture (gconstpointer data)
{
  SaTorchEmbedArch arch = GPOINTER_TO_INT (data);
  SaEmbedResult *result = trained_for (arch);
  Scores s = score (result, sa_embed_arch_name (arch));

  /* Reconstruction of unseen subjects: the shared networks carry over. */
  g_assert_cmpfloat (s.test_r2, >, 0.1);
  /* Every planted source lies in the span of the held-out FBN time courses
   * (adjusted R², mean over the test subjects as the paper's g_j). */
  g_assert_cmpfloat (s.min_r2, >=, 0.8);
  /* ... and the maps, reoriented by the same weights, load on the planted
   * blob: r over ~2000 voxels, where chance gives |r| ~ 0.02. (The peak
   * voxel, printed, is a noisier witness: W·β is a spatial filter.) */
  g_assert_cmpfloat (s.min_map_r, >=, 0.25);
}

/* Beyond the paper: L1 on W. Reported (the test prints both), with the
 * group capture required to survive the penalty. */
static void
test_l1 (void)
{
  g_autoptr(SaEmbedResult) sparse = train (SA_TORCH_EMBED_MSA, 0.05);
  Scores a = score (trained_for (SA_TORCH_EMBED_MSA), "msa");
  Scores b = score (sparse, "msa + L1 0.05");

  g_test_message ("best single-FBN |r|, mean over sources: %.3f without L1, %.3f with; "
                  "worst source R2 %.3f / %.3f", a.mean_best_r, b.mean_best_r, a.min_r2, b.min_r2);
  g_assert_cmpfloat (b.min_r2, >=, 0.8);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture_setup ();
  g_test_add_data_func ("/compute/embed/planted/capture-lt", GINT_TO_POINTER (SA_TORCH_EMBED_LT),
                        test_capture);
  g_test_add_data_func ("/compute/embed/planted/capture-lstm",
                        GINT_TO_POINTER (SA_TORCH_EMBED_LSTM), test_capture);
  g_test_add_data_func ("/compute/embed/planted/capture-msa",
                        GINT_TO_POINTER (SA_TORCH_EMBED_MSA), test_capture);
  g_test_add_func ("/compute/embed/planted/l1", test_l1);
  status = g_test_run ();
  for (int i = 0; i < 3; i++)
    sa_embed_result_free (trained[i]);
  sa_embed_source_free (fixture->source);
  for (int s = 0; s < N_SUBJECTS; s++)
    g_free (fixture->data[s]);
  sa_planted_free (fixture->planted);
  g_free (fixture);
  return status;
}
