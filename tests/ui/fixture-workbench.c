#include "config.h"

#include "tests/ui/fixture-workbench.h"

#include <math.h>
#include <stdlib.h>

static double
pearson (const float *a, const float *b, int n)
{
  double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;

  for (int i = 0; i < n; i++)
    {
      ma += a[i];
      mb += b[i];
    }
  ma /= n;
  mb /= n;
  for (int i = 0; i < n; i++)
    {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
  return sab / sqrt (saa * sbb);
}

/* Three FBNs: the fixture's map, its mirror image, and a map peaking at the
 * negative blob; five filters, filter 3 tracks FBN 0, filter 1 tracks FBN 1,
 * FBN 2 pairs with whichever filter happens to be best. */
SaWorkbench *
sa_fixture_workbench_new (SaFixture *f,
                          int        fw,
                          int        fh)
{
  SaWorkbench *wb = sa_workbench_new ();
  const SaSliceVolume *ov = &f->overlay;
  gsize vox = (gsize) ov->nx * ov->ny * ov->nz;
  g_autofree float *maps = g_new0 (float, vox * SA_FIXTURE_N_FBN);
  g_autofree float *fbn = g_new (float, SA_FIXTURE_N_FBN * f->n_tr);
  g_autofree float *filters = g_new (float, SA_FIXTURE_N_FILTER * f->n_tr);
  g_autofree float *r = g_new (float, SA_FIXTURE_N_FBN * SA_FIXTURE_N_FILTER);
  g_autofree guint8 *frames = g_new (guint8, (gsize) fw * fh * 3 * f->n_tr);
  SaPair pairs[SA_FIXTURE_N_FBN];
  const char *fbn_labels[] = { "Right parietal", "Left parietal", "Left occipital", NULL };

  for (gsize v = 0; v < vox; v++)
    {
      int i = v % ov->nx;
      gsize mirror = v - i + (ov->nx - 1 - i);

      maps[v] = ov->data[v] > 0 ? ov->data[v] : 0;
      maps[vox + mirror] = maps[v] * 0.8f;
      maps[2 * vox + v] = ov->data[v] < 0 ? -ov->data[v] * 0.6f : 0;
    }
  for (int t = 0; t < f->n_tr; t++)
    {
      fbn[0 * f->n_tr + t] = f->fbn[t];
      fbn[1 * f->n_tr + t] = (float) cos (2 * G_PI * t / 17.0) + 0.3f * (float) sin (t * 1.3);
      fbn[2 * f->n_tr + t] = (float) sin (2 * G_PI * t / 45.0);
      for (int k = 0; k < SA_FIXTURE_N_FILTER; k++)
        filters[k * f->n_tr + t] = (float) sin (t * (0.37 + 0.11 * k) + k);
      filters[3 * f->n_tr + t] = f->filter[t];
      filters[1 * f->n_tr + t] = (float) cos (2 * G_PI * t / 17.0);
      for (int p = 0; p < fw * fh; p++)
        {
          guint8 *px = frames + ((gsize) t * fw * fh + p) * 3;
          int x = p % fw, y = p / fw;
          gboolean square = abs (x - (t * 2) % fw) < 6 && abs (y - fh / 2) < 6;

          px[0] = square ? 255 : (guint8) (t * 2);
          px[1] = square ? 255 : (guint8) (y * 255 / fh);
          px[2] = square ? 255 : (guint8) (255 - x * 255 / fw);
        }
    }
  for (int i = 0; i < SA_FIXTURE_N_FBN; i++)
    {
      int best = 0;

      for (int k = 0; k < SA_FIXTURE_N_FILTER; k++)
        {
          r[i * SA_FIXTURE_N_FILTER + k] = (float) pearson (fbn + i * f->n_tr, filters + k * f->n_tr, f->n_tr);
          if (r[i * SA_FIXTURE_N_FILTER + k] > r[i * SA_FIXTURE_N_FILTER + best])
            best = k;
        }
      pairs[i] = (SaPair) { i, best, r[i * SA_FIXTURE_N_FILTER + best], 1e-4, 1e-3, r[i * SA_FIXTURE_N_FILTER + best] > 0.5 };
    }

  sa_workbench_set_anatomy (wb, f->anatomy.nx, f->anatomy.ny, f->anatomy.nz, f->anatomy.data,
                            (const double (*)[4]) f->anatomy.affine);
  sa_workbench_set_time_courses (wb, f->tr, f->n_tr, SA_FIXTURE_N_FBN, fbn, SA_FIXTURE_N_FILTER, filters);
  sa_workbench_set_maps (wb, ov->nx, ov->ny, ov->nz, SA_FIXTURE_N_FBN, maps, (const double (*)[4]) ov->affine);
  sa_workbench_set_correlations (wb, r);
  sa_workbench_set_pairs (wb, pairs, SA_FIXTURE_N_FBN);
  /* Eq. 1 too: each filter's best FBN; p_fwer differs from the FBN → filter
   * table's so tests can tell which table a shown pair came from. */
  {
    SaPair filter_pairs[SA_FIXTURE_N_FILTER];

    for (int k = 0; k < SA_FIXTURE_N_FILTER; k++)
      {
        int best = 0;

        for (int i = 1; i < SA_FIXTURE_N_FBN; i++)
          if (r[i * SA_FIXTURE_N_FILTER + k] > r[best * SA_FIXTURE_N_FILTER + k])
            best = i;
        filter_pairs[k] = (SaPair) { best, k, r[best * SA_FIXTURE_N_FILTER + k], 2e-4, 2e-3,
                                     r[best * SA_FIXTURE_N_FILTER + k] > 0.5 };
      }
    sa_workbench_set_filter_pairs (wb, filter_pairs, SA_FIXTURE_N_FILTER);
  }
  sa_workbench_set_labels (wb, fbn_labels, NULL);
  sa_workbench_set_frames (wb, fw, fh, f->n_tr, frames);
  return wb;
}

GtkWidget *
sa_fixture_find_child (GtkWidget *root,
                       GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = sa_fixture_find_child (c, type);

      if (found)
        return found;
    }
  return NULL;
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
sa_fixture_settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}
