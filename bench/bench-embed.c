/* bench-embed: seconds per training epoch of the embedding, and peak RSS.
 *
 *   bench-embed SUBJECTS TRS VOXELS FBNS ARCH EPOCHS WINDOW BATCH [DIR]
 *
 * Synthetic z-scored-like data (standard normal, seeded). With DIR, each
 * subject is written to DIR/sub-N.f32 and trained from memory maps that are
 * opened per window and dropped after it, as the run cache is; without DIR
 * the subjects are generated in RAM. Prints one JSON object.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "compute/embed/train.h"

typedef struct {
  char         *dir;
  GMappedFile **open;   /* per subject, while acquired */
} Mapped;

static const float *
mapped_acquire (gpointer  user_data,
                guint     subject,
                guint     run,
                GError  **error)
{
  Mapped *m = user_data;
  g_autofree char *path = g_strdup_printf ("%s/sub-%u.f32", m->dir, subject);

  m->open[subject] = g_mapped_file_new (path, FALSE, error);
  return m->open[subject] ? (const float *) g_mapped_file_get_contents (m->open[subject]) : NULL;
}

static void
mapped_release (gpointer user_data,
                guint    subject,
                guint    run)
{
  Mapped *m = user_data;

  g_clear_pointer (&m->open[subject], g_mapped_file_unref);
}

static void
fill_normal (GRand *rand, float *x, gsize n)
{
  for (gsize i = 0; i + 1 < n; i += 2)
    {
      double u = g_rand_double_range (rand, 1e-12, 1), v = g_rand_double (rand);
      double r = sqrt (-2 * log (u));

      x[i] = (float) (r * cos (2 * G_PI * v));
      x[i + 1] = (float) (r * sin (2 * G_PI * v));
    }
}

static double epoch_start;
static double epoch_cpu_start;
static GArray *epoch_seconds;
static GArray *epoch_cpu;

/* User + system CPU seconds of this process: on a shared machine, what the
 * work costs regardless of how long others kept it waiting. */
static double
cpu_seconds (void)
{
  struct rusage u;

  getrusage (RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec
         + u.ru_stime.tv_usec / 1e6;
}

static void
on_epoch (const SaEmbedEpoch *epoch,
          gpointer            user_data)
{
  double now = g_get_monotonic_time () / 1e6;
  double cpu = cpu_seconds ();
  double dt = now - epoch_start, dc = cpu - epoch_cpu_start;

  g_array_append_val (epoch_seconds, dt);
  g_array_append_val (epoch_cpu, dc);
  epoch_start = now;
  epoch_cpu_start = cpu;
  g_free (epoch->w);
  g_free (epoch->l);
}

int
main (int argc, char **argv)
{
  int subjects, t, m, epochs;
  gint64 n;
  SaEmbedOptions options;
  g_autoptr(SaEmbedSource) source = NULL;
  g_autoptr(SaEmbedResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autoptr(GPtrArray) buffers = g_ptr_array_new_with_free_func (g_free);
  Mapped mapped = { 0 };
  struct rusage usage;
  double t0;

  if (argc < 9)
    {
      fprintf (stderr, "usage: bench-embed SUBJECTS TRS VOXELS FBNS ARCH EPOCHS WINDOW BATCH [DIR]\n");
      return 2;
    }
  subjects = atoi (argv[1]);
  t = atoi (argv[2]);
  n = g_ascii_strtoll (argv[3], NULL, 10);
  m = atoi (argv[4]);
  epochs = atoi (argv[6]);

  sa_embed_options_init (&options);
  options.m = m;
  if (!sa_embed_arch_parse (argv[5], &options.arch))
    return 2;
  options.epochs = epochs;
  options.window = atoi (argv[7]);
  options.batch = atoi (argv[8]);
  options.device = "cpu";
  options.epoch_func = on_epoch;
  epoch_seconds = g_array_new (FALSE, FALSE, sizeof (double));
  epoch_cpu = g_array_new (FALSE, FALSE, sizeof (double));

  if (argc > 9)
    {
      g_autofree float *x = g_new (float, (gsize) t * n);

      mapped.dir = argv[9];
      mapped.open = g_new0 (GMappedFile *, subjects);
      source = sa_embed_source_new (n, mapped_acquire, mapped_release, &mapped, NULL);
      for (int s = 0; s < subjects; s++)
        {
          g_autofree char *path = g_strdup_printf ("%s/sub-%d.f32", mapped.dir, s);
          g_autofree char *name = g_strdup_printf ("%03d", s);

          if (!g_file_test (path, G_FILE_TEST_EXISTS))
            {
              fill_normal (rand, x, (gsize) t * n);
              if (!g_file_set_contents (path, (const char *) x, (gssize) t * n * 4, &error))
                {
                  fprintf (stderr, "%s\n", error->message);
                  return 1;
                }
            }
          sa_embed_source_add_run (source, name, "task-movie", t, path);
        }
    }
  else
    {
      source = sa_embed_source_new_memory (n);
      for (int s = 0; s < subjects; s++)
        {
          float *x = g_new (float, (gsize) t * n);
          g_autofree char *name = g_strdup_printf ("%03d", s);

          fill_normal (rand, x, (gsize) t * n);
          g_ptr_array_add (buffers, x);
          sa_embed_source_add_memory_run (source, name, "task-movie", x, t);
        }
    }

  t0 = epoch_start = g_get_monotonic_time () / 1e6;
  epoch_cpu_start = cpu_seconds ();
  result = sa_embed_train (source, &options, NULL, NULL, &error);
  if (result == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  getrusage (RUSAGE_SELF, &usage);
  printf ("{\"epoch_s\": [");
  for (guint i = 0; i < epoch_seconds->len; i++)
    printf ("%s%.3f", i ? ", " : "", g_array_index (epoch_seconds, double, i));
  printf ("], \"epoch_cpu_s\": [");
  for (guint i = 0; i < epoch_cpu->len; i++)
    printf ("%s%.3f", i ? ", " : "", g_array_index (epoch_cpu, double, i));
  printf ("], \"total_s\": %.3f, \"peak_rss_mb\": %.1f, \"train_subjects\": %u, "
          "\"final_val_loss\": %.5f}\n",
          g_get_monotonic_time () / 1e6 - t0, usage.ru_maxrss / 1024.0, result->train->len,
          g_array_index (result->val_loss, double, result->val_loss->len - 1));
  g_free (mapped.open);
  return 0;
}
