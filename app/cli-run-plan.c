/* syncact run: each step's share of the one progress bar.
 *
 * The shares are estimated seconds, from per-unit costs measured on the
 * project's 2-core machine with the default demo (8 subjects × 2 runs ×
 * 150 TRs on a 45 × 54 × 45 grid, 64 FBNs, builtin:democnn conv3, 1000
 * surrogates): group ICA 37 s, atlas labels 1.4 s, extraction 2.4–4.5 s
 * per run, pairing 0.3 s, the frames of cross-annotation 2.1 s. Training
 * an autoencoder is scaled from STACK-NOTES (≈ 3 s per step of 4 × 900
 * TRs × 28k voxels). Only the ratios matter; a step that will be reused
 * gets almost none. */
#include "config.h"

#include <string.h>

#include "app/cli-run.h"

#define REUSED_S          0.05
#define ICA_S_PER_VOXEL   1.4e-7   /* per TR × grid voxel: caching, group PCA, FastICA */
#define DUAL_S_PER_VOXEL  3e-8     /* per TR × grid voxel: caching and dual regression */
#define EPOCH_S_PER_VOXEL 7.4e-9   /* per TR × grid voxel × epoch of training */
#define ATLAS_S           1.5
#define EXTRACT_S_PER_TR  0.02     /* builtin:democnn at 256 × 180 */
#define EXTRACT_FILE_S    0.1      /* a TorchScript file: a torchvision-sized model */
#define NULL_S_PER_UNIT   7e-12    /* per FBN × filter × surrogate × TR */
#define CROSS_S_PER_TR    0.014

char *
sa_run_entity_value (const char *text,
                     gboolean    strip_extension)
{
  g_autofree char *base = NULL;
  GString *s = g_string_new (NULL);
  const char *colon = strrchr (text, ':');
  char *dot;

  base = g_path_get_basename (colon != NULL ? colon + 1 : text);
  if (strip_extension && (dot = strrchr (base, '.')) != NULL && dot != base)
    *dot = '\0';
  for (const char *p = base; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (s, *p);
  if (s->len == 0)
    g_string_append (s, "x");
  return g_string_free (s, FALSE);
}

char *
sa_run_pairs_prefix (const char *run_key,
                     const char *model_value,
                     const char *layer)
{
  g_autofree char *layer_value = sa_run_entity_value (layer, FALSE);

  return g_strdup_printf ("%s_model-%s_layer-%s", run_key, model_value, layer_value);
}

static gboolean
newer (const char *a,
       const char *b)
{
  gint64 ta = sa_run_mtime_of (a);

  return ta >= 0 && ta >= sa_run_mtime_of (b);
}

double *
sa_run_plan (const RunOptions *o,
             SaBidsDataset    *dataset,
             const char       *prefix,
             const char       *model_value,
             int              *n_weights)
{
  guint n_layers = g_strv_length (o->layers);
  int n = 2 + 3 * (int) (dataset->run_keys->len * n_layers), w = 0;
  double *weights = g_new0 (double, n), total = 0, trs = 0, grid = 1;
  gboolean builtin = g_str_has_prefix (o->model, "builtin:");
  int width = 256, height = 180, k_guess = builtin ? 64 : 512;
  const char *arch = o->maps != NULL ? "maps" : o->arch != NULL ? o->arch : "msa";
  gboolean train_reused = sa_run_train_reusable (o, dataset, prefix);

  if (o->size != NULL)
    sa_cli_parse_size (o->size, &width, &height, NULL);
  for (guint i = 0; i < dataset->runs->len; i++)
    {
      SaBidsRun *run = g_ptr_array_index (dataset->runs, i);

      trs += run->dims[3];
      grid = (double) run->dims[0] * run->dims[1] * run->dims[2];
    }
  if (train_reused)
    weights[w++] = REUSED_S;
  else if (g_str_equal (arch, "ica"))
    weights[w++] = trs * grid * ICA_S_PER_VOXEL;
  else if (g_str_equal (arch, "maps"))
    weights[w++] = trs * grid * DUAL_S_PER_VOXEL;
  else
    weights[w++] = trs * grid * (o->epochs * EPOCH_S_PER_VOXEL + DUAL_S_PER_VOXEL
                                 + (o->rotate != NULL ? ICA_S_PER_VOXEL : 0));
  weights[w++] = train_reused || o->fbn_labels != NULL ? REUSED_S : ATLAS_S;

  for (guint k = 0; k < dataset->run_keys->len; k++)
    {
      const char *run_key = g_ptr_array_index (dataset->run_keys, k);
      g_autoptr(GPtrArray) runs = sa_bids_runs_for_key (dataset, run_key);
      SaBidsRun *run = runs->len > 0 ? g_ptr_array_index (runs, 0) : NULL;
      double n_tr = run != NULL ? run->dims[3] : 1;

      for (guint l = 0; l < n_layers; l++)
        {
          g_autofree char *pp = sa_run_pairs_prefix (run_key, model_value, o->layers[l]);
          g_autofree char *h5 = g_strdup_printf ("%s/%s_desc-activations_stim.h5", o->out, pp);
          g_autofree char *pairs = g_strdup_printf ("%s/%s_desc-fbn2filter_pairs.tsv", o->out, pp);
          g_autofree char *json = g_strdup_printf ("%s/%s_desc-crossannotation.json", o->out, pp);
          gboolean extract_reused = run != NULL && newer (h5, run->movie_path);
          gboolean pairs_reused = train_reused && extract_reused && newer (pairs, h5);

          weights[w++] = extract_reused ? REUSED_S
                         : 1.0 + n_tr * (builtin ? EXTRACT_S_PER_TR : EXTRACT_FILE_S)
                                 * width * height / (256.0 * 180.0);
          weights[w++] = pairs_reused ? REUSED_S
                         : 0.3 + NULL_S_PER_UNIT * o->fbns * k_guess * o->surrogates * n_tr;
          weights[w++] = pairs_reused && newer (json, pairs) ? REUSED_S : 0.3 + CROSS_S_PER_TR * n_tr;
        }
    }
  g_assert (w == n);
  for (int i = 0; i < n; i++)
    total += weights[i];
  for (int i = 0; i < n; i++)
    weights[i] /= total;
  *n_weights = n;
  return weights;
}
