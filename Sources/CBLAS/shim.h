// CBLAS from OpenBLAS (Debian: libopenblas-dev). Row-major calls on Swift arrays.
#include <cblas.h>
// Thread control, so benchmarks can report the BLAS thread count.
int openblas_get_num_threads(void);
void openblas_set_num_threads(int);
