// The body of a 1×1 convolution, instantiated once per instruction set by pointwise.c with vector_ops.h's
// operations, NV (vectors per tile row), MR (pixels per tile) and SUFFIX, which it undefines at its end. A
// tile of MR pixels × NV·W outputs keeps its MR·NV accumulators in registers over the whole input depth:
// each step loads NV weight vectors once and broadcasts one input value per pixel. The weights are packed
// in panels of 16 outputs; a tile wider than 16 reads adjacent panels. Tiles of outputs are the outer loop,
// so their weights stay in cache while the band's pixels (sized to L2 by the caller) stream past them.
// CONV_ROWS runs the stem's 3×3 convolution on the same tiles, reading each window in the image itself.

#define PW_CAT_(a, b) a##_##b
#define PW_CAT(a, b) PW_CAT_(a, b)
#define TILE PW_CAT(pointwise_tile, SUFFIX)
#define PANEL PW_CAT(pointwise_panel, SUFFIX)
#define PIXELS PW_CAT(pointwise_pixels, SUFFIX)
#define RUN PW_CAT(pointwise_run, SUFFIX)
#define STORE_TILE PW_CAT(pointwise_store_tile, SUFFIX)
#define WINDOW_TILE PW_CAT(conv3x3_window_tile, SUFFIX)
#define WINDOW_PANEL PW_CAT(conv3x3_window_panel, SUFFIX)
#define CONV_ROWS PW_CAT(conv3x3_rows, SUFFIX)

/// Calls PANEL_CALL(nv, full) with the constant vector count and `full` flag that a panel of `nr` outputs
/// needs: a last panel of at most half the tile's width (24 outputs in tiles of 16: 16 + 8) computes half
/// the vectors, and only a partial one carries the partial-store path.
#define PW_BY_WIDTH(nr, PANEL_CALL)                        \
    do {                                                    \
        if ((nr) == NV * W) {                               \
            PANEL_CALL(NV, 1);                              \
        } else if (NV % 2 == 0 && (nr) == NV * W / 2) {     \
            PANEL_CALL(NV / 2, 1);                          \
        } else if (NV % 2 == 0 && (nr) < NV * W / 2) {      \
            PANEL_CALL(NV / 2, 0);                          \
        } else {                                            \
            PANEL_CALL(NV, 0);                              \
        }                                                   \
    } while (0)

/// Clamps the tile `acc` (mr pixels × nv vectors) and stores it to rows of `c` (`ldc` floats apart): all
/// nv vectors when `full`, else the first `nr` columns.
static inline __attribute__((always_inline)) void STORE_TILE(VEC acc[MR][NV], float *c, size_t ldc, const int mr,
                                                             const int nv, int nr, const int full, VEC vmin,
                                                             VEC vmax) {
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

/// mr pixels (rows of `a`, `lda` floats apart) × nv vectors of outputs from `panel` on (panels `ldp` floats
/// apart), over `k` inputs, written to the first `nr` columns of rows of `c` (`ldc` floats apart): all nv
/// vectors when `full`. The sums start from the bias when `first`, else from the partial sums already in
/// `c`; they are clamped when `last`, else stored as they are for the next inputs to continue. Inlined with
/// constant `mr`, `nv`, `full`, `first` and `last`, so the accumulators are registers and a whole tile
/// carries no code for a partial one. Its first `fetch_rows` steps each fetch that row of the `fetch_panels`
/// panels from `fetch` into L2 (see PIXELS).
static inline __attribute__((always_inline)) void TILE(const float *a, size_t lda, size_t k, const float *panel,
                                                       size_t ldp, const float *bias, float *c, size_t ldc,
                                                       const int mr, const int nv, int nr, const int full,
                                                       const int first, const int last, VEC vmin, VEC vmax,
                                                       const float *fetch, size_t fetch_rows, size_t fetch_panels) {
    VEC acc[MR][NV];
    for (int v = 0; v < nv; v++) {
        const VEC b = LOAD(bias + v * W);
        for (int r = 0; r < mr; r++) acc[r][v] = first ? b : LOAD(c + (size_t)r * ldc + v * W);
    }
    const float *rows[MR];
    for (int r = 0; r < mr; r++) rows[r] = a + (size_t)r * lda;
    for (size_t i = 0; i < k; i++) {
        if (i < fetch_rows) {
            for (size_t q = 0; q < fetch_panels; q++) __builtin_prefetch(fetch + q * ldp + i * 16, 0, 2);
        }
        VEC w[NV];
        for (int v = 0; v < nv; v++) w[v] = LOAD(panel + (size_t)(v * W / 16) * ldp + i * 16 + v * W % 16);
        for (int r = 0; r < mr; r++) {
            const VEC x = SPLAT(rows[r][i]);
            for (int v = 0; v < nv; v++) acc[r][v] = FMA(x, w[v], acc[r][v]);
        }
    }
    if (last) {
        STORE_TILE(acc, c, ldc, mr, nv, nr, full, vmin, vmax);
    } else {
        for (int r = 0; r < mr; r++) {
            for (int v = 0; v < nv; v++) STORE(c + (size_t)r * ldc + v * W, acc[r][v]);
        }
    }
}

/// The pixels [i, pixels) × the outputs from j on over inputs [k0, k0 + kn): MR at a time, then the
/// remainder (see TILE for `first` and `last`). Meanwhile the weights that run next (`ahead_rows` rows of
/// `ahead_panels` panels from `ahead`) are fetched into L2, an equal share of rows per whole tile, a row per
/// step of its inputs: from L3 they would stall the next panel's or slice's first tile (a network's 14 MB of
/// weights do not stay in L2 from one image to the next). Spread over the steps, not fetched at the start of
/// each tile, the fetches cost the tiles less when the weights are already in cache.
static inline __attribute__((always_inline)) void PIXELS(const orchard_pointwise *p, size_t pixels, const float *input,
                                                         float *output, size_t j, size_t k0, size_t kn, const int nv,
                                                         int nr, const int full, const int first, const int last,
                                                         VEC vmin, VEC vmax, const float *ahead, size_t ahead_rows,
                                                         size_t ahead_panels) {
    const size_t k = (size_t)p->inputs, n = (size_t)p->outputs, ldp = 16 * k;
    const float *panel = p->packed + j * k + k0 * 16, *bias = p->bias + j;
    const size_t tiles = pixels / MR, rows_per_tile = tiles ? (ahead_rows + tiles - 1) / tiles : 0;
    size_t i = 0, row = 0;
    for (; i + MR <= pixels; i += MR) {
        const size_t rows = ahead_rows - row < rows_per_tile ? ahead_rows - row : rows_per_tile;
        TILE(input + i * k + k0, k, kn, panel, ldp, bias, output + i * n + j, n, MR, nv, nr, full, first, last, vmin,
             vmax, ahead + row * 16, rows, ahead_panels);
        row += rows;
    }
    const float *a = input + i * k + k0;
    float *c = output + i * n + j;
    switch (pixels - i) {
#define PW_REMAINDER(m) case m: TILE(a, k, kn, panel, ldp, bias, c, n, m, nv, nr, full, first, last, vmin, vmax, NULL, 0, 0); break;
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

/// All pixels × the outputs from j on, computing only the `nv` vectors their `nr` outputs need (all of
/// them when `full`). A whole panel whose weights exceed SLICE_BYTES (the includer's choice; 0: never)
/// runs in slices of its inputs, each over every pixel, so a slice's weights stay in L1 while the pixels
/// stream past them instead of coming from L2 again for every tile. The partial sums wait in the output,
/// and every sum still adds its products in input order, so the bits do not change.
static inline __attribute__((always_inline)) void PANEL(const orchard_pointwise *p, size_t pixels,
                                                        const float *input, float *output, size_t j, const int nv,
                                                        int nr, const int full, VEC vmin, VEC vmax) {
    const size_t k = (size_t)p->inputs, n = (size_t)p->outputs, row_bytes = (size_t)nv * W * sizeof(float);
    const size_t slices = SLICE_BYTES > 0 ? (k * row_bytes + SLICE_BYTES - 1) / SLICE_BYTES : 1;
    const int sliced = full && slices > 1;
    const size_t slice = sliced ? (k + slices - 1) / slices : k;
    // The next panel's panels of 16 outputs, whose first slice (or all) runs after this panel.
    const size_t next_j = j + NV * W, left = next_j < n ? (n - next_j + 15) / 16 : 0;
    const size_t next_panels = left < (size_t)(NV * W + 15) / 16 ? left : (size_t)(NV * W + 15) / 16;
    // After the last panel nothing: 0 rows, from a pointer that stays inside the weights.
    const float *next = p->packed + (next_panels ? next_j * k : 0);
    const size_t next_rows = next_panels ? slice : 0;
    if (!sliced) {
        PIXELS(p, pixels, input, output, j, 0, k, nv, nr, full, 1, 1, vmin, vmax, next, next_rows, next_panels);
        return;
    }
    const float *panel = p->packed + j * k;
    const size_t panels = (size_t)(nv * W + 15) / 16;
    // Each slice fetches the following one; the last, the next panel's first.
#define PW_FOLLOWING(k1) panel + (k1) * 16, k - (k1) < slice ? k - (k1) : slice, panels
    PIXELS(p, pixels, input, output, j, 0, slice, nv, nr, full, 1, 0, vmin, vmax, PW_FOLLOWING(slice));
    size_t k0 = slice;
    for (; k0 + slice < k; k0 += slice) {
        PIXELS(p, pixels, input, output, j, k0, slice, nv, nr, full, 0, 0, vmin, vmax, PW_FOLLOWING(k0 + slice));
    }
#undef PW_FOLLOWING
    PIXELS(p, pixels, input, output, j, k0, k - k0, nv, nr, full, 0, 1, vmin, vmax, next, next_rows, next_panels);
}

static void RUN(const orchard_pointwise *p, size_t pixels, const float *input, float *output) {
    const size_t n = (size_t)p->outputs;
    const VEC vmin = SPLAT(p->min), vmax = SPLAT(p->max);
    for (size_t j = 0; j < n; j += NV * W) {
        const int nr = n - j < NV * W ? (int)(n - j) : NV * W;
#define PW_PANEL(nv, full) PANEL(p, pixels, input, output, j, nv, nr, full, vmin, vmax)
        PW_BY_WIDTH(nr, PW_PANEL);
#undef PW_PANEL
    }
}

/// mr consecutive output pixels of a 3×3 stride-2 convolution of an RGB image whose windows lie inside it,
/// read where they are: window row ky of pixel r is the 9 floats at rows[ky] + 6·r, inputs 9·ky … 9·ky + 8
/// of the weights packed over the 27 patch inputs. The same FMAs, in the same order, as TILE on gathered
/// patches.
static inline __attribute__((always_inline)) void WINDOW_TILE(const float *const rows[3], const float *panel,
                                                              const float *bias, float *c, size_t ldc, const int mr,
                                                              const int nv, int nr, const int full, VEC vmin,
                                                              VEC vmax) {
    VEC acc[MR][NV];
    for (int v = 0; v < nv; v++) {
        const VEC b = LOAD(bias + v * W);
        for (int r = 0; r < mr; r++) acc[r][v] = b;
    }
    for (int ky = 0; ky < 3; ky++) {
        for (int j = 0; j < 9; j++) {
            const size_t i = (size_t)(9 * ky + j);
            VEC w[NV];
            for (int v = 0; v < nv; v++) w[v] = LOAD(panel + (size_t)(v * W / 16) * 16 * 27 + i * 16 + v * W % 16);
            for (int r = 0; r < mr; r++) {
                const VEC x = SPLAT(rows[ky][6 * r + j]);
                for (int v = 0; v < nv; v++) acc[r][v] = FMA(x, w[v], acc[r][v]);
            }
        }
    }
    STORE_TILE(acc, c, ldc, mr, nv, nr, full, vmin, vmax);
}

/// The outputs from j on of the row's in-place pixels [ox_lo, tiles_end), MR at a time; rows[ky] is
/// window row ky of pixel ox_lo.
static inline __attribute__((always_inline)) void WINDOW_PANEL(const orchard_pointwise *p, const float *const rows[3],
                                                               int ox_lo, int tiles_end, float *out, size_t j,
                                                               const int nv, int nr, const int full, VEC vmin,
                                                               VEC vmax) {
    const size_t n = (size_t)p->outputs;
    for (int ox = ox_lo; ox < tiles_end; ox += MR) {
        const size_t shift = (size_t)(ox - ox_lo) * 6;
        const float *const tile_rows[3] = {rows[0] + shift, rows[1] + shift, rows[2] + shift};
        WINDOW_TILE(tile_rows, p->packed + j * 27, p->bias + j, out + (size_t)ox * n + j, n, MR, nv, nr, full, vmin,
                    vmax);
    }
}

/// Output rows [row_begin, row_end) of the 3×3 stride-2 convolution `g` of an RGB image by `p` (27
/// inputs): the pixels whose windows lie inside the image in tiles read in place, the others (border rows
/// and columns, a last partial tile) gathered into `scratch` (one row of patches) and run by RUN.
static void CONV_ROWS(const orchard_patches3x3 *g, const orchard_pointwise *p, const float *image, int row_begin,
                      int row_end, float *scratch, float *output) {
    const size_t n = (size_t)p->outputs;
    const int out_w = g->out_width, in_w = g->in_width;
    const VEC vmin = SPLAT(p->min), vmax = SPLAT(p->max);
    // Columns whose windows lie inside: ox·2 − pad_left ≥ 0 and ox·2 − pad_left + 3 ≤ in_w.
    const int ox_lo = (g->pad_left + 1) / 2, last = in_w - 3 + g->pad_left;
    int ox_hi = last < 0 ? 0 : last / 2 + 1;
    if (ox_hi > out_w) ox_hi = out_w;
    const int tiles_end = ox_hi > ox_lo ? ox_lo + (ox_hi - ox_lo) / MR * MR : ox_lo;
    for (int oy = row_begin; oy < row_end; oy++) {
        float *out = output + (size_t)(oy - row_begin) * out_w * n;
        const int iy0 = oy * 2 - g->pad_top;
        if (iy0 < 0 || iy0 + 3 > g->in_height || tiles_end == ox_lo) {
            orchard_patches3x3_span(g, image, oy, 0, out_w, scratch);
            RUN(p, (size_t)out_w, scratch, out);
            continue;
        }
        if (ox_lo > 0) {
            orchard_patches3x3_span(g, image, oy, 0, ox_lo, scratch);
            RUN(p, (size_t)ox_lo, scratch, out);
        }
        const size_t first = ((size_t)ox_lo * 2 - (size_t)g->pad_left) * 3;
        const float *const rows[3] = {image + (size_t)iy0 * in_w * 3 + first, image + (size_t)(iy0 + 1) * in_w * 3 + first,
                                      image + (size_t)(iy0 + 2) * in_w * 3 + first};
        for (size_t j = 0; j < n; j += NV * W) {
            const int nr = n - j < NV * W ? (int)(n - j) : NV * W;
#define PW_WINDOW_PANEL(nv, full) WINDOW_PANEL(p, rows, ox_lo, tiles_end, out, j, nv, nr, full, vmin, vmax)
            PW_BY_WIDTH(nr, PW_WINDOW_PANEL);
#undef PW_WINDOW_PANEL
        }
        if (tiles_end < out_w) {
            orchard_patches3x3_span(g, image, oy, tiles_end, out_w, scratch);
            RUN(p, (size_t)(out_w - tiles_end), scratch, out + (size_t)tiles_end * n);
        }
    }
}

#undef TILE
#undef PIXELS
#undef PANEL
#undef RUN
#undef STORE_TILE
#undef PW_BY_WIDTH
#undef WINDOW_TILE
#undef WINDOW_PANEL
#undef CONV_ROWS
#undef PW_CAT
#undef PW_CAT_
#undef NV
#undef SLICE_BYTES
#undef MR
#undef SUFFIX
#include "vector_ops_end.h"
