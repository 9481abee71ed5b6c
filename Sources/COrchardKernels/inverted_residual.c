#include "orchard_kernels.h"

#include <pthreadpool.h>
#include <stdatomic.h>
#include <string.h>
#include <xnnpack.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx512f"))) static void add_shortcut_avx512(float *out, const float *shortcut, size_t n) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        _mm512_storeu_ps(out + i, _mm512_add_ps(_mm512_loadu_ps(shortcut + i), _mm512_loadu_ps(out + i)));
    }
    for (; i < n; i++) out[i] = shortcut[i] + out[i];
}
#endif

static int pointwise(const orchard_pointwise *layer, size_t rows, const float *input, float *output) {
    if (!layer->xnn_operator) {
        orchard_pointwise_run(layer, rows, input, output);
        return 0;
    }
    const xnn_operator_t op = (xnn_operator_t)layer->xnn_operator;
    enum xnn_status status = xnn_setup_fully_connected_nc_f32(op, rows, input, output, NULL);
    if (status == xnn_status_success) status = xnn_run_operator(op, NULL);
    return (int)status;
}

/// out[i] = shortcut[i] + out[i], shortcut first as XNNPACK's add2(shortcut, projected) sums it (one
/// rounding either way: the same bits at any vector width), 16 lanes at a time where Orchard's kernels run
/// AVX-512: the baseline target would vectorise it with SSE2's 4.
static void add_shortcut(float *out, const float *shortcut, size_t n) {
#if defined(__x86_64__) || defined(__i386__)
    static _Atomic int wide = -1;
    if (wide < 0) wide = strcmp(orchard_kernels_isa(), "avx512f") == 0;  // every thread finds the same answer
    if (wide) {
        add_shortcut_avx512(out, shortcut, n);
        return;
    }
#endif
    for (size_t i = 0; i < n; i++) out[i] = shortcut[i] + out[i];
}

/// Expanded rows [from, to) of block `b` (all in one stretch of band_in's slots) into `expanded`: the
/// expansion of the block's input rows, or for block 0 the stem's 3×3 convolution of the image.
static int expand_rows(const orchard_inverted_residual *b, const float *x, int from, int to, float *expanded) {
    const int W = b->depthwise.in_width;
    if (b->patches && !b->expand->xnn_operator) {
        orchard_conv3x3_rows(b->patches, b->expand, x, from, to, b->band_patches, expanded);
        return 0;
    }
    if (b->patches) orchard_patches3x3_rows(b->patches, x, from, to, b->band_patches);
    const float *input = b->patches ? b->band_patches : x + (size_t)from * W * b->in_channels;
    return pointwise(b->expand, (size_t)(to - from) * W, input, expanded);
}

/// Output rows [row_begin, row_end) of block `b`, band by band, on the calling thread.
static int run_rows(const orchard_inverted_residual *b, const float *x, float *y, int row_begin, int row_end) {
    orchard_depthwise3x3 dw = b->depthwise;
    const int H = dw.in_height, Wo = dw.out_width;
    const int S = dw.stride, R = b->rows_per_band;
    const size_t in_row = (size_t)dw.in_width * dw.channels;
    // band_in is a ring of the expanded rows a band reads: row r sits in slot r mod ring, so the rows two
    // bands share (the 3×3 window's overlap) stay where they are. Rows up to have_hi are expanded.
    const int ring = (R - 1) * S + 3;
    int have_hi = 0;
    for (int oy0 = row_begin; oy0 < row_end; oy0 += R) {
        const int oy1 = oy0 + R < row_end ? oy0 + R : row_end;
        int need_lo = oy0 * S - dw.pad_top, need_hi = (oy1 - 1) * S - dw.pad_top + 3;
        if (need_lo < 0) need_lo = 0;
        if (need_hi > H) need_hi = H;
        if (b->expand) {
            for (int from = need_lo > have_hi ? need_lo : have_hi; from < need_hi;) {
                const int slot = from % ring, to = from + (ring - slot) < need_hi ? from + (ring - slot) : need_hi;
                const int status = expand_rows(b, x, from, to, b->band_in + (size_t)slot * in_row);
                if (status) return status;
                from = to;
            }
            if (need_hi > have_hi) have_hi = need_hi;
            dw.input = b->band_in;
            dw.input_row0 = 0;
            dw.input_ring_rows = ring;
        } else {
            dw.input = x;  // no expansion: the block's input is the depthwise input
            dw.input_row0 = 0;
            dw.input_ring_rows = 0;
        }
        dw.output = b->band_out;
        dw.output_row0 = oy0;
        orchard_depthwise3x3_run(&dw, oy0, oy1);
        const size_t out_offset = (size_t)oy0 * Wo * b->out_channels;
        int status = pointwise(b->project, (size_t)(oy1 - oy0) * Wo, b->band_out, y + out_offset);
        if (status) return status;
        if (b->residual) add_shortcut(y + out_offset, x + out_offset, (size_t)(oy1 - oy0) * Wo * b->out_channels);
    }
    return 0;
}

struct lane_task {
    const orchard_inverted_residual *lanes;
    int32_t lane_count;
    const float *x;
    float *y;
    atomic_int status;
};

static void run_lane(void *context, size_t lane) {
    struct lane_task *task = context;
    const int rows = task->lanes[0].depthwise.out_height;
    const int begin = (int)(rows * lane / task->lane_count), end = (int)(rows * (lane + 1) / task->lane_count);
    const int status = run_rows(&task->lanes[lane], task->x, task->y, begin, end);
    int expected = 0;
    if (status) atomic_compare_exchange_strong(&task->status, &expected, status);
}

int orchard_inverted_residual_run(const orchard_inverted_residual *lanes, int32_t lane_count, const float *x, float *y,
                                  void *threadpool) {
    struct lane_task task = {lanes, lane_count, x, y, 0};
    if (threadpool && lane_count > 1) {
        pthreadpool_parallelize_1d((pthreadpool_t)threadpool, run_lane, &task, (size_t)lane_count, 0);
    } else {
        for (int32_t lane = 0; lane < lane_count; lane++) run_lane(&task, (size_t)lane);
    }
    return atomic_load(&task.status);
}
