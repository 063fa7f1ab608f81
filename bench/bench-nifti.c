/* bench-nifti.c — times SyncAct's NIfTI reading of one file
 *
 *   bench-nifti load|stream FILE
 *
 * Prints one JSON line: seconds, shape and the sum of all values (in double),
 * which bench-nifti.py compares with nibabel's to be sure both read the same
 * numbers. "stream" visits every volume without keeping them (memory = one
 * volume); "load" builds the whole 4D array, as nibabel's dataobj does.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "compute/io/nifti.h"

typedef struct {
  gsize  nvox;
  double sum;
} Sum;

static double
sum_of (const float *v, gsize n)
{
  double s = 0;

  for (gsize i = 0; i < n; i++)
    s += v[i];
  return s;
}

static gboolean
add_volume (int t, const float *volume, gpointer user_data)
{
  Sum *s = user_data;

  s->sum += sum_of (volume, s->nvox);
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  gint64 start, end;
  double sum;
  int nx, ny, nz, nt;

  if (argc != 3 || (strcmp (argv[1], "load") != 0 && strcmp (argv[1], "stream") != 0))
    {
      fprintf (stderr, "usage: bench-nifti load|stream FILE\n");
      return 2;
    }

  if (strcmp (argv[1], "load") == 0)
    {
      g_autoptr(SaVolume) vol = NULL;

      start = g_get_monotonic_time ();
      vol = sa_volume_load (argv[2], NULL, NULL, &error);
      end = g_get_monotonic_time ();
      if (vol == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      nx = vol->nx, ny = vol->ny, nz = vol->nz, nt = vol->nt;
      sum = sum_of (vol->data, (gsize) nx * ny * nz * nt);
    }
  else
    {
      SaVolume header;
      Sum s = { 0, 0 };
      g_autoptr(SaNiftiInfo) info = sa_nifti_info_read (argv[2], &error);

      if (info == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      s.nvox = (gsize) info->dims[0] * info->dims[1] * info->dims[2];
      start = g_get_monotonic_time ();
      if (!sa_volume_stream (argv[2], &header, add_volume, &s, NULL, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      end = g_get_monotonic_time ();
      nx = header.nx, ny = header.ny, nz = header.nz, nt = header.nt;
      sum = s.sum;
    }
  printf ("{\"seconds\": %.4f, \"shape\": [%d, %d, %d, %d], \"sum\": %.17g}\n",
          (end - start) / 1e6, nx, ny, nz, nt, sum);
  return 0;
}
