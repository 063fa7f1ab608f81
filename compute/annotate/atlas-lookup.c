/* atlas-lookup.c — nearest-voxel atlas labels at world coordinates */
#include "config.h"

#include <glib/gi18n.h>

#include "compute/annotate/atlas-lookup.h"

#include <math.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/nifti.h"

struct _SaAtlasLookup {
  char     *name;
  int       nx, ny, nz;
  double    world_to_voxel[4][4];
  guint8   *labels8;        /* one of the two, by max_label */
  guint16  *labels16;
  int       max_label;
  char    **region_names;   /* max_label + 1 */
};

SaAtlasLookup *
sa_atlas_lookup_new (const SaAtlas  *atlas,
                     GError        **error)
{
  g_autoptr(SaAtlasLookup) lookup = NULL;
  gsize n;

  g_return_val_if_fail (atlas != NULL, NULL);

  if (atlas->max_label > G_MAXUINT16)
    {
      sa_set_error (error, SA_ERROR_UNSUPPORTED, atlas->path,
                    _("labels up to %d: at most %d regions are supported"),
                    atlas->max_label, G_MAXUINT16);
      return NULL;
    }
  lookup = g_new0 (SaAtlasLookup, 1);
  if (!sa_affine_invert (atlas->affine, lookup->world_to_voxel))
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, atlas->path, _("the affine is singular"));
      return NULL;
    }
  lookup->name = g_strdup (atlas->name);
  lookup->nx = atlas->nx;
  lookup->ny = atlas->ny;
  lookup->nz = atlas->nz;
  lookup->max_label = atlas->max_label;
  n = (gsize) atlas->nx * atlas->ny * atlas->nz;
  if (atlas->max_label <= G_MAXUINT8)
    {
      lookup->labels8 = g_new (guint8, n);
      for (gsize i = 0; i < n; i++)
        lookup->labels8[i] = (guint8) atlas->labels[i];
    }
  else
    {
      lookup->labels16 = g_new (guint16, n);
      for (gsize i = 0; i < n; i++)
        lookup->labels16[i] = (guint16) atlas->labels[i];
    }
  lookup->region_names = g_new0 (char *, atlas->max_label + 1);
  for (int l = 0; l <= atlas->max_label; l++)
    lookup->region_names[l] = g_strdup (atlas->region_names[l]);
  return g_steal_pointer (&lookup);
}

SaAtlasLookup *
sa_atlas_lookup_load (SaAtlasKind   kind,
                      const char   *dir,
                      GError      **error)
{
  g_autoptr(SaAtlas) atlas = sa_atlas_load (kind, dir, error);

  return atlas ? sa_atlas_lookup_new (atlas, error) : NULL;
}

void
sa_atlas_lookup_free (SaAtlasLookup *lookup)
{
  if (lookup == NULL)
    return;
  for (int l = 0; lookup->region_names && l <= lookup->max_label; l++)
    g_free (lookup->region_names[l]);
  g_free (lookup->region_names);
  g_free (lookup->labels8);
  g_free (lookup->labels16);
  g_free (lookup->name);
  g_free (lookup);
}

const char *
sa_atlas_lookup_get_name (const SaAtlasLookup *lookup)
{
  g_return_val_if_fail (lookup != NULL, NULL);
  return lookup->name;
}

int
sa_atlas_lookup_label (const SaAtlasLookup *lookup,
                       const double         world[3])
{
  const double (*m)[4];
  double v[3];
  gsize index;

  g_return_val_if_fail (lookup != NULL, 0);
  m = (const double (*)[4]) lookup->world_to_voxel;
  for (int a = 0; a < 3; a++)
    {
      /* floor (x + 0.5), as sa_atlas_resample() rounds: ties go up. */
      v[a] = floor (m[a][0] * world[0] + m[a][1] * world[1] + m[a][2] * world[2] + m[a][3] + 0.5);
      /* NaN fails every comparison, so it lands outside too. */
      if (!(v[a] >= 0) || v[a] > (a == 0 ? lookup->nx : a == 1 ? lookup->ny : lookup->nz) - 1)
        return 0;
    }
  index = (gsize) v[0] + (gsize) lookup->nx * ((gsize) v[1] + (gsize) lookup->ny * (gsize) v[2]);
  return lookup->labels8 ? lookup->labels8[index] : lookup->labels16[index];
}

const char *
sa_atlas_lookup_region (const SaAtlasLookup *lookup,
                        const double         world[3])
{
  int label = sa_atlas_lookup_label (lookup, world);

  return label > 0 ? lookup->region_names[label] : NULL;
}
