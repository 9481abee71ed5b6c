import Foundation
import Imaging
import Testing

/// The 224×224 model input must be what Keras got from Pillow: `Image.open(p).convert("RGB")
/// .resize((224, 224))` (bicubic), then `x / 127.5 - 1`.
@Suite struct PillowParityTests {
    /// Photos from every Fruits-360 class (one per class) plus larger, odd-sized fixtures that
    /// exercise downscaling, non-square kernels, PNG and other JPEG subsamplings.
    static func parityInputs() throws -> [URL] {
        let fixtures = ["large_1000x750.jpg", "large_333x517.png", "narrow_57x300.jpg", "progressive.jpg",
                        "yuv444.jpg", "interlaced.png", "one_pixel.png", "one_pixel.jpg"]
        return try TestData.fruits(perClass: 1) + fixtures.map(TestData.fixture)
    }

    @Test func resizedPixelsMatchPillow() throws {
        let inputs = try Self.parityInputs()
        #expect(inputs.count >= 20)
        let references = try Pillow.reference(.resize224, inputs)
        var preparer = ModelInputPreparer()
        var worst = 0
        for (url, reference) in zip(inputs, references) {
            let image = try preparer.prepareRGB(try TestData.bytes(url), name: url.lastPathComponent)
            #expect(image.width == 224 && image.height == 224)
            let difference = TestData.maxDifference(image.pixels, reference.bytes)
            #expect(difference <= 1, "\(url.lastPathComponent) differs from Pillow by \(difference)")
            worst = max(worst, difference)
        }
        print("Imaging parity: max |Orchard − Pillow| over \(inputs.count) images = \(worst) grey levels")
    }

    @Test func tensorMatchesKerasPreprocessing() throws {
        let inputs = [try TestData.fruits(perClass: 1)[0], TestData.fixture("large_1000x750.jpg")]
        let references = try Pillow.reference(.tensor224, inputs)
        var preparer = ModelInputPreparer()
        var tensor = [Float](repeating: .nan, count: preparer.elementCount)
        for (url, reference) in zip(inputs, references) {
            try tensor.withUnsafeMutableBufferPointer { output in
                try preparer.prepare(try TestData.bytes(url), name: url.lastPathComponent, into: output)
            }
            let expected = reference.bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            #expect(expected.count == tensor.count)
            // Same bytes, same two float32 operations: the tensor is bit-identical, not just close.
            let worst = zip(tensor, expected).map { abs($0 - $1) }.max() ?? .infinity
            #expect(tensor == expected, "\(url.lastPathComponent): max |Δ| = \(worst)")
            #expect(tensor.allSatisfy { $0 >= -1 && $0 <= 1 })
        }
    }

    @Test func resizeBicubicMatchesPillowForOtherSizes() throws {
        // The public resize on a decoded image, compared with Pillow's own decode → resize at 224.
        let url = TestData.fixture("large_333x517.png")
        let decoded = try ImageDecoder().decode(try TestData.bytes(url), name: url.lastPathComponent)
        let resized = resizeBicubic(decoded, width: 224, height: 224)
        let reference = try Pillow.reference(.resize224, [url])[0]
        #expect(TestData.maxDifference(resized.pixels, reference.bytes) == 0)
        // Sizes that take every path: upscale, downscale, one axis only, vertical-first (height shrinks
        // by more than twice what the width does) and horizontal-first.
        let sizes = [(97, 301), (500, 20), (333, 100), (224, 517), (400, 517), (1, 1), (700, 900), (150, 90)]
        for (width, height) in sizes {
            let expected = try Pillow.reference(.resize(width: width, height: height), [url])[0]
            let actual = resizeBicubic(decoded, width: width, height: height)
            #expect(TestData.maxDifference(actual.pixels, expected.bytes) == 0, "333×517 → \(width)×\(height)")
        }
        // Same size is a copy, as in Pillow.
        #expect(resizeBicubic(decoded, width: decoded.width, height: decoded.height) == decoded)
    }
}
