#include "config.h"

#include <glib/gi18n.h>

#include "compute/annotate/atlas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/nifti.h"

static const struct {
  const char *name;
  const char *file;
  const char *labels;    /* beside the image, or NULL */
} shipped[SA_ATLAS_N_KINDS] = {
  [SA_ATLAS_AAL] = { "AAL", "aal.nii.gz", "aal.nii.txt" },
  [SA_ATLAS_BRODMANN] = { "Brodmann", "brodmann.nii.gz", NULL },
  [SA_ATLAS_HARVARD_OXFORD] = { "Harvard-Oxford", "HarvardOxford-cort-maxprob-thr0-1mm.nii.gz", NULL },
};

void
sa_atlas_free (SaAtlas *atlas)
{
  if (atlas == NULL)
    return;
  g_free (atlas->name);
  g_free (atlas->path);
  g_free (atlas->labels);
  if (atlas->region_names != NULL)
    for (int i = 0; i <= atlas->max_label; i++)
      g_free (atlas->region_names[i]);
  g_free (atlas->region_names);
  g_free (atlas);
}

/* mricron's label files: "INDEX NAME [CODE]" per line. */
static gboolean
read_label_file (SaAtlas     *atlas,
                 const char  *path,
                 GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      sa_set_error (error, SA_ERROR_NOT_FOUND, path, _("cannot read the atlas labels: %s"),
                    local->message);
      return FALSE;
    }
  lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      char *end = NULL;
      gint64 index;

      if (f[0] == NULL || f[0][0] == '\0')
        continue;
      index = g_ascii_strtoll (f[0], &end, 10);
      if (*end != '\0' || f[1] == NULL || index < 1)
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                        _("line %d is not “INDEX NAME”"), i + 1);
          return FALSE;
        }
      if (index <= atlas->max_label)
        {
          g_free (atlas->region_names[index]);
          atlas->region_names[index] = g_strdup (f[1]);
        }
    }
  return TRUE;
}

SaAtlas *
sa_atlas_load (SaAtlasKind  kind,
               const char  *dir,
               GError     **error)
{
  g_autoptr(SaAtlas) atlas = NULL;
  g_autoptr(SaVolume) volume = NULL;
  gsize n;

  g_return_val_if_fail ((guint) kind < SA_ATLAS_N_KINDS, NULL);
  if (dir == NULL)
    dir = SA_ATLAS_DIR;
  atlas = g_new0 (SaAtlas, 1);
  atlas->kind = kind;
  atlas->name = g_strdup (shipped[kind].name);
  atlas->path = g_build_filename (dir, shipped[kind].file, NULL);
  volume = sa_volume_load (atlas->path, NULL, NULL, error);
  if (volume == NULL)
    return NULL;
  if (volume->nt != 1)
    {
      sa_set_error (error, SA_ERROR_UNSUPPORTED, atlas->path,
                    _("an atlas is one 3D volume of labels, this has %d volumes"), volume->nt);
      return NULL;
    }
  atlas->nx = volume->nx;
  atlas->ny = volume->ny;
  atlas->nz = volume->nz;
  memcpy (atlas->affine, volume->affine, sizeof atlas->affine);
  n = (gsize) volume->nx * volume->ny * volume->nz;
  atlas->labels = g_new (int, n);
  for (gsize i = 0; i < n; i++)
    {
      float v = volume->data[i];

      atlas->labels[i] = isfinite (v) && v > 0.5f ? (int) lrintf (v) : 0;
      atlas->max_label = MAX (atlas->max_label, atlas->labels[i]);
    }
  atlas->region_names = g_new0 (char *, atlas->max_label + 1);
  if (shipped[kind].labels != NULL)
    {
      g_autofree char *path = g_build_filename (dir, shipped[kind].labels, NULL);

      if (!read_label_file (atlas, path, error))
        return NULL;
    }
  for (int l = 1; l <= atlas->max_label; l++)
    if (atlas->region_names[l] == NULL)
      {
        if (kind == SA_ATLAS_BRODMANN)
          atlas->region_names[l] = g_strdup_printf ("BA%d", l);
        else if (kind == SA_ATLAS_HARVARD_OXFORD && sa_atlas_harvard_oxford_name (l) != NULL)
          atlas->region_names[l] = g_strdup (sa_atlas_harvard_oxford_name (l));
        else
          atlas->region_names[l] = g_strdup_printf ("%s %d", atlas->name, l);
      }
  return g_steal_pointer (&atlas);
}

/* Inverse of an affine whose last row is 0 0 0 1. */
int *
sa_atlas_resample (const SaAtlas *atlas,
                   int            nx,
                   int            ny,
                   int            nz,
                   const double   affine[4][4])
{
  int *out = g_new0 (int, (gsize) nx * ny * nz);
  double inv[4][4], m[3][4];

  if (!sa_affine_invert (atlas->affine, inv))
    return out;
  /* Target voxel → atlas voxel in one affine: inv(A_atlas) · A_target. */
  for (int r = 0; r < 3; r++)
    for (int c = 0; c < 4; c++)
      m[r][c] = inv[r][0] * affine[0][c] + inv[r][1] * affine[1][c] + inv[r][2] * affine[2][c]
                + (c == 3 ? inv[r][3] : 0.0);
  for (int k = 0; k < nz; k++)
    for (int j = 0; j < ny; j++)
      for (int i = 0; i < nx; i++)
        {
          int src[3];
          gboolean inside = TRUE;

          for (int r = 0; r < 3; r++)
            {
              /* floor (x + 0.5): ties go up, as numpy's rint would not;
               * the test's oracle rounds the same way. */
              double x = m[r][0] * i + m[r][1] * j + m[r][2] * k + m[r][3];

              src[r] = (int) floor (x + 0.5);
            }
          inside = src[0] >= 0 && src[0] < atlas->nx && src[1] >= 0 && src[1] < atlas->ny
                   && src[2] >= 0 && src[2] < atlas->nz;
          if (inside)
            out[((gsize) k * ny + j) * nx + i] =
              atlas->labels[((gsize) src[2] * atlas->ny + src[1]) * atlas->nx + src[0]];
        }
  return out;
}

static int
compare_loads (const void *a, const void *b)
{
  const SaRegionLoad *x = a, *y = b;

  if (x->weight != y->weight)
    return x->weight < y->weight ? 1 : -1;
  return x->label - y->label;
}

int
sa_atlas_top_regions (const SaAtlas *atlas,
                      const int     *labels,
                      const float   *map,
                      gsize          n,
                      int            top_k,
                      SaRegionLoad  *out)
{
  g_autofree double *sum = g_new0 (double, atlas->max_label + 1);
  g_autofree SaRegionLoad *loads = NULL;
  double total = 0;
  int n_loads = 0;

  /* The share is of the map's whole positive weight, outside any region
   * included, so a map mostly in white matter shows small shares. */
  for (gsize v = 0; v < n; v++)
    if (isfinite (map[v]) && map[v] > 0)
      {
        total += map[v];
        if (labels[v] > 0 && labels[v] <= atlas->max_label)
          sum[labels[v]] += map[v];
      }
  if (total <= 0)
    return 0;
  loads = g_new0 (SaRegionLoad, atlas->max_label);
  for (int l = 1; l <= atlas->max_label; l++)
    if (sum[l] > 0)
      {
        SaRegionLoad *r = &loads[n_loads++];

        r->label = l;
        r->region = atlas->region_names[l];
        r->weight = sum[l];
        r->share = sum[l] / total;
        r->description = sa_atlas_describe (atlas->kind, r->region);
      }
  qsort (loads, n_loads, sizeof *loads, compare_loads);
  n_loads = MIN (n_loads, top_k);
  memcpy (out, loads, sizeof *loads * n_loads);
  return n_loads;
}
