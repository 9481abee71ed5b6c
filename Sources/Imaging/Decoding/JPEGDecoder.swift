import turbojpeg

/// Decodes baseline and progressive JPEG with libjpeg-turbo's TurboJPEG API, the way Pillow's
/// libjpeg path does: accurate integer IDCT, fancy upsampling, CMYK read with Adobe polarity.
enum JPEGDecoder {
    /// Decodes `bytes` into `pixels` (resized to `width * height * 3`) as 8-bit RGB, unrotated.
    static func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String, limits: ImageLimits,
        into pixels: inout [UInt8], scratch: inout [UInt8]
    ) throws(ImageError) -> DecodedSize {
        guard let base = bytes.baseAddress, let handle = tjInitDecompress() else {
            throw .corrupt(file: file, detail: "TurboJPEG could not start")
        }
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        if tjDecompressHeader3(handle, base, UInt(bytes.count), &width, &height, &subsampling, &colorspace) != 0 {
            throw classify(message(handle), file: file)
        }
        let size = DecodedSize(width: Int(width), height: Int(height))
        try limits.checkPixels(width: size.width, height: size.height, file: file)
        let count = size.width * size.height
        let isCMYK = colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue)
        let format = isCMYK ? TJPF_CMYK : TJPF_RGB
        let channels = isCMYK ? 4 : 3
        // The decoder writes every byte, so stale contents of a reused buffer never show through.
        if isCMYK { resizeBuffer(&scratch, to: count * 4) }
        resizeBuffer(&pixels, to: count * 3)
        let status: Int32 =
            if isCMYK {
                scratch.withUnsafeMutableBufferPointer { out in
                    tjDecompress2(handle, base, UInt(bytes.count), out.baseAddress, width,
                                  width * Int32(channels), height, Int32(format.rawValue), 0)
                }
            } else {
                pixels.withUnsafeMutableBufferPointer { out in
                    tjDecompress2(handle, base, UInt(bytes.count), out.baseAddress, width,
                                  width * Int32(channels), height, Int32(format.rawValue), 0)
                }
            }
        if status != 0 {
            let text = message(handle)
            // libjpeg warns and carries on over many small defects; Pillow accepts those images too.
            // Running out of data is the exception: Pillow raises "image file is truncated".
            if tjGetErrorCode(handle) != Int32(TJERR_WARNING.rawValue) || text.contains("Premature end") {
                throw classify(text, file: file)
            }
        }
        if isCMYK { convertAdobeCMYK(scratch, count: count, into: &pixels) }
        return size
    }

    /// Turns inverted (Adobe) CMYK into RGB exactly as Pillow's `CMYK;I` unpacker + `cmyk2rgb` do.
    private static func convertAdobeCMYK(_ cmyk: [UInt8], count: Int, into rgb: inout [UInt8]) {
        cmyk.withUnsafeBufferPointer { source in
            rgb.withUnsafeMutableBufferPointer { target in
                for i in 0..<count {
                    // Stored bytes are inverted: the ink is 255 - byte, so 255 - K is the stored K byte.
                    let notK = Int32(source[i * 4 + 3])
                    for c in 0..<3 {
                        let ink = 255 - Int32(source[i * 4 + c])
                        let t = ink &* notK &+ 128
                        let value = notK - (((t >> 8) &+ t) >> 8)
                        target[i * 3 + c] = UInt8(clamping: value)
                    }
                }
            }
        }
    }

    private static func message(_ handle: tjhandle) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown TurboJPEG error" }
        return String(cString: text)
    }

    private static func classify(_ message: String, file: String) -> ImageError {
        if message.contains("Premature end") || message.contains("insufficient data") {
            return .truncated(file: file, detail: message)
        }
        if message.contains("Unsupported") || message.contains("Could not determine subsampling") {
            return .unsupported(file: file, detail: message)
        }
        return .corrupt(file: file, detail: message)
    }
}
