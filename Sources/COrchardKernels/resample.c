// Pillow's fixed-point bicubic passes (libImaging/Resample.c, 8 bits per channel), vectorised. Integer
// sums are exact in any order, so every instruction set gives Pillow's bytes.
#include "orchard_kernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#define PRECISION_BITS ORCHARD_RESAMPLE_PRECISION_BITS

static inline uint8_t clip8(int32_t value) {
    value >>= PRECISION_BITS;
    return value < 0 ? 0 : value > 255 ? 255 : (uint8_t)value;
}

/// Byte i of a vertical output row: `count` input rows `row_length` apart mixed by `w`.
static inline uint8_t vertical_sample(const uint8_t *rows, size_t row_length, size_t i, const int32_t *w,
                                      intptr_t count) {
    int32_t sum = 1 << (PRECISION_BITS - 1);
    for (intptr_t tap = 0; tap < count; tap++) sum += (int32_t)rows[(size_t)tap * row_length + i] * w[tap];
    return clip8(sum);
}

static void vertical_scalar(const uint8_t *src, size_t row_length, const int32_t *weights, size_t taps,
                            const intptr_t *starts, const intptr_t *counts, intptr_t first_row, uint8_t *dst,
                            size_t out_height) {
    for (size_t y = 0; y < out_height; y++) {
        const uint8_t *rows = src + (size_t)(starts[y] - first_row) * row_length;
        const int32_t *w = weights + y * taps;
        uint8_t *out = dst + y * row_length;
        for (size_t i = 0; i < row_length; i++) out[i] = vertical_sample(rows, row_length, i, w, counts[y]);
    }
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2")))
static void vertical_avx2(const uint8_t *src, size_t row_length, const int32_t *weights, size_t taps,
                          const intptr_t *starts, const intptr_t *counts, intptr_t first_row, uint8_t *dst,
                          size_t out_height) {
    const __m256i half = _mm256_set1_epi32(1 << (PRECISION_BITS - 1));
    for (size_t y = 0; y < out_height; y++) {
        const uint8_t *rows = src + (size_t)(starts[y] - first_row) * row_length;
        const int32_t *w = weights + y * taps;
        uint8_t *out = dst + y * row_length;
        size_t i = 0;
        for (; i + 8 <= row_length; i += 8) {
            __m256i sum = half;
            for (intptr_t tap = 0; tap < counts[y]; tap++) {
                const __m128i bytes = _mm_loadl_epi64((const __m128i *)(rows + (size_t)tap * row_length + i));
                sum = _mm256_add_epi32(sum, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(bytes), _mm256_set1_epi32(w[tap])));
            }
            sum = _mm256_srai_epi32(sum, PRECISION_BITS);
            // Saturating packs clamp to 0…255 as clip8 does.
            const __m128i words = _mm_packus_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
            _mm_storel_epi64((__m128i *)(out + i), _mm_packus_epi16(words, words));
        }
        for (; i < row_length; i++) out[i] = vertical_sample(rows, row_length, i, w, counts[y]);
    }
}
#endif

int orchard_resample_vertical_isa(const uint8_t *src, size_t row_length, const int32_t *weights, size_t taps,
                                  const intptr_t *starts, const intptr_t *counts, intptr_t first_row, uint8_t *dst,
                                  size_t out_height, const char *isa) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if ((!isa || strcmp(isa, "avx2") == 0) && __builtin_cpu_supports("avx2")) {
        vertical_avx2(src, row_length, weights, taps, starts, counts, first_row, dst, out_height);
        return 0;
    }
#endif
    if (isa && strcmp(isa, "scalar") != 0) return -1;
    vertical_scalar(src, row_length, weights, taps, starts, counts, first_row, dst, out_height);
    return 0;
}

void orchard_resample_vertical(const uint8_t *src, size_t row_length, const int32_t *weights, size_t taps,
                               const intptr_t *starts, const intptr_t *counts, intptr_t first_row, uint8_t *dst,
                               size_t out_height) {
    orchard_resample_vertical_isa(src, row_length, weights, taps, starts, counts, first_row, dst, out_height, NULL);
}

static void horizontal_scalar(const uint8_t *src, size_t width, size_t row_count, const int32_t *weights, size_t taps,
                              const intptr_t *starts, const intptr_t *counts, uint8_t *dst, size_t out_width) {
    for (size_t row = 0; row < row_count; row++) {
        const uint8_t *input = src + row * width * 3;
        uint8_t *output = dst + row * out_width * 3;
        for (size_t x = 0; x < out_width; x++) {
            const int32_t *w = weights + x * taps;
            const uint8_t *pixel = input + (size_t)starts[x] * 3;
            int32_t red = 1 << (PRECISION_BITS - 1), green = red, blue = red;
            for (intptr_t tap = 0; tap < counts[x]; tap++, pixel += 3) {
                red += (int32_t)pixel[0] * w[tap];
                green += (int32_t)pixel[1] * w[tap];
                blue += (int32_t)pixel[2] * w[tap];
            }
            output[x * 3] = clip8(red);
            output[x * 3 + 1] = clip8(green);
            output[x * 3 + 2] = clip8(blue);
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
/// Rows per strip of the transposed horizontal pass: 32 RGB rows make 96-byte "rows", twelve AVX2 steps.
#define STRIP_ROWS 32

/// The horizontal pass as the vertical one on transposed strips of rows: a pixel column of a strip is
/// one 96-byte row, so the AVX2 vertical kernel mixes input columns into output columns, 8 bytes a step.
/// Returns -1 (nothing written) when the strip buffers cannot be allocated.
__attribute__((target("avx2")))
static int horizontal_avx2(const uint8_t *src, size_t width, size_t row_count, const int32_t *weights, size_t taps,
                           const intptr_t *starts, const intptr_t *counts, uint8_t *dst, size_t out_width) {
    uint8_t *columns = malloc(width * STRIP_ROWS * 3), *mixed = malloc(out_width * STRIP_ROWS * 3);
    if (!columns || !mixed) {
        free(columns);
        free(mixed);
        return -1;
    }
    for (size_t first = 0; first < row_count; first += STRIP_ROWS) {
        const size_t rows = row_count - first < STRIP_ROWS ? row_count - first : STRIP_ROWS;
        const size_t column_length = rows * 3;
        for (size_t row = 0; row < rows; row++) {
            const uint8_t *input = src + (first + row) * width * 3;
            for (size_t x = 0; x < width; x++) memcpy(columns + x * column_length + row * 3, input + x * 3, 3);
        }
        vertical_avx2(columns, column_length, weights, taps, starts, counts, 0, mixed, out_width);
        for (size_t row = 0; row < rows; row++) {
            uint8_t *output = dst + (first + row) * out_width * 3;
            for (size_t x = 0; x < out_width; x++) memcpy(output + x * 3, mixed + x * column_length + row * 3, 3);
        }
    }
    free(columns);
    free(mixed);
    return 0;
}
#endif

int orchard_resample_horizontal_rgb_isa(const uint8_t *src, size_t width, size_t row_count, const int32_t *weights,
                                        size_t taps, const intptr_t *starts, const intptr_t *counts, uint8_t *dst,
                                        size_t out_width, const char *isa) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if ((!isa || strcmp(isa, "avx2") == 0) && __builtin_cpu_supports("avx2") &&
        horizontal_avx2(src, width, row_count, weights, taps, starts, counts, dst, out_width) == 0)
        return 0;
#endif
    if (isa && strcmp(isa, "scalar") != 0) return -1;
    horizontal_scalar(src, width, row_count, weights, taps, starts, counts, dst, out_width);
    return 0;
}

void orchard_resample_horizontal_rgb(const uint8_t *src, size_t width, size_t row_count, const int32_t *weights,
                                     size_t taps, const intptr_t *starts, const intptr_t *counts, uint8_t *dst,
                                     size_t out_width) {
    orchard_resample_horizontal_rgb_isa(src, width, row_count, weights, taps, starts, counts, dst, out_width, NULL);
}
