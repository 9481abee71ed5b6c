#include "orchard_kernels.h"
#include "patches.h"

#include <string.h>

/// One output row's patches for `C` channels; with a constant C (the inlined RGB case) each copy is a few
/// moves instead of a call to memcpy.
static inline __attribute__((always_inline)) void patch_row(const orchard_patches3x3 *p, const float *image, int oy,
                                                            int ox_begin, int ox_end, float *out, const int C) {
    const int S = p->stride, W = p->in_width;
    for (int ox = ox_begin; ox < ox_end; ox++) {
        const int ix0 = ox * S - p->pad_left;
        for (int ky = 0; ky < 3; ky++, out += 3 * C) {
            const int iy = oy * S - p->pad_top + ky;
            if (iy < 0 || iy >= p->in_height) {
                memset(out, 0, 3 * (size_t)C * sizeof(float));
            } else if (ix0 >= 0 && ix0 + 3 <= W) {
                memcpy(out, image + ((size_t)iy * W + ix0) * C, 3 * (size_t)C * sizeof(float));  // 3 adjacent pixels
            } else {
                for (int kx = 0; kx < 3; kx++) {
                    const int ix = ix0 + kx;
                    if (ix < 0 || ix >= W) {
                        memset(out + kx * C, 0, (size_t)C * sizeof(float));
                    } else {
                        memcpy(out + kx * C, image + ((size_t)iy * W + ix) * C, (size_t)C * sizeof(float));
                    }
                }
            }
        }
    }
}

void orchard_patches3x3_span(const orchard_patches3x3 *p, const float *image, int32_t oy, int32_t ox_begin,
                             int32_t ox_end, float *patches) {
    if (p->channels == 3) {
        patch_row(p, image, oy, ox_begin, ox_end, patches, 3);
    } else {
        patch_row(p, image, oy, ox_begin, ox_end, patches, p->channels);
    }
}

void orchard_patches3x3_rows(const orchard_patches3x3 *p, const float *image, int32_t row_begin, int32_t row_end,
                             float *patches) {
    const size_t row = (size_t)p->out_width * 9 * p->channels;
    for (int oy = row_begin; oy < row_end; oy++) {
        orchard_patches3x3_span(p, image, oy, 0, p->out_width, patches + (size_t)(oy - row_begin) * row);
    }
}
