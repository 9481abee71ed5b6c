// Within the kernels: the patch gather for part of one output row (patches.c), for the 3×3 convolution's
// pixels whose windows cross the image's border (pointwise_template.h reads the others in place).
#ifndef ORCHARD_PATCHES_H
#define ORCHARD_PATCHES_H

#include "orchard_kernels.h"

/// Writes the patches of output pixels [ox_begin, ox_end) of output row `oy` to `patches`
/// ([ox_end − ox_begin][9·channels]), as `orchard_patches3x3_rows` does for whole rows.
void orchard_patches3x3_span(const orchard_patches3x3 *p, const float *image, int32_t oy, int32_t ox_begin,
                             int32_t ox_end, float *patches);

#endif
