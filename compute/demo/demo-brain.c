#include "config.h"

#include "compute/demo/demo-brain.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/nifti.h"

/* ch2better is 0–130 with the brain at 60–115 (measured); 30 separates
 * tissue from the zeroed background with room on both sides. */
#define BRAIN_THRESHOLD 30.0f
/* The MNI152 bounding box (mm), as FSL's 2 mm template spans it. */
static const double MNI_MIN[3] = { -90, -126, -72 };
static const double MNI_MAX[3] = { 90, 90, 108 };

void
sa_demo_brain_free (SaDemoBrain *brain)
{
  if (brain == NULL)
    return;
  g_free (brain->mask);
  g_free (brain->anatomy);
  g_free (brain->labels);
  if (brain->label_names != NULL)
    g_ptr_array_unref (brain->label_names);
  g_free (brain);
}

/* The templates are read into RAS+ order, where their affines are
 * diagonal; a template that is not would need real resampling. */
static gboolean
check_axis_aligned (const SaVolume *vol, const char *path, GError **error)
{
  for (int r = 0; r < 3; r++)
    for (int c = 0; c < 3; c++)
      if ((r == c && vol->affine[r][c] <= 0) || (r != c && fabs (vol->affine[r][c]) > 1e-6))
        {
          sa_set_error (error, SA_ERROR_UNSUPPORTED, path,
                        _("the template's affine is not axis-aligned"));
          return FALSE;
        }
  return TRUE;
}

static inline float
sample (const SaVolume *vol, const double mm[3])
{
  long i = lrint ((mm[0] - vol->affine[0][3]) / vol->affine[0][0]);
  long j = lrint ((mm[1] - vol->affine[1][3]) / vol->affine[1][1]);
  long k = lrint ((mm[2] - vol->affine[2][3]) / vol->affine[2][2]);

  if (i < 0 || j < 0 || k < 0 || i >= vol->nx || j >= vol->ny || k >= vol->nz)
    return 0.0f;
  return vol->data[i + (gsize) vol->nx * (j + (gsize) vol->ny * k)];
}

static GPtrArray *
read_label_names (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  if (!g_file_get_contents (path, &text, NULL, error))
    {
      g_ptr_array_unref (names);
      return NULL;
    }
  g_ptr_array_add (names, g_strdup (""));
  lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      char name[128];
      int index;

      if (sscanf (lines[i], "%d %127s", &index, name) != 2)
        continue;
      if (index <= 0 || index > 255)
        continue;
      while ((int) names->len <= index)
        g_ptr_array_add (names, g_strdup (""));
      g_free (names->pdata[index]);
      names->pdata[index] = g_strdup (name);
    }
  if (names->len < 2)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("no labels found"));
      g_ptr_array_unref (names);
      return NULL;
    }
  return names;
}

SaDemoBrain *
sa_demo_brain_new (const char *templates_dir,
                   double      voxel_size,
                   GError    **error)
{
  const char *dir = templates_dir != NULL ? templates_dir : SA_DEMO_TEMPLATES_DIR;
  g_autofree char *ch2_path = g_build_filename (dir, "ch2better.nii.gz", NULL);
  g_autofree char *aal_path = g_build_filename (dir, "aal.nii.gz", NULL);
  g_autofree char *txt_path = g_build_filename (dir, "aal.nii.txt", NULL);
  g_autoptr(SaVolume) ch2 = NULL;
  g_autoptr(SaVolume) aal = NULL;
  g_autoptr(SaDemoBrain) brain = g_new0 (SaDemoBrain, 1);
  g_autofree guint8 *full_mask = NULL;
  g_autofree float *full_anat = NULL;
  int lo[3], n[3], bmin[3] = { G_MAXINT, G_MAXINT, G_MAXINT }, bmax[3] = { -1, -1, -1 };
  int ns, na;
  double v = voxel_size;

  if (!(voxel_size >= 1.0 && voxel_size <= 12.0))
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("voxel size %g mm is outside 1–12 mm"), voxel_size);
      return NULL;
    }
  if ((ch2 = sa_volume_load (ch2_path, NULL, NULL, error)) == NULL
      || (aal = sa_volume_load (aal_path, NULL, NULL, error)) == NULL
      || !check_axis_aligned (ch2, ch2_path, error)
      || !check_axis_aligned (aal, aal_path, error))
    return NULL;
  if ((brain->label_names = read_label_names (txt_path, error)) == NULL)
    return NULL;

  for (int d = 0; d < 3; d++)
    {
      lo[d] = (int) ceil (MNI_MIN[d] / v);
      n[d] = (int) floor (MNI_MAX[d] / v) - lo[d] + 1;
    }
  /* Sub-samples per axis: every template voxel inside a grid voxel. */
  ns = MAX (1, (int) lrint (v / ch2->affine[0][0]));
  na = MAX (1, (int) lrint (v / aal->affine[0][0]));
  full_mask = g_new0 (guint8, (gsize) n[0] * n[1] * n[2]);
  full_anat = g_new0 (float, (gsize) n[0] * n[1] * n[2]);
  for (int k = 0; k < n[2]; k++)
    for (int j = 0; j < n[1]; j++)
      for (int i = 0; i < n[0]; i++)
        {
          double c[3] = { (lo[0] + i) * v, (lo[1] + j) * v, (lo[2] + k) * v };
          double sum = 0;
          int in = 0;
          gsize f = i + (gsize) n[0] * (j + (gsize) n[1] * k);

          for (int a = 0; a < ns; a++)
            for (int b = 0; b < ns; b++)
              for (int e = 0; e < ns; e++)
                {
                  double mm[3] = { c[0] + ((a + 0.5) / ns - 0.5) * v,
                                   c[1] + ((b + 0.5) / ns - 0.5) * v,
                                   c[2] + ((e + 0.5) / ns - 0.5) * v };
                  float x = sample (ch2, mm);

                  sum += x;
                  in += x > BRAIN_THRESHOLD;
                }
          full_anat[f] = (float) (sum / (ns * ns * ns));
          if (2 * in >= ns * ns * ns)
            {
              int ijk[3] = { i, j, k };

              full_mask[f] = 1;
              for (int d = 0; d < 3; d++)
                {
                  bmin[d] = MIN (bmin[d], ijk[d]);
                  bmax[d] = MAX (bmax[d], ijk[d]);
                }
            }
        }
  if (bmax[0] < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, ch2_path, _("no brain voxel above %g"),
                    (double) BRAIN_THRESHOLD);
      return NULL;
    }
  for (int d = 0; d < 3; d++)
    {
      bmin[d] = MAX (0, bmin[d] - 1);
      bmax[d] = MIN (n[d] - 1, bmax[d] + 1);
    }
  brain->nx = bmax[0] - bmin[0] + 1;
  brain->ny = bmax[1] - bmin[1] + 1;
  brain->nz = bmax[2] - bmin[2] + 1;
  brain->voxel_size = v;
  for (int d = 0; d < 3; d++)
    {
      brain->affine[d][d] = v;
      brain->affine[d][3] = (lo[d] + bmin[d]) * v;
    }
  brain->affine[3][3] = 1;
  brain->mask = g_new0 (guint8, (gsize) brain->nx * brain->ny * brain->nz);
  brain->anatomy = g_new0 (float, (gsize) brain->nx * brain->ny * brain->nz);
  brain->labels = g_new0 (guint8, (gsize) brain->nx * brain->ny * brain->nz);
  for (int k = 0; k < brain->nz; k++)
    for (int j = 0; j < brain->ny; j++)
      for (int i = 0; i < brain->nx; i++)
        {
          gsize f = i + (gsize) brain->nx * (j + (gsize) brain->ny * k);
          gsize g = (i + bmin[0]) + (gsize) n[0] * ((j + bmin[1]) + (gsize) n[1] * (k + bmin[2]));
          double c[3];
          int counts[256] = { 0 }, best = 0;

          brain->mask[f] = full_mask[g];
          brain->anatomy[f] = full_anat[g];
          if (!full_mask[g])
            continue;
          brain->n_brain++;
          for (int d = 0; d < 3; d++)
            c[d] = brain->affine[d][3] + v * (d == 0 ? i : d == 1 ? j : k);
          for (int a = 0; a < na; a++)
            for (int b = 0; b < na; b++)
              for (int e = 0; e < na; e++)
                {
                  double mm[3] = { c[0] + ((a + 0.5) / na - 0.5) * v,
                                   c[1] + ((b + 0.5) / na - 0.5) * v,
                                   c[2] + ((e + 0.5) / na - 0.5) * v };
                  int l = (int) lrintf (sample (aal, mm));

                  if (l > 0 && l < 256)
                    counts[l]++;
                }
          /* The most frequent label, counting "none" too, so a voxel that
           * is mostly white matter stays unlabelled. */
          counts[0] = na * na * na;
          for (int l = 1; l < 256; l++)
            counts[0] -= counts[l];
          for (int l = 1; l < 256; l++)
            if (counts[l] > counts[best])
              best = l;
          brain->labels[f] = (guint8) best;
        }
  return g_steal_pointer (&brain);
}

int
sa_demo_brain_label_index (const SaDemoBrain *brain,
                           const char        *name)
{
  for (guint l = 1; l < brain->label_names->len; l++)
    if (g_strcmp0 (brain->label_names->pdata[l], name) == 0)
      return (int) l;
  return 0;
}

gint64
sa_demo_brain_region_core (const SaDemoBrain *brain,
                           int                label,
                           int                ijk[3])
{
  const int R = 8;
  int nx = brain->nx, ny = brain->ny, nz = brain->nz;
  double centroid[3] = { 0, 0, 0 }, best_depth = -1, best_off = 0;
  gint64 count = 0;

#define IN_REGION(i, j, k) \
  ((i) >= 0 && (j) >= 0 && (k) >= 0 && (i) < nx && (j) < ny && (k) < nz \
   && brain->mask[(i) + (gsize) nx * ((j) + (gsize) ny * (k))] \
   && brain->labels[(i) + (gsize) nx * ((j) + (gsize) ny * (k))] == label)

  for (int k = 0; k < nz; k++)
    for (int j = 0; j < ny; j++)
      for (int i = 0; i < nx; i++)
        if (IN_REGION (i, j, k))
          {
            centroid[0] += i;
            centroid[1] += j;
            centroid[2] += k;
            count++;
          }
  if (count == 0)
    return 0;
  for (int d = 0; d < 3; d++)
    centroid[d] /= count;
  for (int k = 0; k < nz; k++)
    for (int j = 0; j < ny; j++)
      for (int i = 0; i < nx; i++)
        {
          double depth = (double) (R + 1) * (R + 1) * 3, off;

          if (!IN_REGION (i, j, k))
            continue;
          for (int c = -R; c <= R; c++)
            for (int b = -R; b <= R; b++)
              for (int a = -R; a <= R; a++)
                {
                  double d2 = a * a + b * b + c * c;

                  if (d2 < depth && !IN_REGION (i + a, j + b, k + c))
                    depth = d2;
                }
          off = (i - centroid[0]) * (i - centroid[0]) + (j - centroid[1]) * (j - centroid[1])
                + (k - centroid[2]) * (k - centroid[2]);
          if (depth > best_depth || (depth == best_depth && off < best_off))
            {
              best_depth = depth;
              best_off = off;
              ijk[0] = i;
              ijk[1] = j;
              ijk[2] = k;
            }
        }
#undef IN_REGION
  return count;
}
