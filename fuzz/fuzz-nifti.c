/* fuzz-nifti.c — libFuzzer entry point for the NIfTI reader
 *
 * The reader works on paths (zlib and nifti_clib open files themselves), so
 * each input is written to a temporary file first. Both the header-only path
 * (info) and the full load run on every input; they must fail with a GError,
 * never crash, hang or allocate without bound.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "compute/io/nifti.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *path;

static void
remove_input (void)
{
  g_unlink (path);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SaNiftiInfo) info = NULL;
  g_autoptr(SaVolume) volume = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    {
      int fd = g_file_open_tmp ("fuzz-nifti-XXXXXX.nii", &path, NULL);
      if (fd < 0)
        g_error ("cannot create a temporary file");
      close (fd);
      atexit (remove_input);
    }
#ifdef SA_FUZZ_GZIP
  /* The gzip variant compresses each input, so mutations reach the reader
   * through a valid .nii.gz stream instead of dying in zlib's CRC check. */
  {
    gzFile gz = gzopen (path, "wb1");
    if (gz == NULL || (size > 0 && gzwrite (gz, data, (unsigned) size) != (int) size)
        || gzclose (gz) != Z_OK)
      g_error ("cannot write %s", path);
  }
#else
  /* plain stdio: g_file_set_contents would fsync every input */
  {
    FILE *f = fopen (path, "wb");
    if (f == NULL || fwrite (data, 1, size, f) != size || fclose (f) != 0)
      g_error ("cannot write %s", path);
  }
#endif

  info = sa_nifti_info_read (path, &error);
  g_assert ((info == NULL) == (error != NULL));
  g_clear_error (&error);

  volume = sa_volume_load (path, NULL, NULL, &error);
  g_assert ((volume == NULL) == (error != NULL));
  if (volume != NULL)
    {
      /* touch every value so a short buffer shows up under ASan */
      volatile float sink = 0;
      gsize n = (gsize) volume->nx * volume->ny * volume->nz * volume->nt;
      for (gsize i = 0; i < n; i++)
        sink += volume->data[i];
      (void) sink;
    }
  else
    g_assert (g_str_has_prefix (error->message, path));
  return 0;
}
