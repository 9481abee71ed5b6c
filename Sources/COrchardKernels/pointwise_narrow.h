// Within the kernels: the AVX-512 1×1 kernel for layers of 8, 16 or 24 outputs (pointwise_narrow.c), and
// the second weight layout it reads, which orchard_pointwise_pack writes after the panels.
#ifndef ORCHARD_POINTWISE_NARROW_H
#define ORCHARD_POINTWISE_NARROW_H

#include "orchard_kernels.h"

/// Whether a layer of this shape runs on the narrow kernel (on AVX-512) and gets its weight layout.
int orchard_pointwise_is_narrow(int32_t inputs, int32_t outputs);

/// Floats of the narrow layout of such a layer ([inputs][outputs][2]: each weight twice), 0 for any other.
size_t orchard_pointwise_narrow_count(int32_t inputs, int32_t outputs);

/// Writes the narrow layout of Keras's `[inputs][outputs]` kernel to `packed`.
void orchard_pointwise_narrow_pack(const float *kernel, int32_t inputs, int32_t outputs, float *packed);

/// The narrow kernel over `pixels` rows of `input` into `output`, its weights at `dup` (the narrow layout);
/// the bias comes from `p->bias`. Only for a layer `orchard_pointwise_is_narrow` accepts, on AVX-512.
void orchard_pointwise_narrow_run_avx512(const orchard_pointwise *p, const float *dup, size_t pixels,
                                         const float *input, float *output);

#endif
