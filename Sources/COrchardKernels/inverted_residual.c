#include "orchard_kernels.h"

#include <pthreadpool.h>
#include <stdatomic.h>
#include <string.h>
#include <xnnpack.h>

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

/// Output rows [row_begin, row_end) of block `b`, band by band, on the calling thread.
static int run_rows(const orchard_inverted_residual *b, const float *x, float *y, int row_begin, int row_end) {
    orchard_depthwise3x3 dw = b->depthwise;
    const int H = dw.in_height, W = dw.in_width, Wo = dw.out_width, E = dw.channels;
    const int S = dw.stride, R = b->rows_per_band;
    const size_t in_row = (size_t)W * E;
    // Expanded rows [have_lo, have_hi) sit at the start of band_in.
    int have_lo = 0, have_hi = 0;
    for (int oy0 = row_begin; oy0 < row_end; oy0 += R) {
        const int oy1 = oy0 + R < row_end ? oy0 + R : row_end;
        int need_lo = oy0 * S - dw.pad_top, need_hi = (oy1 - 1) * S - dw.pad_top + 3;
        if (need_lo < 0) need_lo = 0;
        if (need_hi > H) need_hi = H;
        if (b->expand) {
            // Keep the rows this band shares with the last one (the 3×3 window's overlap), then expand the rest.
            if (need_lo < have_hi && need_lo >= have_lo) {
                memmove(b->band_in, b->band_in + (size_t)(need_lo - have_lo) * in_row,
                        (size_t)(have_hi - need_lo) * in_row * sizeof(float));
            } else {
                have_hi = need_lo;
            }
            have_lo = need_lo;
            if (need_hi > have_hi) {
                float *expanded = b->band_in + (size_t)(have_hi - have_lo) * in_row;
                if (b->patches && !b->expand->xnn_operator) {
                    orchard_conv3x3_rows(b->patches, b->expand, x, have_hi, need_hi, b->band_patches, expanded);
                } else {
                    if (b->patches) orchard_patches3x3_rows(b->patches, x, have_hi, need_hi, b->band_patches);
                    const float *expand_in = b->patches ? b->band_patches : x + (size_t)have_hi * W * b->in_channels;
                    int status = pointwise(b->expand, (size_t)(need_hi - have_hi) * W, expand_in, expanded);
                    if (status) return status;
                }
                have_hi = need_hi;
            }
            dw.input = b->band_in;
            dw.input_row0 = have_lo;
        } else {
            dw.input = x;  // no expansion: the block's input is the depthwise input
            dw.input_row0 = 0;
        }
        dw.output = b->band_out;
        dw.output_row0 = oy0;
        orchard_depthwise3x3_run(&dw, oy0, oy1);
        const size_t out_offset = (size_t)oy0 * Wo * b->out_channels;
        int status = pointwise(b->project, (size_t)(oy1 - oy0) * Wo, b->band_out, y + out_offset);
        if (status) return status;
        if (b->residual) {
            // Shortcut first, as XNNPACK's add2(shortcut, projected) sums it.
            const size_t n = (size_t)(oy1 - oy0) * Wo * b->out_channels;
            const float *shortcut = x + out_offset;
            float *out = y + out_offset;
            for (size_t i = 0; i < n; i++) out[i] = shortcut[i] + out[i];
        }
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
