#include "config.h"

#include <glib/gi18n.h>

#include "compute/embed/train.h"
#include "compute/embed/train-private.h"

#include <math.h>
#include <string.h>

#include "compute/error.h"

/* One generator per (seed, stream): the split uses stream 0, the shuffle of
 * epoch e stream e + 1, so a resumed run draws what an uninterrupted one did. */
GRand *
sa_embed_rand (guint64 seed,
               guint32 stream)
{
  guint32 key[3] = { (guint32) seed, (guint32) (seed >> 32), stream };

  return g_rand_new_with_seed_array (key, 3);
}

void
sa_embed_shuffle (GRand *rand,
                  guint *items,
                  guint  n)
{
  for (guint i = n; i > 1; i--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) i);
      guint tmp = items[i - 1];

      items[i - 1] = items[j];
      items[j] = tmp;
    }
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return (x > y) - (x < y);
}

static GArray *
lookup_subjects (SaEmbedSource      *source,
                 const char *const  *names,
                 const char         *part,
                 GError            **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      int index = sa_embed_source_find_subject (source, names[i]);
      guint u;

      if (index < 0)
        {
          sa_set_error (error, SA_ERROR_NOT_FOUND, NULL,
                        _("%s subject \"%s\" is not in the dataset"), part, names[i]);
          return NULL;
        }
      u = (guint) index;
      g_array_append_val (out, u);
    }
  if (out->len == 0)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("an explicit split needs at least one %s subject"), part);
      return NULL;
    }
  return g_steal_pointer (&out);
}

gboolean
sa_embed_split (SaEmbedSource         *source,
                const SaEmbedOptions  *options,
                GArray               **train,
                GArray               **val,
                GArray               **test,
                GError               **error)
{
  guint n = sa_embed_source_n_subjects (source);
  guint n_test, n_val;
  g_autofree guint *order = NULL;
  g_autoptr(GRand) rand = NULL;

  if (options->train_subjects != NULL || options->val_subjects != NULL
      || options->test_subjects != NULL)
    {
      g_autoptr(GArray) a = lookup_subjects (source, options->train_subjects, "training", error);
      g_autoptr(GArray) b = a ? lookup_subjects (source, options->val_subjects, "validation", error) : NULL;
      g_autoptr(GArray) c = b ? lookup_subjects (source, options->test_subjects, "test", error) : NULL;

      if (c == NULL)
        return FALSE;
      *train = g_steal_pointer (&a);
      *val = g_steal_pointer (&b);
      *test = g_steal_pointer (&c);
      return TRUE;
    }

  if (n < 3)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("the embedding needs at least 3 subjects for its "
                    "train/validation/test split (60/10/30, one at least in each); "
                    "the dataset has %u"), n);
      return FALSE;
    }
  n_test = MAX (1, (guint) lround (0.3 * n));
  n_val = MAX (1, (guint) lround (0.1 * n));
  if (n_test + n_val >= n)
    n_test = n - n_val - 1;

  order = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    order[i] = i;
  rand = sa_embed_rand (options->seed, 0);
  sa_embed_shuffle (rand, order, n);

  *train = g_array_new (FALSE, FALSE, sizeof (guint));
  *val = g_array_new (FALSE, FALSE, sizeof (guint));
  *test = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_vals (*train, order, n - n_val - n_test);
  g_array_append_vals (*val, order + n - n_val - n_test, n_val);
  g_array_append_vals (*test, order + n - n_test, n_test);
  g_array_sort (*train, compare_uint);
  g_array_sort (*val, compare_uint);
  g_array_sort (*test, compare_uint);
  return TRUE;
}

GArray *
sa_embed_windows (SaEmbedSource *source,
                  GArray        *subjects,
                  int            window,
                  GError       **error)
{
  g_autoptr(GArray) windows = g_array_new (FALSE, FALSE, sizeof (Window));

  for (guint i = 0; i < subjects->len; i++)
    {
      guint s = g_array_index (subjects, guint, i);

      for (guint r = 0; r < sa_embed_source_n_runs (source, s); r++)
        {
          const SaEmbedRun *run = sa_embed_source_run (source, s, r);

          if (run->n_timepoints < window)
            {
              sa_set_error (error, SA_ERROR_MISMATCH, run->label,
                            _("run has %d TRs, fewer than the training window of %d TRs"),
                            run->n_timepoints, window);
              return NULL;
            }
          /* Non-overlapping windows: each TR is seen once per epoch. */
          for (int start = 0; start + window <= run->n_timepoints; start += window)
            {
              Window w = { s, r, start };

              g_array_append_val (windows, w);
            }
        }
    }
  return g_steal_pointer (&windows);
}

int
sa_embed_shortest_run (SaEmbedSource *source,
                       GArray        *a,
                       GArray        *b)
{
  int shortest = G_MAXINT;
  GArray *parts[2] = { a, b };

  for (int p = 0; p < 2; p++)
    for (guint i = 0; i < parts[p]->len; i++)
      {
        guint s = g_array_index (parts[p], guint, i);

        for (guint r = 0; r < sa_embed_source_n_runs (source, s); r++)
          shortest = MIN (shortest, sa_embed_source_run (source, s, r)->n_timepoints);
      }
  return shortest;
}
