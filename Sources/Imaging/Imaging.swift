// Imaging: image bytes (JPEG via libjpeg-turbo, PNG via libpng) to the 224×224 RGB tensor Keras feeds
// MobileNetV2 — EXIF orientation, Pillow-equal bicubic resize, scaling to [-1, 1].
