// The body of a 3×3 depthwise convolution's output rows, instantiated once per instruction set by
// depthwise3x3.c with vector_ops.h's operations, ROW and, where pairs of rows pay, ROW_PAIR (the functions'
// names), which it undefines at its end. For each block of W channels the nine weight vectors stay in
// registers while the row's pixels stream past them, four at a time with four accumulators (nine dependent
// FMAs per pixel would otherwise wait on each other), and neighbouring pixels share their input columns.

#define DW_CAT_(a, b) a##_##b
#define DW_CAT(a, b) DW_CAT_(a, b)
#define REST DW_CAT(ROW, rest)
#define GEOMETRY DW_CAT(ROW, geometry)
#define INPUT_ROW DW_CAT(ROW, input_row)

/// Input row `row`, in order from input_row0 or in its slot of a ring.
static inline __attribute__((always_inline)) const float *INPUT_ROW(const orchard_depthwise3x3 *p, int row) {
    const int slot = p->input_ring_rows ? row % p->input_ring_rows : row - p->input_row0;
    return p->input + (size_t)slot * p->in_width * p->channels;
}

/// Output row oy's three input rows (a row outside the input is read as its nearest row, with zero weights:
/// exact, x·0 adds ±0) and the columns [ox_lo, ox_hi) whose three taps are all inside the input.
static inline __attribute__((always_inline)) void GEOMETRY(const orchard_depthwise3x3 *p, int oy, const float *rows[3],
                                                           int row_valid[3], int *ox_lo, int *ox_hi) {
    const int S = p->stride, in_w = p->in_width, iy0 = oy * S - p->pad_top;
    for (int ky = 0; ky < 3; ky++) {
        const int iy = iy0 + ky;
        row_valid[ky] = iy >= 0 && iy < p->in_height;
        rows[ky] = INPUT_ROW(p, row_valid[ky] ? iy : (iy < 0 ? 0 : p->in_height - 1));
    }
    int lo = (p->pad_left + S - 1) / S;
    const int last_start = in_w - 3 + p->pad_left;  // the last ox·S whose window ends inside the input
    int hi = last_start < 0 ? 0 : last_start / S + 1;
    if (hi > p->out_width) hi = p->out_width;
    if (lo > hi) lo = hi;
    *ox_lo = lo;
    *ox_hi = hi;
}

/// One block of channels of one output row: the inside columns from `ox` to `ox_hi` one at a time, then
/// the border columns, whose taps outside the input are skipped in the same order of accumulation.
static inline __attribute__((always_inline)) void REST(const orchard_depthwise3x3 *p, const float *const rows[3],
                                                       float *out, int c, const VEC w[9], VEC b, int ox, int ox_lo,
                                                       int ox_hi, VEC vmin, VEC vmax) {
    const int C = p->channels, S = p->stride, in_w = p->in_width;
    for (; ox < ox_hi; ox++) {
        const size_t col = (size_t)(ox * S - p->pad_left) * C + c;
        VEC acc = b;
        for (int k = 0; k < 9; k++) acc = FMA(LOAD(rows[k / 3] + col + (size_t)(k % 3) * C), w[k], acc);
        STORE(out + (size_t)ox * C + c, MIN(MAX(acc, vmin), vmax));
    }
    for (int ox = 0; ox < p->out_width; ox++) {
        if (ox == ox_lo && ox_hi > ox_lo) { ox = ox_hi - 1; continue; }
        const int ix0 = ox * S - p->pad_left;
        VEC acc = b;
        if (ix0 == -1 && in_w >= 2) {  // the left column of 'same' padding: taps 1 and 2 of each row
            for (int ky = 0; ky < 3; ky++) {
                acc = FMA(LOAD(rows[ky] + c), w[3 * ky + 1], acc);
                acc = FMA(LOAD(rows[ky] + C + c), w[3 * ky + 2], acc);
            }
        } else if (ix0 == in_w - 2 && ix0 >= 0) {  // the right column: taps 0 and 1
            for (int ky = 0; ky < 3; ky++) {
                acc = FMA(LOAD(rows[ky] + (size_t)ix0 * C + c), w[3 * ky], acc);
                acc = FMA(LOAD(rows[ky] + (size_t)(ix0 + 1) * C + c), w[3 * ky + 1], acc);
            }
        } else {
            for (int k = 0; k < 9; k++) {
                const int ix = ix0 + k % 3;
                if (ix >= 0 && ix < in_w) acc = FMA(LOAD(rows[k / 3] + (size_t)ix * C + c), w[k], acc);
            }
        }
        STORE(out + (size_t)ox * C + c, MIN(MAX(acc, vmin), vmax));
    }
}

static void ROW(const orchard_depthwise3x3 *p, size_t oy_index) {
    const int C = p->channels, S = p->stride;
    const int oy = (int)oy_index;
    const float *rows[3];
    int row_valid[3], ox_lo, ox_hi;
    GEOMETRY(p, oy, rows, row_valid, &ox_lo, &ox_hi);
    float *out = p->output + (size_t)(oy - p->output_row0) * p->out_width * C;
    const VEC vmin = SPLAT(p->min), vmax = SPLAT(p->max), zero = SPLAT(0.0f);
    const int vector_channels = C / W * W;

    for (int c = 0; c < vector_channels; c += W) {
        VEC w[9];
        for (int k = 0; k < 9; k++) w[k] = row_valid[k / 3] ? LOAD(p->weights + (size_t)k * C + c) : zero;
        const VEC b = LOAD(p->bias + c);
        int ox = ox_lo;
        if (S == 1) {
            for (; ox + 4 <= ox_hi; ox += 4) {
                VEC a0 = b, a1 = b, a2 = b, a3 = b;
                const size_t col = (size_t)(ox - p->pad_left) * C + c;
                for (int ky = 0; ky < 3; ky++) {
                    const float *r = rows[ky] + col;
                    const VEC i0 = LOAD(r), i1 = LOAD(r + C), i2 = LOAD(r + 2 * C);
                    const VEC i3 = LOAD(r + 3 * C), i4 = LOAD(r + 4 * C), i5 = LOAD(r + 5 * C);
                    const VEC k0 = w[3 * ky], k1 = w[3 * ky + 1], k2 = w[3 * ky + 2];
                    a0 = FMA(i0, k0, a0); a1 = FMA(i1, k0, a1); a2 = FMA(i2, k0, a2); a3 = FMA(i3, k0, a3);
                    a0 = FMA(i1, k1, a0); a1 = FMA(i2, k1, a1); a2 = FMA(i3, k1, a2); a3 = FMA(i4, k1, a3);
                    a0 = FMA(i2, k2, a0); a1 = FMA(i3, k2, a1); a2 = FMA(i4, k2, a2); a3 = FMA(i5, k2, a3);
                }
                float *o = out + (size_t)ox * C + c;
                STORE(o, MIN(MAX(a0, vmin), vmax));
                STORE(o + C, MIN(MAX(a1, vmin), vmax));
                STORE(o + 2 * C, MIN(MAX(a2, vmin), vmax));
                STORE(o + 3 * C, MIN(MAX(a3, vmin), vmax));
            }
        } else {
            // Stride 2 (the only other stride of MobileNetV2): four pixels span nine input columns, and
            // neighbours share one.
            for (; ox + 4 <= ox_hi; ox += 4) {
                VEC a0 = b, a1 = b, a2 = b, a3 = b;
                const size_t col = (size_t)(ox * 2 - p->pad_left) * C + c;
                for (int ky = 0; ky < 3; ky++) {
                    const float *r = rows[ky] + col;
                    const VEC k0 = w[3 * ky], k1 = w[3 * ky + 1], k2 = w[3 * ky + 2];
                    const VEC i0 = LOAD(r), i1 = LOAD(r + C), i2 = LOAD(r + 2 * C), i3 = LOAD(r + 3 * C);
                    const VEC i4 = LOAD(r + 4 * C), i5 = LOAD(r + 5 * C), i6 = LOAD(r + 6 * C);
                    const VEC i7 = LOAD(r + 7 * C), i8 = LOAD(r + 8 * C);
                    a0 = FMA(i0, k0, a0); a1 = FMA(i2, k0, a1); a2 = FMA(i4, k0, a2); a3 = FMA(i6, k0, a3);
                    a0 = FMA(i1, k1, a0); a1 = FMA(i3, k1, a1); a2 = FMA(i5, k1, a2); a3 = FMA(i7, k1, a3);
                    a0 = FMA(i2, k2, a0); a1 = FMA(i4, k2, a1); a2 = FMA(i6, k2, a2); a3 = FMA(i8, k2, a3);
                }
                float *o = out + (size_t)ox * C + c;
                STORE(o, MIN(MAX(a0, vmin), vmax));
                STORE(o + C, MIN(MAX(a1, vmin), vmax));
                STORE(o + 2 * C, MIN(MAX(a2, vmin), vmax));
                STORE(o + 3 * C, MIN(MAX(a3, vmin), vmax));
            }
        }
        REST(p, rows, out, c, w, b, ox, ox_lo, ox_hi, vmin, vmax);
    }
    // Channels past the last whole vector, one at a time.
    for (int c = vector_channels; c < C; c++) {
        for (int ox = 0; ox < p->out_width; ox++) {
            const int ix0 = ox * S - p->pad_left;
            float acc = p->bias[c];
            for (int k = 0; k < 9; k++) {
                const int ix = ix0 + k % 3;
                if (row_valid[k / 3] && ix >= 0 && ix < p->in_width)
                    acc = fmaf(rows[k / 3][(size_t)ix * C + c], p->weights[(size_t)k * C + c], acc);
            }
            out[(size_t)ox * C + c] = fminf(fmaxf(acc, p->min), p->max);
        }
    }
}

#ifdef ROW_PAIR
/// Output rows oy and oy + 1 at stride 1, when all four of their input rows are inside the input and the
/// channels are whole vectors: the two rows share two of their input rows, so each input vector loaded
/// feeds both rows' accumulators (each output still sums its nine taps in ROW's order, so the same bits).
static void ROW_PAIR(const orchard_depthwise3x3 *p, size_t oy_index) {
    const int C = p->channels;
    const int oy = (int)oy_index;
    const float *rows[4];
    int row_valid[3], ox_lo, ox_hi;
    GEOMETRY(p, oy, rows, row_valid, &ox_lo, &ox_hi);
    rows[3] = INPUT_ROW(p, oy - p->pad_top + 3);
    const float *const upper[3] = {rows[0], rows[1], rows[2]}, *const lower[3] = {rows[1], rows[2], rows[3]};
    float *out0 = p->output + (size_t)(oy - p->output_row0) * p->out_width * C;
    float *out1 = out0 + (size_t)p->out_width * C;
    const VEC vmin = SPLAT(p->min), vmax = SPLAT(p->max);

    for (int c = 0; c < C; c += W) {
        VEC w[9];
        for (int k = 0; k < 9; k++) w[k] = LOAD(p->weights + (size_t)k * C + c);
        const VEC b = LOAD(p->bias + c);
        int ox = ox_lo;
        for (; ox + 4 <= ox_hi; ox += 4) {
            VEC a0 = b, a1 = b, a2 = b, a3 = b, d0 = b, d1 = b, d2 = b, d3 = b;
            const size_t col = (size_t)(ox - p->pad_left) * C + c;
            for (int ky = 0; ky < 4; ky++) {
                const float *r = rows[ky] + col;
                const VEC i0 = LOAD(r), i1 = LOAD(r + C), i2 = LOAD(r + 2 * C);
                const VEC i3 = LOAD(r + 3 * C), i4 = LOAD(r + 4 * C), i5 = LOAD(r + 5 * C);
                if (ky < 3) {  // input row ky is tap row ky of output row oy
                    const VEC k0 = w[3 * ky], k1 = w[3 * ky + 1], k2 = w[3 * ky + 2];
                    a0 = FMA(i0, k0, a0); a1 = FMA(i1, k0, a1); a2 = FMA(i2, k0, a2); a3 = FMA(i3, k0, a3);
                    a0 = FMA(i1, k1, a0); a1 = FMA(i2, k1, a1); a2 = FMA(i3, k1, a2); a3 = FMA(i4, k1, a3);
                    a0 = FMA(i2, k2, a0); a1 = FMA(i3, k2, a1); a2 = FMA(i4, k2, a2); a3 = FMA(i5, k2, a3);
                }
                if (ky > 0) {  // and tap row ky - 1 of output row oy + 1
                    const VEC k0 = w[3 * ky - 3], k1 = w[3 * ky - 2], k2 = w[3 * ky - 1];
                    d0 = FMA(i0, k0, d0); d1 = FMA(i1, k0, d1); d2 = FMA(i2, k0, d2); d3 = FMA(i3, k0, d3);
                    d0 = FMA(i1, k1, d0); d1 = FMA(i2, k1, d1); d2 = FMA(i3, k1, d2); d3 = FMA(i4, k1, d3);
                    d0 = FMA(i2, k2, d0); d1 = FMA(i3, k2, d1); d2 = FMA(i4, k2, d2); d3 = FMA(i5, k2, d3);
                }
            }
            float *o = out0 + (size_t)ox * C + c, *q = out1 + (size_t)ox * C + c;
            STORE(o, MIN(MAX(a0, vmin), vmax));
            STORE(o + C, MIN(MAX(a1, vmin), vmax));
            STORE(o + 2 * C, MIN(MAX(a2, vmin), vmax));
            STORE(o + 3 * C, MIN(MAX(a3, vmin), vmax));
            STORE(q, MIN(MAX(d0, vmin), vmax));
            STORE(q + C, MIN(MAX(d1, vmin), vmax));
            STORE(q + 2 * C, MIN(MAX(d2, vmin), vmax));
            STORE(q + 3 * C, MIN(MAX(d3, vmin), vmax));
        }
        REST(p, upper, out0, c, w, b, ox, ox_lo, ox_hi, vmin, vmax);
        REST(p, lower, out1, c, w, b, ox, ox_lo, ox_hi, vmin, vmax);
    }
}

#endif

#undef REST
#undef GEOMETRY
#undef INPUT_ROW
#undef DW_CAT
#undef DW_CAT_
#undef ROW
#undef ROW_PAIR
#include "vector_ops_end.h"
