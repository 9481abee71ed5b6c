#include "orchard_kernels.h"
#include "isa.h"
#include "patches.h"
#include "pointwise_narrow.h"

#include <math.h>
#include <pthreadpool.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// 6 pixels × 2 vectors (32 outputs): measured ahead of 4, 5, 7 or 8 pixels, of 1 vector (XNNPACK's 7 × 16
// shape) and of 3 or 4 vectors, whose row pointers no longer fit the general-purpose registers.
#pragma clang attribute push(__attribute__((target("avx512f,fma"))), apply_to = function)
#define VECTOR_OPS_AVX512
#include "vector_ops.h"
#define NV 2
#define MR 6
// Panels whose weights exceed 24 KiB (inputs past 192) run in slices of inputs: 1.04–1.10× on those layers
// (bench/kernels/run.sh). AVX2's panels of 16 outputs did not gain (0.96–0.97×), so they run whole.
#define SLICE_BYTES 24576
#define SUFFIX avx512
#include "pointwise_template.h"
#pragma clang attribute pop

// 6 pixels × 2 vectors: 12 accumulators, 2 weight vectors and a broadcast fill 15 of the 16 registers.
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define VECTOR_OPS_AVX2
#include "vector_ops.h"
#define NV 2
#define MR 6
#define SLICE_BYTES 0
#define SUFFIX avx2
#include "pointwise_template.h"
#pragma clang attribute pop
#endif

// Portable fallback: one lane, fused multiply-adds in the same order, so every kernel gives the same bits.
#define VECTOR_OPS_SCALAR
#include "vector_ops.h"
#define NV 16
#define MR 1
#define SLICE_BYTES 0
#define SUFFIX scalar
#include "pointwise_template.h"

typedef void (*run_function)(const orchard_pointwise *, size_t, const float *, float *);
typedef void (*conv_function)(const orchard_patches3x3 *, const orchard_pointwise *, const float *, int, int, float *,
                              float *);

#if defined(__x86_64__) || defined(__i386__)
/// AVX-512: layers of 8, 16 or 24 outputs on the narrow kernel, whose weights follow the panels.
static void pointwise_run_avx512_any(const orchard_pointwise *p, size_t pixels, const float *input, float *output) {
    if (orchard_pointwise_is_narrow(p->inputs, p->outputs)) {
        const float *dup = p->packed + orchard_pointwise_packed_bias_count(p->outputs) * (size_t)p->inputs;
        orchard_pointwise_narrow_run_avx512(p, dup, pixels, input, output);
    } else {
        pointwise_run_avx512(p, pixels, input, output);
    }
}

static const run_function kernels[ISA_COUNT] = {pointwise_run_avx512_any, pointwise_run_avx2, pointwise_run_scalar};
static const conv_function conv_kernels[ISA_COUNT] = {conv3x3_rows_avx512, conv3x3_rows_avx2, conv3x3_rows_scalar};
#else
static const run_function kernels[ISA_COUNT] = {NULL, NULL, pointwise_run_scalar};
static const conv_function conv_kernels[ISA_COUNT] = {NULL, NULL, conv3x3_rows_scalar};
#endif

/// The kernel of `isa`, or NULL when this CPU lacks it.
static run_function run_for(const char *isa) {
    const int index = orchard_kernels_isa_index(isa);
    return index < 0 ? NULL : kernels[index];
}

size_t orchard_pointwise_packed_bias_count(int32_t outputs) { return (size_t)(outputs + 15) / 16 * 16; }

size_t orchard_pointwise_packed_count(int32_t inputs, int32_t outputs) {
    return orchard_pointwise_packed_bias_count(outputs) * (size_t)inputs + orchard_pointwise_narrow_count(inputs, outputs);
}

void orchard_pointwise_pack(const float *kernel, const float *bias, int32_t inputs, int32_t outputs, float *packed,
                            float *packed_bias) {
    const size_t k = (size_t)inputs, n = (size_t)outputs, padded = orchard_pointwise_packed_bias_count(outputs);
    for (size_t j = 0; j < padded; j += 16) {
        for (size_t i = 0; i < k; i++) {
            for (size_t c = 0; c < 16; c++) packed[j * k + i * 16 + c] = j + c < n ? kernel[i * n + j + c] : 0.0f;
        }
    }
    for (size_t c = 0; c < padded; c++) packed_bias[c] = c < n ? bias[c] : 0.0f;
    if (orchard_pointwise_is_narrow(inputs, outputs)) orchard_pointwise_narrow_pack(kernel, inputs, outputs, packed + padded * k);
}

void orchard_pointwise_run(const orchard_pointwise *p, size_t pixels, const float *input, float *output) {
    static _Atomic(run_function) chosen;
    run_function run = chosen;
    if (!run) chosen = run = run_for(orchard_kernels_isa());  // every thread finds the same answer
    run(p, pixels, input, output);
}

int orchard_pointwise_run_isa(const orchard_pointwise *p, size_t pixels, const float *input, float *output,
                              const char *isa) {
    const run_function run = run_for(isa);
    if (!run) return -1;
    run(p, pixels, input, output);
    return 0;
}

struct shared_task {
    const orchard_pointwise *p;
    size_t pixels, parts;
    const float *input;
    float *output;
};

static void run_share(void *context, size_t part) {
    const struct shared_task *t = context;
    const size_t begin = t->pixels * part / t->parts, end = t->pixels * (part + 1) / t->parts;
    const size_t k = (size_t)t->p->inputs, n = (size_t)t->p->outputs;
    orchard_pointwise_run(t->p, end - begin, t->input + begin * k, t->output + begin * n);
}

void orchard_pointwise_run_shared(const orchard_pointwise *p, size_t pixels, const float *input, float *output,
                                  void *threadpool, int32_t parts) {
    struct shared_task task = {p, pixels, parts > 1 ? (size_t)parts : 1, input, output};
    if (threadpool && task.parts > 1) {
        pthreadpool_parallelize_1d((pthreadpool_t)threadpool, run_share, &task, task.parts, 0);
    } else {
        run_share(&task, 0);
    }
}

int orchard_conv3x3_rows_isa(const orchard_patches3x3 *g, const orchard_pointwise *p, const float *image,
                             int32_t row_begin, int32_t row_end, float *scratch, float *output, const char *isa) {
    const int index = orchard_kernels_isa_index(isa);
    if (index < 0 || !kernels[index]) return -1;
    if (g->channels == 3 && g->stride == 2 && p->inputs == 27) {
        conv_kernels[index](g, p, image, row_begin, row_end, scratch, output);
        return 0;
    }
    // Any other shape: every window gathered, a row at a time.
    const size_t row_patches = (size_t)g->out_width, row_outputs = row_patches * (size_t)p->outputs;
    for (int32_t oy = row_begin; oy < row_end; oy++) {
        orchard_patches3x3_rows(g, image, oy, oy + 1, scratch);
        kernels[index](p, row_patches, scratch, output + (size_t)(oy - row_begin) * row_outputs);
    }
    return 0;
}

void orchard_conv3x3_rows(const orchard_patches3x3 *g, const orchard_pointwise *p, const float *image,
                          int32_t row_begin, int32_t row_end, float *scratch, float *output) {
    orchard_conv3x3_rows_isa(g, p, image, row_begin, row_end, scratch, output, orchard_kernels_isa());
}
