#include "orchard_kernels.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#define VEC __m512
#define W 16
#define LOAD(p) _mm512_loadu_ps(p)
#define STORE(p, v) _mm512_storeu_ps(p, v)
#define FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define SPLAT(x) _mm512_set1_ps(x)
#define MAX(a, b) _mm512_max_ps(a, b)
#define MIN(a, b) _mm512_min_ps(a, b)
#define ROW depthwise3x3_row_avx512
#include "depthwise3x3_template.h"
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define VEC __m256
#define W 8
#define LOAD(p) _mm256_loadu_ps(p)
#define STORE(p, v) _mm256_storeu_ps(p, v)
#define FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define SPLAT(x) _mm256_set1_ps(x)
#define MAX(a, b) _mm256_max_ps(a, b)
#define MIN(a, b) _mm256_min_ps(a, b)
#define ROW depthwise3x3_row_avx2
#include "depthwise3x3_template.h"
#pragma clang attribute pop
#endif

// Portable fallback: one lane.
#define VEC float
#define W 1
#define LOAD(p) (*(p))
#define STORE(p, v) (*(p) = (v))
#define FMA(a, b, c) fmaf(a, b, c)
#define SPLAT(x) (x)
#define MAX(a, b) fmaxf(a, b)
#define MIN(a, b) fminf(a, b)
#define ROW depthwise3x3_row_scalar
#include "depthwise3x3_template.h"

typedef void (*row_function)(const orchard_depthwise3x3 *, size_t);

/// The row kernel of `isa` ("avx512f", "avx2", "scalar"), or NULL when this CPU lacks it.
static row_function row_for(const char *isa) {
    if (!orchard_kernels_isa_supported(isa)) return NULL;
#if defined(__x86_64__) || defined(__i386__)
    if (strcmp(isa, "avx512f") == 0) return depthwise3x3_row_avx512;
    if (strcmp(isa, "avx2") == 0) return depthwise3x3_row_avx2;
#endif
    return strcmp(isa, "scalar") == 0 ? depthwise3x3_row_scalar : NULL;
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
