// LAPACKE (Debian: liblapacke-dev). Debian keeps the LAPACKE symbols out of libopenblas,
// so the module links both.
#include <lapacke.h>
