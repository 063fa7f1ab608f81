#include "config.h"

#include "compute/annotate/fbn-annotate.h"

#include "compute/annotate/atlas.h"
#include "compute/embed/outputs.h"
#include "compute/io/nifti.h"
#include "compute/io/tsv.h"

gboolean
sa_annotate_fbns (const char  *components,
                  const char  *atlas_dir,
                  int          top_k,
                  const char  *atlas_tsv,
                  const char  *labels_tsv,
                  GError     **error)
{
  static const char *const atlas_columns[] = { "fbn", "atlas", "rank", "region", "share",
                                               "description", NULL };
  static const char *const label_columns[] = { "fbn", "label", NULL };
  g_autoptr(SaVolume) maps = sa_volume_load (components, NULL, NULL, error);
  g_autoptr(SaTsvWriter) regions = sa_tsv_writer_new (atlas_columns);
  g_autoptr(SaTsvWriter) labels = sa_tsv_writer_new (label_columns);
  g_autofree SaRegionLoad *loads = g_new0 (SaRegionLoad, MAX (top_k, 1));
  SaAtlas *atlases[SA_ATLAS_N_KINDS] = { NULL, };
  int *grid_labels[SA_ATLAS_N_KINDS] = { NULL, };
  g_auto(GStrv) names = NULL;
  gsize n;
  gboolean ok = FALSE;

  if (maps == NULL)
    return FALSE;
  n = (gsize) maps->nx * maps->ny * maps->nz;
  names = sa_embed_fbn_names (maps->nt);
  for (int a = 0; a < SA_ATLAS_N_KINDS; a++)
    {
      atlases[a] = sa_atlas_load ((SaAtlasKind) a, atlas_dir, error);
      if (atlases[a] == NULL)
        goto out;
      grid_labels[a] = sa_atlas_resample (atlases[a], maps->nx, maps->ny, maps->nz,
                                          (const double (*)[4]) maps->affine);
    }
  for (int j = 0; j < maps->nt; j++)
    {
      const float *map = maps->data + (gsize) j * n;
      g_autoptr(GString) label = g_string_new (NULL);

      for (int a = 0; a < SA_ATLAS_N_KINDS; a++)
        {
          int got = sa_atlas_top_regions (atlases[a], grid_labels[a], map, n, top_k, loads);

          for (int r = 0; r < got; r++)
            {
              g_autofree char *rank = g_strdup_printf ("%d", r + 1);
              g_autofree char *share = sa_tsv_format_double (loads[r].share);
              const char *row[] = { names[j], atlases[a]->name, rank, loads[r].region, share,
                                    loads[r].description != NULL ? loads[r].description : "n/a",
                                    NULL };

              sa_tsv_writer_add (regions, row);
            }
          /* The label: AAL's top region and the Brodmann area, the two a
           * reader of the paper's §4.3 looks for. */
          if (got > 0 && a != SA_ATLAS_HARVARD_OXFORD)
            g_string_append_printf (label, "%s%s (%.0f%%)", label->len > 0 ? " / " : "",
                                    loads[0].region, 100.0 * loads[0].share);
        }
      {
        const char *row[] = { names[j], label->len > 0 ? label->str : "n/a", NULL };

        sa_tsv_writer_add (labels, row);
      }
    }
  ok = sa_tsv_writer_save (regions, atlas_tsv, error)
       && sa_tsv_writer_save (labels, labels_tsv, error);
out:
  for (int a = 0; a < SA_ATLAS_N_KINDS; a++)
    {
      sa_atlas_free (atlases[a]);
      g_free (grid_labels[a]);
    }
  return ok;
}
