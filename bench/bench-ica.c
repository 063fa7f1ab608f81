/* bench-ica — spatial group ICA on a planted dataset, timed
 *
 *   bench-ica generate DIR --subjects S --timepoints T --voxels N [--seed K]
 *       writes DIR/sub-NNN.f32 (T × n float32, z-scored per voxel) and
 *       DIR/meta.txt, DIR/truth-maps.f32 (n × K) for the peers to read;
 *   bench-ica run DIR --components M [--out MAPS.f32]
 *       group ICA reading one subject file at a time; prints seconds and
 *       peak RSS (this process only: generation is not measured).
 *
 * scripts/bench.sh ica runs both with bench/bench-ica.py (numpy + sklearn)
 * on the same files and prints the ratio.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "compute/demo/planted.h"
#include "compute/embed/group-ica.h"

typedef struct {
  char  *dir;
  int    n_timepoints;
  float *buffer;
  gint64 n_voxels;
} FileSource;

static gboolean
file_fetch (gpointer      user_data,
            int           subject,
            const float **data,
            int          *n_timepoints,
            GError      **error)
{
  FileSource *fs = user_data;
  g_autofree char *name = g_strdup_printf ("sub-%03d.f32", subject);
  g_autofree char *path = g_build_filename (fs->dir, name, NULL);
  gsize want = sizeof (float) * (gsize) fs->n_timepoints * fs->n_voxels;
  FILE *f = fopen (path, "rb");
  gsize got;

  if (f == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: cannot open", path);
      return FALSE;
    }
  got = fread (fs->buffer, 1, want, f);
  fclose (f);
  if (got != want)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: short file", path);
      return FALSE;
    }
  *data = fs->buffer;
  *n_timepoints = fs->n_timepoints;
  return TRUE;
}

static int
generate (const char *dir, int subjects, int timepoints, gint64 voxels, guint64 seed)
{
  SaPlantedParams p;
  g_autoptr(SaPlanted) planted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *x = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *meta_path = g_build_filename (dir, "meta.txt", NULL);
  g_autofree char *truth_path = g_build_filename (dir, "truth-maps.f32", NULL);
  /* The ellipsoid fills 0.45³·4π/3 ≈ 0.38 of its box; a 5:6:5 box as in
   * a brain at 4 mm. */
  double scale = cbrt (voxels / (0.3817 * 150.0));

  sa_planted_params_init (&p);
  p.nx = (int) ceil (5 * scale);
  p.ny = (int) ceil (6 * scale);
  p.nz = (int) ceil (5 * scale);
  p.n_subjects = subjects;
  p.n_timepoints = timepoints;
  p.n_networks = 16;
  p.seed = seed;
  planted = sa_planted_new (&p, &error);
  if (planted == NULL)
    {
      g_printerr ("bench-ica: %s\n", error->message);
      return 1;
    }
  g_mkdir_with_parents (dir, 0755);
  x = g_new (float, (gsize) timepoints * planted->n_voxels);
  for (int s = 0; s < subjects; s++)
    {
      g_autofree char *name = g_strdup_printf ("sub-%03d.f32", s);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (!sa_planted_subject (planted, s, x, NULL, &error)
          || !g_file_set_contents (path, (const char *) x,
                                   sizeof (float) * timepoints * planted->n_voxels, &error))
        {
          g_printerr ("bench-ica: %s\n", error->message);
          return 1;
        }
    }
  if (!g_file_set_contents (truth_path, (const char *) planted->maps,
                            sizeof (float) * planted->n_voxels * p.n_networks, &error))
    {
      g_printerr ("bench-ica: %s\n", error->message);
      return 1;
    }
  meta = g_strdup_printf ("%d %d %" G_GINT64_FORMAT " %d\n", subjects, timepoints,
                          planted->n_voxels, p.n_networks);
  g_file_set_contents (meta_path, meta, -1, NULL);
  printf ("generated %d subjects x %d TRs x %" G_GINT64_FORMAT " voxels (grid %dx%dx%d), "
          "%d planted networks in %s\n", subjects, timepoints, planted->n_voxels,
          p.nx, p.ny, p.nz, p.n_networks, dir);
  return 0;
}

static int
run (const char *dir, int m, const char *out)
{
  g_autofree char *meta_path = g_build_filename (dir, "meta.txt", NULL);
  g_autofree char *meta = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaGroupIca) ica = NULL;
  FileSource fs = { (char *) dir, 0, NULL, 0 };
  SaSubjectSource source;
  SaGroupIcaParams params;
  int subjects = 0, networks = 0;
  gint64 t0, t1;
  struct rusage usage;

  if (!g_file_get_contents (meta_path, &meta, NULL, &error)
      || sscanf (meta, "%d %d %" G_GINT64_FORMAT " %d", &subjects, &fs.n_timepoints,
                 &fs.n_voxels, &networks) != 4)
    {
      g_printerr ("bench-ica: %s: cannot read the dataset description\n", meta_path);
      return 1;
    }
  fs.buffer = g_new (float, (gsize) fs.n_timepoints * fs.n_voxels);
  source.n_subjects = subjects;
  source.n_voxels = fs.n_voxels;
  source.fetch = file_fetch;
  source.user_data = &fs;
  sa_group_ica_params_init (&params);
  params.n_components = m;

  t0 = g_get_monotonic_time ();
  ica = sa_group_ica_run (&source, NULL, subjects, &params, NULL, NULL, &error);
  t1 = g_get_monotonic_time ();
  g_free (fs.buffer);
  if (ica == NULL)
    {
      g_printerr ("bench-ica: %s\n", error->message);
      return 1;
    }
  getrusage (RUSAGE_SELF, &usage);
  if (out != NULL)
    g_file_set_contents (out, (const char *) ica->maps,
                         sizeof (float) * fs.n_voxels * m, NULL);
  printf ("syncact group ICA: %.2f s, peak RSS %.0f MiB, CPU %.2f s, FastICA %d iterations%s, "
          "explained %.3f\n", (t1 - t0) / 1e6, usage.ru_maxrss / 1024.0,
          usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
          + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6, ica->ica.n_iter,
          ica->ica.converged ? "" : " (not converged)", ica->explained);
  return 0;
}

int
main (int argc, char **argv)
{
  int subjects = 10, timepoints = 300, m = 64;
  gint64 voxels = 28000;
  guint64 seed = 1;
  g_autofree char *out = NULL;
  GOptionEntry entries[] = {
    { "subjects", 0, 0, G_OPTION_ARG_INT, &subjects, "Subjects", "S" },
    { "timepoints", 0, 0, G_OPTION_ARG_INT, &timepoints, "TRs per subject", "T" },
    { "voxels", 0, 0, G_OPTION_ARG_INT64, &voxels, "Voxels in the mask (about)", "N" },
    { "components", 0, 0, G_OPTION_ARG_INT, &m, "ICA components", "M" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed", "K" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Write the maps (n x m float32)", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("generate|run DIR");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 3)
    {
      g_printerr ("usage: bench-ica generate|run DIR [options]\n");
      return 2;
    }
  if (g_str_equal (argv[1], "generate"))
    return generate (argv[2], subjects, timepoints, voxels, seed);
  if (g_str_equal (argv[1], "run"))
    return run (argv[2], m, out);
  g_printerr ("usage: bench-ica generate|run DIR [options]\n");
  return 2;
}
