#include "orchard_kernels.h"
#include "isa.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#define VECTOR_OPS_AVX512
#include "vector_ops.h"
#define ROW depthwise3x3_row_avx512
#include "depthwise3x3_template.h"
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define VECTOR_OPS_AVX2
#include "vector_ops.h"
#define ROW depthwise3x3_row_avx2
#include "depthwise3x3_template.h"
#pragma clang attribute pop
#endif

// Portable fallback: one lane.
#define VECTOR_OPS_SCALAR
#include "vector_ops.h"
#define ROW depthwise3x3_row_scalar
#include "depthwise3x3_template.h"

typedef void (*row_function)(const orchard_depthwise3x3 *, size_t);

#if defined(__x86_64__) || defined(__i386__)
static const row_function kernels[ISA_COUNT] = {depthwise3x3_row_avx512, depthwise3x3_row_avx2,
                                                depthwise3x3_row_scalar};
#else
static const row_function kernels[ISA_COUNT] = {NULL, NULL, depthwise3x3_row_scalar};
#endif

/// The row kernel of `isa`, or NULL when this CPU lacks it.
static row_function row_for(const char *isa) {
    const int index = orchard_kernels_isa_index(isa);
    return index < 0 ? NULL : kernels[index];
}

void orchard_depthwise3x3_run(const orchard_depthwise3x3 *p, int32_t row_begin, int32_t row_end) {
    static _Atomic(row_function) chosen;
    row_function row = chosen;
    if (!row) chosen = row = row_for(orchard_kernels_isa());  // every thread finds the same answer
    for (int32_t oy = row_begin; oy < row_end; oy++) row(p, (size_t)oy);
}

int orchard_depthwise3x3_run_isa(const orchard_depthwise3x3 *p, int32_t row_begin, int32_t row_end, const char *isa) {
    const row_function row = row_for(isa);
    if (!row) return -1;
    for (int32_t oy = row_begin; oy < row_end; oy++) row(p, (size_t)oy);
    return 0;
}
