/* blas-serial.h — BLAS and LAPACK calls whose rounding must not depend on
 * the number of threads
 *
 * OpenBLAS rounds some products differently with 1 and 2 threads: measured
 * (OpenBLAS 0.3.21, pthreads) on products with a small output and a long
 * inner dimension — dual regression's T × m = data · projector, FastICA's
 * m × m = Y · Zᵀ, an m × m gram, the 64 × 2048 correlation GEMM over 900
 * TRs — and on the eigensolvers (dsyevd, dsyevr). Products with a large
 * output and a short inner dimension (SYRK of a run, the group PCA's
 * projections, FastICA's W · Z) came out the same. FastICA stopped at its
 * iteration limit turns a last-bit difference into other FBNs, so the same
 * `syncact run --seed K` gave other pairs under `taskset -c 0` or
 * OPENBLAS_NUM_THREADS=1 than on two cores.
 *
 * The sensitive calls run on one thread between sa_blas_serial_begin ()
 * and sa_blas_serial_end (): their outputs are small, so one thread costs
 * little, and the results are the same whatever the machine's core count.
 * Not covered: libtorch's training (--arch lt, lstm, msa) runs its GEMMs on
 * OpenBLAS's threads, and the phase null's large GEMMs stay threaded; both
 * repeat exactly on one machine, but measured with --arch msa, another
 * thread count gives other last bits and so other tables. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void sa_blas_serial_begin (void);
void sa_blas_serial_end   (void);

G_END_DECLS
