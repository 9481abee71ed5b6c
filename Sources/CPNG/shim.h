#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// libpng reports errors by longjmp, which Swift cannot catch. These few inline functions keep every
// libpng call that may fail inside a C frame that owns its own setjmp, and hand Swift a status code
// and a message instead. They decode from memory with the classic API because the simplified
// png_image API applies gamma and 16→8-bit rounding that Pillow (the reference) does not.

/// Decoding state for one in-memory PNG: libpng's structs, the input cursor and the last error.
typedef struct OrchardPNGReader {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size;
    size_t offset;
    png_bytep *rows;
    uint32_t width;
    uint32_t height;
    int bitDepth;
    int colorType;
    char message[160];
    jmp_buf jump;
} OrchardPNGReader;

/// What `orchard_png_read_pixels` writes: 8-bit RGB, or the raw 16-bit big-endian grey samples.
typedef enum OrchardPNGOutput { OrchardPNGOutputRGB8 = 0, OrchardPNGOutputGray16 = 1 } OrchardPNGOutput;

static void orchard_png_on_error(png_structp png, png_const_charp message) {
    OrchardPNGReader *reader = (OrchardPNGReader *)png_get_error_ptr(png);
    strncpy(reader->message, message ? message : "libpng error", sizeof reader->message - 1);
    reader->message[sizeof reader->message - 1] = 0;
    longjmp(reader->jump, 1);
}

static void orchard_png_on_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;  // Pillow ignores the same benign problems (bad ancillary chunks, odd profiles).
}

static void orchard_png_read_bytes(png_structp png, png_bytep out, size_t count) {
    OrchardPNGReader *reader = (OrchardPNGReader *)png_get_io_ptr(png);
    if (count > reader->size - reader->offset) {
        png_error(png, "unexpected end of data");
    }
    memcpy(out, reader->data + reader->offset, count);
    reader->offset += count;
}

/// Frees everything the reader holds, including itself; safe after any failure.
static inline void orchard_png_close(OrchardPNGReader *reader) {
    if (reader == NULL) return;
    if (reader->png != NULL) png_destroy_read_struct(&reader->png, &reader->info, NULL);
    free(reader->rows);
    free(reader);
}

/// Reads the signature and header of `data`; returns NULL only when out of memory, else a reader whose
/// `message` is empty on success (width, height, bit depth and colour type are then set).
static inline OrchardPNGReader *orchard_png_open(const uint8_t *data, size_t size) {
    OrchardPNGReader *reader = (OrchardPNGReader *)calloc(1, sizeof(OrchardPNGReader));
    if (reader == NULL) return NULL;
    reader->data = data;
    reader->size = size;
    if (setjmp(reader->jump)) return reader;
    reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, reader, orchard_png_on_error,
                                         orchard_png_on_warning);
    if (reader->png == NULL) {
        strcpy(reader->message, "out of memory");
        return reader;
    }
    reader->info = png_create_info_struct(reader->png);
    if (reader->info == NULL) png_error(reader->png, "out of memory");
    png_set_read_fn(reader->png, reader, orchard_png_read_bytes);
    png_read_info(reader->png, reader->info);
    reader->width = png_get_image_width(reader->png, reader->info);
    reader->height = png_get_image_height(reader->png, reader->info);
    reader->bitDepth = png_get_bit_depth(reader->png, reader->info);
    reader->colorType = png_get_color_type(reader->png, reader->info);
    return reader;
}

/// Decodes all rows into `out` (`height` rows of `rowBytes`) as `output` asks; returns 0 on success,
/// -1 with `message` set otherwise. Alpha and transparency are dropped, not composited, like
/// Pillow's `convert("RGB")`; 16-bit samples keep their high byte in RGB8 mode.
static inline int orchard_png_read_pixels(OrchardPNGReader *reader, uint8_t *out, size_t rowBytes,
                                          OrchardPNGOutput output) {
    if (reader->message[0] != 0 || reader->png == NULL) return -1;
    if (setjmp(reader->jump)) return -1;
    png_structp png = reader->png;
    if (output == OrchardPNGOutputRGB8) {
        png_set_palette_to_rgb(png);
        png_set_expand_gray_1_2_4_to_8(png);
        png_set_strip_16(png);
        png_set_strip_alpha(png);
        png_set_gray_to_rgb(png);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, reader->info);
    if (png_get_rowbytes(png, reader->info) != rowBytes) {
        png_error(png, "unexpected row size after conversion");
    }
    reader->rows = (png_bytep *)malloc(sizeof(png_bytep) * (size_t)reader->height);
    if (reader->rows == NULL) png_error(png, "out of memory");
    for (uint32_t y = 0; y < reader->height; y++) reader->rows[y] = out + (size_t)y * rowBytes;
    png_read_image(png, reader->rows);
    return 0;
}
