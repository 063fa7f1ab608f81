#include "config.h"

#include "compute/blas-serial.h"

#include <cblas.h>

/* The thread count is global to OpenBLAS: one serial section at a time, so
 * that two overlapping ones cannot restore each other's setting. */
static GRecMutex lock;
static int saved_threads;
static int depth;

void
sa_blas_serial_begin (void)
{
  g_rec_mutex_lock (&lock);
#ifdef OPENBLAS_VERSION
  if (depth++ == 0)
    {
      saved_threads = openblas_get_num_threads ();
      openblas_set_num_threads (1);
    }
#else
  depth++;
#endif
}

void
sa_blas_serial_end (void)
{
  g_return_if_fail (depth > 0);
#ifdef OPENBLAS_VERSION
  if (--depth == 0)
    openblas_set_num_threads (saved_threads);
#else
  depth--;
#endif
  g_rec_mutex_unlock (&lock);
}
