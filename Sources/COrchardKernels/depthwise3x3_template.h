// The body of one output row of a 3×3 depthwise convolution, instantiated once per instruction set by
// depthwise3x3.c with vector_ops.h's operations and ROW (the function's name), which it undefines at its
// end. For each block of W channels the nine weight vectors stay in registers while the row's pixels stream
// past them, four at a time with four accumulators (nine dependent FMAs per pixel would otherwise wait on
// each other), and at stride 1 the four pixels share their input columns.

static void ROW(const orchard_depthwise3x3 *p, size_t oy_index) {
    const int C = p->channels, S = p->stride, in_w = p->in_width, out_w = p->out_width;
    const int oy = (int)oy_index, iy0 = oy * S - p->pad_top;
    // A row outside the input is read as its nearest row with zero weights: exact (x·0 adds ±0).
    const float *rows[3];
    int row_valid[3];
    for (int ky = 0; ky < 3; ky++) {
        const int iy = iy0 + ky;
        row_valid[ky] = iy >= 0 && iy < p->in_height;
        const int row = row_valid[ky] ? iy : (iy < 0 ? 0 : p->in_height - 1);
        rows[ky] = p->input + (size_t)(row - p->input_row0) * in_w * C;
    }
    float *out = p->output + (size_t)(oy - p->output_row0) * out_w * C;
    // Columns whose three taps are all inside the input take the fast path.
    int ox_lo = (p->pad_left + S - 1) / S;
    const int last_start = in_w - 3 + p->pad_left;  // the last ox·S whose window ends inside the input
    int ox_hi = last_start < 0 ? 0 : last_start / S + 1;
    if (ox_hi > out_w) ox_hi = out_w;
    if (ox_lo > ox_hi) ox_lo = ox_hi;
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
            const size_t step = (size_t)S * C;
            for (; ox + 4 <= ox_hi; ox += 4) {
                VEC a0 = b, a1 = b, a2 = b, a3 = b;
                const size_t col = (size_t)(ox * S - p->pad_left) * C + c;
                for (int k = 0; k < 9; k++) {
                    const float *r = rows[k / 3] + col + (size_t)(k % 3) * C;
                    a0 = FMA(LOAD(r), w[k], a0);
                    a1 = FMA(LOAD(r + step), w[k], a1);
                    a2 = FMA(LOAD(r + 2 * step), w[k], a2);
                    a3 = FMA(LOAD(r + 3 * step), w[k], a3);
                }
                float *o = out + (size_t)ox * C + c;
                STORE(o, MIN(MAX(a0, vmin), vmax));
                STORE(o + C, MIN(MAX(a1, vmin), vmax));
                STORE(o + 2 * C, MIN(MAX(a2, vmin), vmax));
                STORE(o + 3 * C, MIN(MAX(a3, vmin), vmax));
            }
        }
        for (; ox < ox_hi; ox++) {
            const size_t col = (size_t)(ox * S - p->pad_left) * C + c;
            VEC acc = b;
            for (int k = 0; k < 9; k++) acc = FMA(LOAD(rows[k / 3] + col + (size_t)(k % 3) * C), w[k], acc);
            STORE(out + (size_t)ox * C + c, MIN(MAX(acc, vmin), vmax));
        }
        // Border columns: the taps outside the input are skipped, in the same order of accumulation.
        for (int ox = 0; ox < out_w; ox++) {
            if (ox == ox_lo && ox_hi > ox_lo) { ox = ox_hi - 1; continue; }
            const int ix0 = ox * S - p->pad_left;
            VEC acc = b;
            for (int k = 0; k < 9; k++) {
                const int ix = ix0 + k % 3;
                if (ix >= 0 && ix < in_w) acc = FMA(LOAD(rows[k / 3] + (size_t)ix * C + c), w[k], acc);
            }
            STORE(out + (size_t)ox * C + c, MIN(MAX(acc, vmin), vmax));
        }
    }
    // Channels past the last whole vector, one at a time.
    for (int c = vector_channels; c < C; c++) {
        for (int ox = 0; ox < out_w; ox++) {
            const int ix0 = ox * S - p->pad_left;
            float acc = p->bias[c];
            for (int k = 0; k < 9; k++) {
                const int ix = ix0 + k % 3;
                if (row_valid[k / 3] && ix >= 0 && ix < in_w)
                    acc = fmaf(rows[k / 3][(size_t)ix * C + c], p->weights[(size_t)k * C + c], acc);
            }
            out[(size_t)ox * C + c] = fminf(fmaxf(acc, p->min), p->max);
        }
    }
}

#undef ROW
#include "vector_ops_end.h"
