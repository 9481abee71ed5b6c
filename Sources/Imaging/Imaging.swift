// Imaging: image bytes (JPEG via libjpeg-turbo, PNG via libpng) to the 224×224 RGB tensor Keras feeds
// MobileNetV2 — EXIF orientation, Pillow-equal bicubic resize, scaling to [-1, 1].
//
// The reference is the seed pipeline's Python: `Image.open(f).convert("RGB")`, `ImageOps.exif_transpose`,
// `.resize((224, 224))` (Pillow ≥ 13, BICUBIC) and Keras `preprocess_input(mode="tf")` (`x / 127.5 - 1`).
// Every step is bit-exact with Pillow on the tests' images (see Tests/ImagingTests):
// - `ImageDecoder` — JPEG (TurboJPEG API, accurate IDCT, fancy upsampling, Adobe CMYK/YCCK) and PNG
//   (libpng, palette/grey/16-bit/alpha converted as Pillow does), EXIF orientation (EXIF 2.3 §4.6.4),
//   `ImageLimits` checked from the header before any pixel buffer is allocated, failures as `ImageError`.
// - `resizeBicubic` / `BicubicResampler` — Pillow's libImaging/Resample.c: Keys cubic (a = −0.5),
//   support widened when downscaling, 22-bit fixed-point weights, 8-bit rounded intermediate image.
// - `ModelInputPreparer` — all of the above into a caller's Float32 NHWC buffer, reusing memory.
