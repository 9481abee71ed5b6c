import Foundation
import Imaging
import Testing

/// Files that are not decodable images fail with a typed `ImageError` naming the file — never a crash.
@Suite struct BadInputTests {
    let decoder = ImageDecoder()

    @Test func emptyFile() {
        #expect(throws: ImageError.empty(file: "empty.jpg")) { try decoder.decode([], name: "empty.jpg") }
    }

    @Test func textRenamedToJPEG() {
        let text = Array("Fruits are not pictures of fruits.\n".utf8)
        #expect(throws: ImageError.notAnImage(file: "notes.jpg")) { try decoder.decode(text, name: "notes.jpg") }
    }

    @Test func truncatedJPEG() throws {
        let bytes = try TestData.bytes(TestData.fruits(perClass: 1)[0])
        let error = try #require(throws: ImageError.self) {
            try decoder.decode(Array(bytes.prefix(bytes.count / 2)), name: "half.jpg")
        }
        guard case .truncated(let file, _) = error else {
            Issue.record("expected .truncated, got \(error)")
            return
        }
        #expect(file == "half.jpg")
        #expect(error.description.hasPrefix("half.jpg: truncated"))
    }

    /// A download cut within the first hundred bytes ends before the frame header: it is a truncated file,
    /// not an image that declares 0×0 pixels.
    @Test func jpegCutBeforeItsFrameHeader() throws {
        let bytes = try TestData.bytes(TestData.fruits(perClass: 1)[0])
        for count in [4, 20, 100] {
            let error = try #require(throws: ImageError.self) { try decoder.decode(Array(bytes.prefix(count)), name: "cut.jpg") }
            guard case .truncated = error else {
                Issue.record("\(count) bytes: expected .truncated, got \(error)")
                continue
            }
            #expect(!error.description.contains("0×0"), "\(error)")
        }
    }

    @Test func truncatedPNG() throws {
        let bytes = try TestData.bytes(TestData.fixture("rgba.png"))
        let error = try #require(throws: ImageError.self) {
            try decoder.decode(Array(bytes.prefix(bytes.count / 2)), name: "half.png")
        }
        guard case .truncated = error else {
            Issue.record("expected .truncated, got \(error)")
            return
        }
    }

    @Test func corruptPNGChecksum() throws {
        var bytes = try TestData.bytes(TestData.fixture("palette.png"))
        bytes[20] ^= 0x01  // inside IHDR: its CRC no longer matches
        let error = try #require(throws: ImageError.self) { try decoder.decode(bytes, name: "crc.png") }
        guard case .corrupt(let file, _) = error else {
            Issue.record("expected .corrupt, got \(error)")
            return
        }
        #expect(file == "crc.png")
    }

    @Test func onePixelImagesWork() throws {
        for name in ["one_pixel.png", "one_pixel.jpg"] {
            var preparer = ModelInputPreparer()
            let image = try preparer.prepareRGB(try TestData.bytes(TestData.fixture(name)), name: name)
            #expect(image.width == 224 && image.height == 224)
            // A single pixel resizes to a flat image of its colour (JPEG may shift it slightly).
            #expect(Set(stride(from: 0, to: image.pixels.count, by: 3).map { image.pixels[$0] }).count == 1)
        }
    }

    @Test func pixelBombIsRejectedFromTheHeader() throws {
        // 10000×10000 = 100 M pixels in 12 KB. Rejected before 300 MB of RGB is allocated: cutting
        // the file just after its header gives the same answer, so nothing past the header was read.
        let bytes = try TestData.bytes(TestData.fixture("bomb_10000x10000.png"))
        let expected = ImageError.tooManyPixels(file: "bomb.png", width: 10000, height: 10000, limit: 50_000_000)
        #expect(throws: expected) { try decoder.decode(bytes, name: "bomb.png") }
        #expect(throws: expected) { try decoder.decode(Array(bytes.prefix(33 + 12)), name: "bomb.png") }
        #expect(expected.description.contains("10000×10000"))
    }

    @Test func jpegPixelBombIsRejectedFromTheHeader() throws {
        // A real 100×100 JPEG whose frame header is edited to claim 20000×20000.
        var bytes = try TestData.bytes(TestData.fruits(perClass: 1)[0])
        let frame = try #require(bytes.indices.dropLast().first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes.replaceSubrange((frame + 5)..<(frame + 9), with: [0x4E, 0x20, 0x4E, 0x20])
        #expect(throws: ImageError.tooManyPixels(file: "big.jpg", width: 20000, height: 20000, limit: 50_000_000)) {
            try decoder.decode(bytes, name: "big.jpg")
        }
    }

    @Test(arguments: [(1, 0xC3), (4, 12)])
    func unsupportedJPEGVariants(offset: Int, value: UInt8) throws {
        // A lossless frame (SOF3) and a 12-bit frame: valid JPEG that neither Pillow nor TurboJPEG decode.
        var bytes = try TestData.bytes(TestData.fruits(perClass: 1)[0])
        let frame = try #require(bytes.indices.dropLast().first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes[frame + offset] = value
        let error = try #require(throws: ImageError.self) { try decoder.decode(bytes, name: "odd.jpg") }
        guard case .unsupported(let file, let detail) = error else {
            Issue.record("expected .unsupported, got \(error)")
            return
        }
        #expect(file == "odd.jpg" && detail.contains("Unsupported"))
    }

    @Test func tooManyProgressiveScans() throws {
        // Repeating a progressive file's last scan 500 times: each scan costs a pass over the whole
        // coefficient buffer, a cheap way to burn CPU, so such files are refused before decoding.
        let bytes = try TestData.bytes(TestData.fixture("progressive.jpg"))
        let lastScan = try #require(bytes.indices.dropLast().last { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA })
        let scan = bytes[lastScan..<(bytes.count - 2)]
        let bomb = Array(bytes.dropLast(2)) + Array(repeating: scan, count: 500).flatMap { $0 } + [0xFF, 0xD9]
        let error = try #require(throws: ImageError.self) { try decoder.decode(bomb, name: "scans.jpg") }
        guard case .unsupported(_, let detail) = error else {
            Issue.record("expected .unsupported, got \(error)")
            return
        }
        #expect(detail.contains("scans"))
    }

    @Test func limitsAreConfigurable() throws {
        let bytes = try TestData.bytes(TestData.fixture("narrow_57x300.jpg"))
        let small = ImageDecoder(limits: ImageLimits(maxPixels: 10_000))
        #expect(throws: ImageError.tooManyPixels(file: "n.jpg", width: 57, height: 300, limit: 10_000)) {
            try small.decode(bytes, name: "n.jpg")
        }
        let tiny = ImageDecoder(limits: ImageLimits(maxBytes: 1000))
        #expect(throws: ImageError.tooManyBytes(file: "n.jpg", bytes: bytes.count, limit: 1000)) {
            try tiny.decode(bytes, name: "n.jpg")
        }
        #expect(try ImageDecoder(limits: ImageLimits(maxPixels: 57 * 300)).decode(bytes, name: "n.jpg").width == 57)
    }
}
