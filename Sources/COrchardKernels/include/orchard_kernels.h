// Orchard's own compute kernels, where measurement showed the alternative leaving speed behind: network
// layers (bench/inference-results.md) and the resize's inner loops, which Swift's baseline x86-64 target
// vectorises with SSE2 only. Dispatched at run time by the CPU's features.
#ifndef ORCHARD_KERNELS_H
#define ORCHARD_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The instruction set Orchard's network kernels use on this CPU: "avx512f", "avx2" or "scalar", the best
/// it has, or a lower one named by the environment variable ORCHARD_KERNELS_ISA (to measure or test the
/// path another CPU variant takes). Read once per process by the kernels.
const char *orchard_kernels_isa(void);

/// One 3×3 depthwise convolution, NHWC fp32, batch 1, with a fused clamp (ReLU6 is [0, 6]).
typedef struct orchard_depthwise3x3 {
    const float *input;    ///< rows input_row0… of [in_height][in_width][channels]
    float *output;         ///< rows output_row0… of [out_height][out_width][channels]
    int32_t input_row0, output_row0;  ///< the first rows `input` and `output` hold (0: the whole tensor)
    const float *weights;  ///< [3][3][channels], Keras's depthwise layout
    const float *bias;     ///< [channels]
    int32_t in_height, in_width, out_height, out_width, channels;
    int32_t stride;        ///< 1 or 2
    int32_t pad_top, pad_left;  ///< zero padding before; padding after is implied by the sizes
    float min, max;        ///< the output clamp
    int32_t input_ring_rows;  ///< 0: `input` holds rows input_row0… in order; n: a ring, row r in slot r mod n
} orchard_depthwise3x3;

/// Computes output rows [row_begin, row_end) of the convolution `p` describes, on the calling thread.
void orchard_depthwise3x3_run(const orchard_depthwise3x3 *p, int32_t row_begin, int32_t row_end);

/// Like `orchard_depthwise3x3_run`, with the kernel of `isa` ("avx512f", "avx2" or
/// "scalar"); returns -1 without computing when this CPU lacks it. For tests of every kernel on one machine.
int orchard_depthwise3x3_run_isa(const orchard_depthwise3x3 *p, int32_t row_begin, int32_t row_end, const char *isa);

/// A 1×1 convolution over NHWC pixels (a fully connected layer per pixel) with a fused clamp: XNNPACK's
/// fully-connected operator, or Orchard's kernel on weights packed by `orchard_pointwise_pack`.
typedef struct orchard_pointwise {
    void *xnn_operator;    ///< xnn_operator_t to run, or NULL: Orchard's kernel on `packed`
    const float *packed;   ///< [⌈outputs/16⌉][inputs][16]: panels of 16 outputs, zero-padded; for 8, 16 or 24
                           ///< outputs then [inputs][outputs][2], each weight twice (AVX-512's narrow kernel)
    const float *bias;     ///< [⌈outputs/16⌉·16], zero-padded
    int32_t inputs, outputs;
    float min, max;        ///< the output clamp
} orchard_pointwise;

/// Floats `orchard_pointwise_pack` writes for the weights of an `inputs` → `outputs` layer.
size_t orchard_pointwise_packed_count(int32_t inputs, int32_t outputs);

/// Floats `orchard_pointwise_pack` writes for the bias of a layer with `outputs` outputs (whole panels of 16).
size_t orchard_pointwise_packed_bias_count(int32_t outputs);

/// Packs Keras's `[1, 1, inputs, outputs]` kernel (row-major `[inputs][outputs]`) and its bias into panels
/// of 16 outputs: `packed` holds `orchard_pointwise_packed_count` floats, `packed_bias` `orchard_pointwise_packed_bias_count`.
void orchard_pointwise_pack(const float *kernel, const float *bias, int32_t inputs, int32_t outputs, float *packed,
                            float *packed_bias);

/// Orchard's kernel for `p` (its `packed` weights) over `pixels` rows of `input` ([pixels][inputs]) into
/// `output` ([pixels][outputs]), on the calling thread.
void orchard_pointwise_run(const orchard_pointwise *p, size_t pixels, const float *input, float *output);

/// `orchard_pointwise_run` with the pixels split into `parts` contiguous shares, one per task on
/// `threadpool` (a pthreadpool_t; NULL or one part: all on the calling thread).
void orchard_pointwise_run_shared(const orchard_pointwise *p, size_t pixels, const float *input, float *output,
                                  void *threadpool, int32_t parts);

/// Like `orchard_pointwise_run`, with the kernel of `isa`; returns -1 without computing when this CPU lacks
/// it. Every kernel sums in the same order with fused multiply-adds: they give the same bits.
int orchard_pointwise_run_isa(const orchard_pointwise *p, size_t pixels, const float *input, float *output,
                              const char *isa);

/// The 3×3 patches of an image, for a 3×3 convolution run as a 1×1 one: pixel (y, x) of the output grid
/// holds the 9·channels inputs its window reads, in the kernel's order (ky, kx, channel), zeros where the
/// window leaves the image (the convolution's padding).
typedef struct orchard_patches3x3 {
    int32_t in_height, in_width, channels;
    int32_t stride, pad_top, pad_left;
    int32_t out_width;
} orchard_patches3x3;

/// Writes the patches of output rows [row_begin, row_end) of `image` ([in_height][in_width][channels])
/// to `patches` ([row_end − row_begin][out_width][9·channels]).
void orchard_patches3x3_rows(const orchard_patches3x3 *p, const float *image, int32_t row_begin, int32_t row_end,
                             float *patches);

/// Output rows [row_begin, row_end) of the 3×3 convolution `g` describes, run as the 1×1 layer `p` (Orchard's
/// kernel, weights packed over the 9·channels patch inputs) on `image`'s patches, into `output`
/// ([row_end − row_begin][out_width][outputs]): the bits of gathering the rows' patches and running `p` on
/// them. An RGB image at stride 2 is read in place where the windows lie inside it; `scratch` holds one row
/// of patches for the others.
void orchard_conv3x3_rows(const orchard_patches3x3 *g, const orchard_pointwise *p, const float *image,
                          int32_t row_begin, int32_t row_end, float *scratch, float *output);

/// Like `orchard_conv3x3_rows`, with the kernels of `isa`; returns -1 without computing when this CPU lacks
/// it. For tests of every kernel on one machine.
int orchard_conv3x3_rows_isa(const orchard_patches3x3 *g, const orchard_pointwise *p, const float *image,
                             int32_t row_begin, int32_t row_end, float *scratch, float *output, const char *isa);

/// One inverted-residual block (MobileNetV2, Fig. 4b) run in bands of output rows, so the expanded
/// activations of a band stay in the core's L2 cache between the three layers instead of making a
/// round trip through L3 or memory for each. The stem is run as block 0's expansion: a 3×3 convolution on
/// the patches of the image, gathered band by band.
typedef struct orchard_inverted_residual {
    const orchard_pointwise *expand;   ///< in_channels → expanded with [0, 6] clamp; NULL without expansion
    const orchard_pointwise *project;  ///< expanded → out_channels, linear
    orchard_depthwise3x3 depthwise;  ///< its sizes and weights; the runner points input and output at the bands
    int32_t in_channels, out_channels;
    int32_t residual;       ///< whether the block adds its input to its output
    int32_t rows_per_band;  ///< output rows computed per band
    float *band_in;   ///< a ring of (rows_per_band − 1)·stride + 3 expanded rows
    float *band_out;  ///< rows_per_band depthwise output rows
    const orchard_patches3x3 *patches;  ///< NULL, or: the block's input is an image, and `expand` (in_channels
                                        ///< = 9·its channels) runs on its patches, gathered into band_patches
    float *band_patches;  ///< (rows_per_band − 1)·stride + 3 rows of patches, with `patches`
} orchard_inverted_residual;

/// Runs a block from `x` ([H][W][in_channels]) into `y` ([Ho][Wo][out_channels], not overlapping `x`)
/// on `lane_count` copies of it (each with its own operators and band buffers): lane i computes the
/// i-th share of the output rows on one of `threadpool`'s threads (a pthreadpool_t; NULL: one after the
/// other). Returns 0 or the first failing XNNPACK status.
int orchard_inverted_residual_run(const orchard_inverted_residual *lanes, int32_t lane_count, const float *x, float *y,
                                  void *threadpool);

/// Fractional bits of the resize's fixed-point weights (Pillow's PRECISION_BITS: 32 − 8 − 2).
#define ORCHARD_RESAMPLE_PRECISION_BITS 22

/// Pillow's vertical bicubic pass (8 bits per channel): output row y of `row_length` bytes mixes input rows
/// starts[y] − first_row … + counts[y] with the 22-bit fixed-point `weights` (`taps` per row).
void orchard_resample_vertical(const uint8_t *src, size_t row_length, const int32_t *weights, size_t taps,
                               const intptr_t *starts, const intptr_t *counts, intptr_t first_row, uint8_t *dst,
                               size_t out_height);

/// `orchard_resample_vertical` with the kernel of `isa` ("avx2" or "scalar"; NULL: the best this CPU has);
/// returns -1 without computing when this CPU lacks it. For tests of every kernel on one machine.
int orchard_resample_vertical_isa(const uint8_t *src, size_t row_length, const int32_t *weights, size_t taps,
                                  const intptr_t *starts, const intptr_t *counts, intptr_t first_row, uint8_t *dst,
                                  size_t out_height, const char *isa);

/// Pillow's horizontal bicubic pass over `row_count` RGB rows of `width` pixels into rows of `out_width`.
void orchard_resample_horizontal_rgb(const uint8_t *src, size_t width, size_t row_count, const int32_t *weights,
                                     size_t taps, const intptr_t *starts, const intptr_t *counts, uint8_t *dst,
                                     size_t out_width);

/// `orchard_resample_horizontal_rgb` with the kernel of `isa` ("avx2" or "scalar"; NULL: the best this CPU
/// has); returns -1 without computing when this CPU lacks it. For tests of every kernel on one machine.
int orchard_resample_horizontal_rgb_isa(const uint8_t *src, size_t width, size_t row_count, const int32_t *weights,
                                        size_t taps, const intptr_t *starts, const intptr_t *counts, uint8_t *dst,
                                        size_t out_width, const char *isa);

#ifdef __cplusplus
}
#endif

#endif
