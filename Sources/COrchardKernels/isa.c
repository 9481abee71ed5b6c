#include "orchard_kernels.h"
#include "isa.h"

#include <stdlib.h>
#include <string.h>

static const char *const ladder[ISA_COUNT] = {"avx512f", "avx2", "scalar"};

/// The rung `name` names on the ladder, or -1.
static int rung(const char *name) {
    for (int i = 0; i < ISA_COUNT; i++) {
        if (strcmp(name, ladder[i]) == 0) return i;
    }
    return -1;
}

/// Whether this CPU runs the kernels of rung `i`.
static int supported(int i) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (i == ISA_AVX512F) return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
    if (i == ISA_AVX2) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    return i == ISA_SCALAR;
}

const char *orchard_kernels_isa(void) {
    // A cap names a rung of the ladder; anything else (unset, misspelt) leaves the CPU's best.
    const char *cap = getenv("ORCHARD_KERNELS_ISA");
    const int first = cap && rung(cap) >= 0 ? rung(cap) : 0;
    for (int i = first; i < ISA_COUNT; i++) {
        if (supported(i)) return ladder[i];
    }
    return "scalar";
}

int orchard_kernels_isa_index(const char *isa) {
    const int i = rung(isa);
    return i >= 0 && supported(i) ? i : -1;
}
