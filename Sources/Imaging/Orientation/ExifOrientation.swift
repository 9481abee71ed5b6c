/// The EXIF orientation tag (0x0112) of a JPEG: how the stored pixels must be turned to display upright.
/// Values and transforms follow EXIF 2.3 §4.6.4 and Pillow's `ImageOps.exif_transpose`.
enum ExifOrientation: UInt16, Sendable {
    case upright = 1
    case mirrored = 2
    case rotated180 = 3
    case flippedVertically = 4
    case transposed = 5
    case rotatedClockwise = 6
    case transversed = 7
    case rotatedCounterClockwise = 8

    /// Whether applying it swaps width and height.
    var swapsAxes: Bool { rawValue >= 5 }

    /// The orientation in the first APP1 Exif segment before the scan, or `.upright` when there is
    /// none or it cannot be read (a damaged Exif block never fails the decode, as in Pillow).
    init(jpeg bytes: UnsafeBufferPointer<UInt8>) {
        self = Self.findExif(in: bytes).flatMap(Self.readTIFF).flatMap { Self(rawValue: $0) } ?? .upright
    }

    /// The TIFF payload of the first `Exif\0\0` APP1 segment, walking markers with bounds checks.
    private static func findExif(in bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        var position = 2  // after SOI
        while position + 4 <= bytes.count {
            guard bytes[position] == 0xFF else { return nil }
            let marker = bytes[position + 1]
            if marker == 0xFF { position += 1; continue }  // fill byte
            if marker == 0x01 || (0xD0...0xD8).contains(marker) { position += 2; continue }  // no length
            if marker == 0xDA || marker == 0xD9 { return nil }  // scan data or end: no Exif before it
            let length = Int(bytes[position + 2]) << 8 | Int(bytes[position + 3])
            let start = position + 4
            let end = position + 2 + length
            guard length >= 2, end <= bytes.count else { return nil }
            if marker == 0xE1, end - start >= 6,
                bytes[start..<start + 6].elementsEqual([0x45, 0x78, 0x69, 0x66, 0, 0])
            {
                return UnsafeBufferPointer(rebasing: bytes[(start + 6)..<end])
            }
            position = end
        }
        return nil
    }

    /// Reads tag 0x0112 from IFD0 of a TIFF block; nil if absent or malformed.
    private static func readTIFF(_ tiff: UnsafeBufferPointer<UInt8>) -> UInt16? {
        guard tiff.count >= 8 else { return nil }
        let bigEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x4D, 0x4D): bigEndian = true
        case (0x49, 0x49): bigEndian = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            let (a, b) = (Int(tiff[at]), Int(tiff[at + 1]))
            return bigEndian ? a << 8 | b : b << 8 | a
        }
        func u32(_ at: Int) -> Int? {
            guard let high = u16(bigEndian ? at : at + 2), let low = u16(bigEndian ? at + 2 : at) else { return nil }
            return high << 16 | low
        }
        guard u16(2) == 42, let ifd = u32(4), let entries = u16(ifd) else { return nil }
        for index in 0..<entries {
            let entry = ifd + 2 + index * 12
            guard let tag = u16(entry), let type = u16(entry + 2), let count = u32(entry + 4) else { return nil }
            guard tag == 0x0112 else { continue }
            guard count == 1 else { return nil }
            switch type {
            case 1: return entry + 8 < tiff.count ? UInt16(tiff[entry + 8]) : nil  // BYTE
            case 3: return u16(entry + 8).map { UInt16($0) }  // SHORT
            case 4: return u32(entry + 8).flatMap { UInt16(exactly: $0) }  // LONG
            default: return nil
            }
        }
        return nil
    }
}
