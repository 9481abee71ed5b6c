import png16

/// Decodes PNG with libpng's classic API (through the setjmp-guarded shim in CPNG), reproducing
/// Pillow's `convert("RGB")`: palette looked up, grey replicated, alpha and tRNS dropped, 16-bit
/// samples cut to their high byte — except 16-bit grey, which Pillow clips (`min(v, 255)`).
enum PNGDecoder {
    /// Decodes `bytes` into `pixels` (resized to `width * height * 3`) as 8-bit RGB.
    static func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String, limits: ImageLimits,
        into pixels: inout [UInt8], scratch: inout [UInt8]
    ) throws(ImageError) -> DecodedSize {
        guard let base = bytes.baseAddress, let reader = orchard_png_open(base, bytes.count) else {
            throw .corrupt(file: file, detail: "libpng could not start")
        }
        defer { orchard_png_close(reader) }
        if let failure = error(reader, file: file) { throw failure }
        let size = DecodedSize(width: Int(reader.pointee.width), height: Int(reader.pointee.height))
        try limits.checkPixels(width: size.width, height: size.height, file: file)
        let count = size.width * size.height
        let isGray16 = reader.pointee.colorType == PNG_COLOR_TYPE_GRAY && reader.pointee.bitDepth == 16
        if isGray16 {
            resizeBuffer(&scratch, to: count * 2)
            let status = scratch.withUnsafeMutableBufferPointer { out in
                orchard_png_read_pixels(reader, out.baseAddress, size.width * 2, OrchardPNGOutputGray16)
            }
            if status != 0 { throw error(reader, file: file) ?? .corrupt(file: file, detail: "libpng failed") }
            resizeBuffer(&pixels, to: count * 3)
            clipGray16(scratch, count: count, into: &pixels)
        } else {
            resizeBuffer(&pixels, to: count * 3)
            let status = pixels.withUnsafeMutableBufferPointer { out in
                orchard_png_read_pixels(reader, out.baseAddress, size.width * 3, OrchardPNGOutputRGB8)
            }
            if status != 0 { throw error(reader, file: file) ?? .corrupt(file: file, detail: "libpng failed") }
        }
        return size
    }

    /// Pillow opens 16-bit grey as mode `I;16` and its conversion to RGB clips instead of scaling.
    private static func clipGray16(_ samples: [UInt8], count: Int, into rgb: inout [UInt8]) {
        samples.withUnsafeBufferPointer { source in
            rgb.withUnsafeMutableBufferPointer { target in
                for i in 0..<count {
                    let value = source[i * 2] == 0 ? source[i * 2 + 1] : 255
                    target[i * 3] = value
                    target[i * 3 + 1] = value
                    target[i * 3 + 2] = value
                }
            }
        }
    }

    private static func error(_ reader: UnsafeMutablePointer<OrchardPNGReader>, file: String) -> ImageError? {
        let message = withUnsafeBytes(of: reader.pointee.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if message.isEmpty { return nil }
        if message.contains("unexpected end") || message.contains("Not enough image data")
            || message.contains("Read Error")
        {
            return .truncated(file: file, detail: message)
        }
        return .corrupt(file: file, detail: message)
    }
}
