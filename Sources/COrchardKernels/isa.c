#include "orchard_kernels.h"
#include "isa.h"

#include <stdlib.h>
#include <string.h>

static const char *const ladder[ISA_COUNT] = {"avx512f", "avx2", "scalar"};

int orchard_kernels_isa_supported(const char *isa) {
    if (strcmp(isa, "scalar") == 0) return 1;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (strcmp(isa, "avx512f") == 0) return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma");
    if (strcmp(isa, "avx2") == 0) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    return 0;
}

const char *orchard_kernels_isa(void) {
    // A cap names a rung of the ladder; anything else (unset, misspelt) leaves the CPU's best.
    const char *cap = getenv("ORCHARD_KERNELS_ISA");
    size_t first = 0;
    for (size_t i = 0; cap && i < sizeof ladder / sizeof *ladder; i++) {
        if (strcmp(cap, ladder[i]) == 0) first = i;
    }
    for (size_t i = first; i < sizeof ladder / sizeof *ladder; i++) {
        if (orchard_kernels_isa_supported(ladder[i])) return ladder[i];
    }
    return "scalar";
}

int orchard_kernels_isa_index(const char *isa) {
    for (int i = 0; i < ISA_COUNT; i++) {
        if (strcmp(isa, ladder[i]) == 0) return orchard_kernels_isa_supported(isa) ? i : -1;
    }
    return -1;
}
