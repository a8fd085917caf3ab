// CBLAS as OpenBLAS ships it (Debian: libopenblas-dev), plus its thread-count control.
#include <cblas.h>
