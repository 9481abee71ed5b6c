#include <cblas.h>
#include <lapacke.h>

/// Whether this CPU (and its OS) runs AVX-512 F/BW/DQ/VL: what OpenBLAS's SkylakeX kernels need.
static inline int orchard_blas_cpu_has_avx512(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq")
        && __builtin_cpu_supports("avx512vl");
}

/// Whether this CPU (and its OS) runs AVX2 and FMA: what OpenBLAS's Haswell kernels need.
static inline int orchard_blas_cpu_has_avx2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
