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
        // libjpeg reads the end of the data as an end-of-image marker: a file cut before its frame header
        // "succeeds" with no size.
        guard width > 0, height > 0 else {
            throw .truncated(file: file, detail: "the data ends before the frame header, after \(bytes.count) bytes")
        }
        let size = DecodedSize(width: Int(width), height: Int(height))
        try limits.checkPixels(width: size.width, height: size.height, file: file)
        // A progressive JPEG may repeat tiny scans to burn CPU; libjpeg-turbo 2.1 has no scan limit.
        let scans = scanCount(bytes)
        if scans > maxScans {
            throw .unsupported(file: file, detail: "\(scans) scans, more than \(maxScans)")
        }
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

    /// Most scans accepted; real progressive files have about ten (libjpeg-turbo's own tools suggest 500).
    static let maxScans = 500

    /// Start-of-scan markers in `bytes`, walking segments by their lengths and entropy-coded data
    /// byte by byte (where 0xFF is stuffed as FF 00 and restart markers carry no length).
    private static func scanCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var index = 2  // after SOI
        while index + 3 < bytes.count {
            guard bytes[index] == 0xFF else { index += 1; continue }
            let marker = bytes[index + 1]
            switch marker {
            case 0xFF: index += 1  // fill byte
            case 0x00, 0x01, 0xD0...0xD8: index += 2  // stuffed byte, TEM, RSTn, SOI: no length
            case 0xD9: return count
            default:
                let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
                guard length >= 2 else { return count }
                if marker == 0xDA { count += 1 }
                index += 2 + length
            }
        }
        return count
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

    /// Sorts libjpeg's messages into the error cases. "Unsupported" also prefixes corruption
    /// ("Unsupported marker type"), so only real variants — lossless/hierarchical frames, 12- and
    /// 16-bit samples, odd subsampling — count as unsupported.
    private static func classify(_ message: String, file: String) -> ImageError {
        if message.contains("Premature end") || message.contains("insufficient data") {
            return .truncated(file: file, detail: message)
        }
        let variants = ["Unsupported JPEG process", "Unsupported color conversion", "Could not determine subsampling"]
        if variants.contains(where: message.contains) || message.hasSuffix("precision 12")
            || message.hasSuffix("precision 16")
        {
            return .unsupported(file: file, detail: message)
        }
        return .corrupt(file: file, detail: message)
    }
}
