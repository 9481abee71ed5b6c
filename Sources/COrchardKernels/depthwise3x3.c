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
#define ROW_PAIR depthwise3x3_pair_avx512
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

/// An instruction set's kernels: one output row, and two rows sharing their input rows (NULL where
/// pairing does not pay: AVX2's 16 registers cannot hold a pair's 8 accumulators, 9 weights and inputs).
typedef struct {
    row_function row, pair;
} row_kernels;

#if defined(__x86_64__) || defined(__i386__)
static const row_kernels kernels[ISA_COUNT] = {{depthwise3x3_row_avx512, depthwise3x3_pair_avx512},
                                               {depthwise3x3_row_avx2, NULL},
                                               {depthwise3x3_row_scalar, NULL}};
#else
static const row_kernels kernels[ISA_COUNT] = {{NULL, NULL}, {NULL, NULL}, {depthwise3x3_row_scalar, NULL}};
#endif

/// The kernels of `isa`, or NULL when this CPU lacks it.
static const row_kernels *kernels_for(const char *isa) {
    const int index = orchard_kernels_isa_index(isa);
    return index < 0 || !kernels[index].row ? NULL : &kernels[index];
}

static void run_rows(const row_kernels *k, const orchard_depthwise3x3 *p, int32_t row_begin, int32_t row_end) {
    const int pairs = k->pair && p->stride == 1 && p->channels % 16 == 0;
    for (int32_t oy = row_begin; oy < row_end;) {
        const int first_input = oy - p->pad_top;  // stride 1: rows oy and oy + 1 read rows first_input…+3
        if (pairs && oy + 1 < row_end && first_input >= 0 && first_input + 3 < p->in_height) {
            k->pair(p, (size_t)oy);
            oy += 2;
        } else {
            k->row(p, (size_t)oy);
            oy += 1;
        }
    }
}

void orchard_depthwise3x3_run(const orchard_depthwise3x3 *p, int32_t row_begin, int32_t row_end) {
    static _Atomic(const row_kernels *) chosen;
    const row_kernels *k = chosen;
    if (!k) chosen = k = kernels_for(orchard_kernels_isa());  // every thread finds the same answer
    run_rows(k, p, row_begin, row_end);
}

int orchard_depthwise3x3_run_isa(const orchard_depthwise3x3 *p, int32_t row_begin, int32_t row_end, const char *isa) {
    const row_kernels *k = kernels_for(isa);
    if (!k) return -1;
    run_rows(k, p, row_begin, row_end);
    return 0;
}
