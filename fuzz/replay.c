/* replay.c — runs a libFuzzer harness over corpus files without libFuzzer
 *
 * Built with the ordinary compiler so `meson test --suite fuzz` replays
 * every corpus (seeds and past findings) on each run.
 */
#include "config.h"

#include <glib.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static int
replay_file (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    {
      fprintf (stderr, "cannot read %s\n", path);
      return 1;
    }
  LLVMFuzzerTestOneInput ((const guint8 *) data, len);
  printf ("ok %s\n", path);
  return 0;
}

int
main (int argc, char **argv)
{
  int failed = 0, n = 0;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
      const char *name;

      if (dir == NULL)
        {
          failed |= replay_file (argv[i]);
          n++;
          continue;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);
          failed |= replay_file (path);
          n++;
        }
    }
  printf ("%d inputs replayed\n", n);
  return failed || n == 0;
}
