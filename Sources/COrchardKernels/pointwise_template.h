// The body of a 1×1 convolution, instantiated once per instruction set by pointwise.c with vector_ops.h's
// operations, NV (vectors per tile row), MR (pixels per tile) and SUFFIX, which it undefines at its end. A
// tile of MR pixels × NV·W outputs keeps its MR·NV accumulators in registers over the whole input depth:
// each step loads NV weight vectors once and broadcasts one input value per pixel. The weights are packed
// in panels of 16 outputs; a tile wider than 16 reads adjacent panels. Tiles of outputs are the outer loop,
// so their weights stay in cache while the band's pixels (sized to L2 by the caller) stream past them.

#define PW_CAT_(a, b) a##_##b
#define PW_CAT(a, b) PW_CAT_(a, b)
#define TILE PW_CAT(pointwise_tile, SUFFIX)
#define PANEL PW_CAT(pointwise_panel, SUFFIX)
#define RUN PW_CAT(pointwise_run, SUFFIX)

/// mr pixels (rows of `a`, `k` floats each) × nv vectors of outputs from `panel` on, written to the first
/// `nr` columns of rows of `c` (`ldc` floats apart): all nv vectors when `full`. Inlined with constant `mr`,
/// `nv` and `full`, so the accumulators are registers and a whole tile carries no code for a partial one.
static inline __attribute__((always_inline)) void TILE(const float *a, size_t k, const float *panel,
                                                       const float *bias, float *c, size_t ldc, const int mr,
                                                       const int nv, int nr, const int full, VEC vmin, VEC vmax) {
    VEC acc[MR][NV];
    for (int v = 0; v < nv; v++) {
        const VEC b = LOAD(bias + v * W);
        for (int r = 0; r < mr; r++) acc[r][v] = b;
    }
    const float *rows[MR];
    for (int r = 0; r < mr; r++) rows[r] = a + (size_t)r * k;
    for (size_t i = 0; i < k; i++) {
        VEC w[NV];
        for (int v = 0; v < nv; v++) w[v] = LOAD(panel + (size_t)(v * W / 16) * 16 * k + i * 16 + v * W % 16);
        for (int r = 0; r < mr; r++) {
            const VEC x = SPLAT(rows[r][i]);
            for (int v = 0; v < nv; v++) acc[r][v] = FMA(x, w[v], acc[r][v]);
        }
    }
    for (int r = 0; r < mr; r++) {
        float *out = c + (size_t)r * ldc;
        if (full) {
            for (int v = 0; v < nv; v++) STORE(out + v * W, MIN(MAX(acc[r][v], vmin), vmax));
        } else {
            // The last tile of an output count that is not a multiple of its width: part of a vector.
            for (int v = 0; v < nv; v++) {
                const VEC y = MIN(MAX(acc[r][v], vmin), vmax);
                if (nr >= (v + 1) * W) {
                    STORE(out + v * W, y);
                } else if (nr > v * W) {
                    STORE_FIRST(out + v * W, y, nr - v * W);
                }
            }
        }
    }
}

/// All pixels × the outputs from j on, computing only the `nv` vectors their `nr` outputs need (all of
/// them when `full`).
static inline __attribute__((always_inline)) void PANEL(const orchard_pointwise *p, size_t pixels,
                                                        const float *input, float *output, size_t j, const int nv,
                                                        int nr, const int full, VEC vmin, VEC vmax) {
    const size_t k = (size_t)p->inputs, n = (size_t)p->outputs;
    const float *panel = p->packed + j * k, *bias = p->bias + j;
    size_t i = 0;
    for (; i + MR <= pixels; i += MR) TILE(input + i * k, k, panel, bias, output + i * n + j, n, MR, nv, nr, full, vmin, vmax);
    const float *a = input + i * k;
    float *c = output + i * n + j;
    switch (pixels - i) {
#define PW_REMAINDER(m) case m: TILE(a, k, panel, bias, c, n, m, nv, nr, full, vmin, vmax); break;
#if MR > 1
        PW_REMAINDER(1)
#endif
#if MR > 2
        PW_REMAINDER(2)
#endif
#if MR > 3
        PW_REMAINDER(3)
#endif
#if MR > 4
        PW_REMAINDER(4)
#endif
#if MR > 5
        PW_REMAINDER(5)
#endif
#if MR > 6
#error "MR above 6 needs more remainder cases"
#endif
#undef PW_REMAINDER
        default: break;
    }
}

static void RUN(const orchard_pointwise *p, size_t pixels, const float *input, float *output) {
    const size_t n = (size_t)p->outputs;
    const VEC vmin = SPLAT(p->min), vmax = SPLAT(p->max);
    for (size_t j = 0; j < n; j += NV * W) {
        const int nr = n - j < NV * W ? (int)(n - j) : NV * W;
        // A last tile of at most half its width (24 outputs in tiles of 16: 16 + 8) computes half the vectors.
        if (nr == NV * W) {
            PANEL(p, pixels, input, output, j, NV, nr, 1, vmin, vmax);
        } else if (NV % 2 == 0 && nr == NV * W / 2) {
            PANEL(p, pixels, input, output, j, NV / 2, nr, 1, vmin, vmax);
        } else if (NV % 2 == 0 && nr < NV * W / 2) {
            PANEL(p, pixels, input, output, j, NV / 2, nr, 0, vmin, vmax);
        } else {
            PANEL(p, pixels, input, output, j, NV, nr, 0, vmin, vmax);
        }
    }
}

#undef TILE
#undef PANEL
#undef RUN
#undef PW_CAT
#undef PW_CAT_
#undef NV
#undef MR
#undef SUFFIX
#include "vector_ops_end.h"
