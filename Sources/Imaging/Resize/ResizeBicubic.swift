/// Resizes `image` to `width`×`height` with Pillow's bicubic filter, bit-exact with
/// `Image.resize((width, height), Image.BICUBIC)` on an RGB image.
public func resizeBicubic(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
    precondition(width > 0 && height > 0, "resizeBicubic: target size must be positive")
    var resampler = BicubicResampler()
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    image.pixels.withUnsafeBufferPointer { source in
        pixels.withUnsafeMutableBufferPointer { target in
            resampler.resize(source, width: image.width, height: image.height, into: target,
                             outWidth: width, outHeight: height)
        }
    }
    return RGBImage(width: width, height: height, pixels: pixels)
}
