// The 1×1 kernel for layers of 8, 16 or 24 outputs on AVX-512 (MobileNetV2's early projections, 32 → 16,
// 96 → 24 and 144 → 24). Sixteen lanes of one output pixel would leave a third of a 24-output tile's work
// (or half a 16-output one's broadcasts) idle, so two pixels share each vector instead: their inputs are
// interleaved (a₀ b₀ a₁ b₁ …) into a small buffer per tile, one 64-bit broadcast then gives a b a b …, and
// the weights are packed with each output's weight twice (w₀ w₀ w₁ w₁ …). Every lane still sums its
// output's inputs in order with fused multiply-adds from the bias: the same bits as the other kernels.
#include "pointwise_narrow.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

/// Pixel pairs per tile: 6 pairs × 3 vectors keep 18 accumulators, 3 weight vectors and a broadcast in
/// registers.
#define PAIRS 6
/// The widest input this kernel takes: its interleaved inputs (PAIRS·2·MAX_INPUTS floats) sit on the stack.
#define MAX_INPUTS 256

int orchard_pointwise_is_narrow(int32_t inputs, int32_t outputs) {
    return outputs > 0 && outputs <= 24 && outputs % 8 == 0 && inputs > 0 && inputs <= MAX_INPUTS;
}

size_t orchard_pointwise_narrow_count(int32_t inputs, int32_t outputs) {
    return orchard_pointwise_is_narrow(inputs, outputs) ? (size_t)inputs * (size_t)outputs * 2 : 0;
}

void orchard_pointwise_narrow_pack(const float *kernel, int32_t inputs, int32_t outputs, float *packed) {
    const size_t k = (size_t)inputs, n = (size_t)outputs;
    for (size_t i = 0; i < k; i++) {
        for (size_t o = 0; o < n; o++) packed[i * 2 * n + 2 * o] = packed[i * 2 * n + 2 * o + 1] = kernel[i * n + o];
    }
}

#if defined(__x86_64__) || defined(__i386__)
#pragma clang attribute push(__attribute__((target("avx512f,fma"))), apply_to = function)

/// Lanes 0…7 of `a` and `b` interleaved (a₀ b₀ … a₇ b₇), and lanes 8…15.
static inline __m512i interleave_low(void) {
    return _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}
static inline __m512i interleave_high(void) {
    return _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
}

/// Rows a and b ([k] floats each) interleaved into `pair` ([k][2]).
static inline void interleave(const float *a, const float *b, size_t k, float *pair) {
    size_t i = 0;
    for (; i + 16 <= k; i += 16) {
        const __m512 x = _mm512_loadu_ps(a + i), y = _mm512_loadu_ps(b + i);
        _mm512_storeu_ps(pair + 2 * i, _mm512_permutex2var_ps(x, interleave_low(), y));
        _mm512_storeu_ps(pair + 2 * i + 16, _mm512_permutex2var_ps(x, interleave_high(), y));
    }
    for (; i < k; i++) {
        pair[2 * i] = a[i];
        pair[2 * i + 1] = b[i];
    }
}

/// `pairs` pixel pairs (interleaved in `pairs_in`, [pairs][k][2]) × `nv` vectors of 8 outputs, into rows of
/// `out` (`n` floats apart); the second pixel of the last pair is not stored when `odd`. Inlined with
/// constant `pairs` and `nv`, so the accumulators are registers.
static inline __attribute__((always_inline)) void narrow_tile(const float *pairs_in, size_t k, const float *dup,
                                                              const __m512 *bias, float *out, size_t n,
                                                              const int pairs, const int nv, int odd, __m512 vmin,
                                                              __m512 vmax) {
    __m512 acc[PAIRS][3];
    for (int q = 0; q < pairs; q++) {
        for (int v = 0; v < nv; v++) acc[q][v] = bias[v];
    }
    for (size_t i = 0; i < k; i++) {
        __m512 w[3];
        for (int v = 0; v < nv; v++) w[v] = _mm512_loadu_ps(dup + (i * nv + v) * 16);
        for (int q = 0; q < pairs; q++) {
            // One 64-bit broadcast of (a_i, b_i): a b a b … across the vector.
            double pair;
            memcpy(&pair, pairs_in + (q * k + i) * 2, sizeof pair);
            const __m512 x = _mm512_castpd_ps(_mm512_set1_pd(pair));
            for (int v = 0; v < nv; v++) acc[q][v] = _mm512_fmadd_ps(x, w[v], acc[q][v]);
        }
    }
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odd_lanes = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    for (int q = 0; q < pairs; q++) {
        float *a = out + (size_t)(2 * q) * n, *b = a + n;
        const int has_b = !(odd && q == pairs - 1);
        __m512 y[3];
        for (int v = 0; v < nv; v++) y[v] = _mm512_min_ps(_mm512_max_ps(acc[q][v], vmin), vmax);
        // Vector v holds outputs 8v…8v+7 of both pixels, a's in the even lanes and b's in the odd ones.
        int v = 0;
        for (; v + 2 <= nv; v += 2) {
            _mm512_storeu_ps(a + 8 * v, _mm512_permutex2var_ps(y[v], even, y[v + 1]));
            if (has_b) _mm512_storeu_ps(b + 8 * v, _mm512_permutex2var_ps(y[v], odd_lanes, y[v + 1]));
        }
        if (v < nv) {
            // The last 8 outputs: a's to lanes 0…7, b's to lanes 8…15.
            const __m512 split = _mm512_permutexvar_ps(
                _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15), y[v]);
            _mm512_mask_storeu_ps(a + 8 * v, 0x00FF, split);
            if (has_b) _mm512_mask_storeu_ps(b + 8 * v - 8, 0xFF00, split);
        }
    }
}

/// All tiles of `pixels` with `nv` (constant) vectors of outputs.
static inline __attribute__((always_inline)) void narrow_run(const orchard_pointwise *p, const float *dup,
                                                             size_t pixels, const float *input, float *output,
                                                             const int nv) {
    const size_t k = (size_t)p->inputs, n = (size_t)p->outputs;
    const __m512 vmin = _mm512_set1_ps(p->min), vmax = _mm512_set1_ps(p->max);
    const __m512i duplicate = _mm512_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
    __m512 bias[3];
    for (int v = 0; v < nv; v++) {
        bias[v] = _mm512_permutexvar_ps(duplicate, _mm512_castps256_ps512(_mm256_loadu_ps(p->bias + 8 * v)));
    }
    float pairs_in[PAIRS * MAX_INPUTS * 2] __attribute__((aligned(64)));
    for (size_t first = 0; first < pixels; first += 2 * PAIRS) {
        const size_t count = pixels - first < 2 * PAIRS ? pixels - first : 2 * PAIRS;
        const int pairs = (int)(count + 1) / 2, odd = (int)(count % 2);
        for (int q = 0; q < pairs; q++) {
            const float *a = input + (first + 2 * (size_t)q) * k;
            interleave(a, odd && q == pairs - 1 ? a : a + k, k, pairs_in + (size_t)q * k * 2);
        }
        float *out = output + first * n;
        switch (pairs) {
#define NARROW_PAIRS(m) case m: narrow_tile(pairs_in, k, dup, bias, out, n, m, nv, odd, vmin, vmax); break;
            NARROW_PAIRS(1) NARROW_PAIRS(2) NARROW_PAIRS(3) NARROW_PAIRS(4) NARROW_PAIRS(5) NARROW_PAIRS(6)
#undef NARROW_PAIRS
            default: break;
        }
    }
}

void orchard_pointwise_narrow_run_avx512(const orchard_pointwise *p, const float *dup, size_t pixels,
                                         const float *input, float *output) {
    switch (p->outputs / 8) {
        case 1: narrow_run(p, dup, pixels, input, output, 1); break;
        case 2: narrow_run(p, dup, pixels, input, output, 2); break;
        default: narrow_run(p, dup, pixels, input, output, 3); break;
    }
}

#pragma clang attribute pop
#endif
