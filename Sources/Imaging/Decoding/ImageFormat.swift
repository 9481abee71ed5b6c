/// The encodings `ImageDecoder` understands, recognised by their leading signature bytes.
enum ImageFormat: Sendable {
    case jpeg
    case png

    /// The format whose signature starts `bytes`, or nil for anything else.
    init?(sniffing bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF {
            self = .jpeg
        } else if bytes.count >= 8, bytes.prefix(8).elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else {
            return nil
        }
    }
}

/// The size of a decoded image, whose RGB bytes went into a caller's buffer.
struct DecodedSize: Sendable, Equatable {
    var width: Int
    var height: Int
}

extension ImageLimits {
    /// Throws `tooManyPixels` when a header's size is over the limit — before anything is allocated.
    func checkPixels(width: Int, height: Int, file: String) throws(ImageError) {
        guard width > 0, height > 0 else {
            throw .corrupt(file: file, detail: "header declares a \(width)×\(height) image")
        }
        if width * height > maxPixels {
            throw .tooManyPixels(file: file, width: width, height: height, limit: maxPixels)
        }
    }
}
