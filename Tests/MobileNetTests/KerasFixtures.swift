import Foundation

@testable import MobileNet

/// The Keras fixtures written by Resources/make_keras_fixtures.py, read straight from the source tree.
enum KerasFixtures {
    /// Tests/MobileNetTests/Resources, found from this file's path.
    static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Resources")

    /// Number of images in each fixture batch.
    static let imageCount = 4

    /// Absolute path of a fixture file.
    static func path(_ name: String) -> String { resources.appendingPathComponent(name).path }

    /// The fixture images at `size`×`size`, preprocessed as the pipeline does: float32(x) / 127.5 - 1
    /// (the same float32 operations numpy performs, so the tensors are bit-identical to Keras's input).
    static func images(size: Int = 224) throws -> [[Float]] {
        let bytes = [UInt8](try Data(contentsOf: resources.appendingPathComponent("images_\(size)_rgb8.bin")))
        let perImage = size * size * 3
        guard bytes.count == perImage * imageCount else { throw FixtureError.size(bytes.count) }
        return (0..<imageCount).map { i in
            bytes[(i * perImage)..<((i + 1) * perImage)].map { Float($0) / 127.5 - 1 }
        }
    }

    /// A little-endian float32 file split into `rows` equal rows.
    static func rows(_ name: String, rows: Int = imageCount) throws -> [[Float]] {
        let data = try Data(contentsOf: resources.appendingPathComponent(name))
        let values = stride(from: 0, to: data.count, by: 4).map { offset in
            Float(bitPattern: data[offset..<(offset + 4)].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.1) << (8 * $1.0) })
        }
        guard values.count % rows == 0 else { throw FixtureError.size(data.count) }
        let width = values.count / rows
        return (0..<rows).map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
    }

    /// Runs `model` on every image and returns the outputs in order.
    static func run(_ model: MobileNetV2, _ images: [[Float]]) throws -> [ModelOutput] {
        try images.map { image in try image.withUnsafeBufferPointer { try model.run(input: $0) } }
    }

    /// Largest absolute difference between two equally shaped batches.
    static func maxDifference(_ a: [[Float]], _ b: [[Float]]) -> Float {
        precondition(a.count == b.count && zip(a, b).allSatisfy { $0.count == $1.count }, "shapes differ")
        return zip(a, b).map { zip($0, $1).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
    }

    enum FixtureError: Error { case size(Int) }
}
