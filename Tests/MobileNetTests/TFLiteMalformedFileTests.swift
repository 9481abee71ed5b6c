import Foundation
import Testing

@testable import MobileNet

/// Truncated, corrupted and hostile TFLite files end in a `ModelError`, never a crash or a huge allocation.
@Suite struct TFLiteMalformedFileTests {
    /// Loads `bytes`; returns the error, or nil when the bytes still load. Fails on a non-ModelError.
    private func loadError(_ bytes: [UInt8]) -> ModelError? {
        do {
            _ = try TFLiteWeightLoader.load(bytes: bytes, name: "mutant.tflite")
            return nil
        } catch let error as ModelError {
            return error
        } catch {
            Issue.record("not a ModelError: \(error)")
            return nil
        }
    }

    @Test func emptyAndTinyFilesAreErrors() {
        for count in [0, 1, 4, 7] {
            #expect(loadError([UInt8](repeating: 0, count: count))
                == .truncatedFile(source: "mutant.tflite", detail: "file is \(count) bytes, too short for a FlatBuffers header"))
        }
        #expect(loadError([UInt8](repeating: 0, count: 12)) == .unknownFormat(path: "mutant.tflite"))
        #expect(loadError([12, 0, 0, 0] + Array("TFL3".utf8) + [0, 0, 0, 0]) != nil, "a root table with no vtable")
    }

    @Test func anotherFileIdentifierIsAnError() throws {
        var bytes = TFLiteTestSupport.realModelBytes
        try #require(bytes.count > 8)
        bytes[4] = UInt8(ascii: "X")
        #expect(loadError(bytes) == .unknownFormat(path: "mutant.tflite"))
    }

    /// Every proper prefix is reported as truncated: the weight data and the tables after it are all needed.
    @Test func truncatedFilesAreErrors() throws {
        let bytes = TFLiteTestSupport.realModelBytes
        try #require(bytes.count > 1_000_000)
        let tables = try tableRegion(bytes)
        var cuts = Set(stride(from: 0, to: bytes.count, by: bytes.count / 40))
        cuts.formUnion(stride(from: tables.lowerBound, to: bytes.count, by: max(1, tables.count / 40)))
        cuts.formUnion([8, 31, 32, 33, bytes.count - 1])
        for cut in cuts.sorted() {
            let error = loadError(Array(bytes[..<cut]))
            guard case .truncatedFile = error else {
                Issue.record("truncated at \(cut) of \(bytes.count): \(error.map { "\($0)" } ?? "loaded")")
                continue
            }
        }
    }

    /// Random bytes overwritten in the flatbuffer tables (and the header) either fail with a ModelError
    /// or still load a valid network (a changed name or scale); a good share must be caught.
    @Test func randomByteCorruptionIsAnErrorOrHarmless() throws {
        let original = TFLiteTestSupport.realModelBytes
        let tables = try tableRegion(original)
        var random = SplitMix64(seed: 0x5EED_7F1E)
        var failures = 0
        let mutations = 200
        for _ in 0..<mutations {
            var bytes = original
            let changes = 1 + Int(random.next() % 4)
            for _ in 0..<changes {
                // One in ten hits the header, the rest the tables (the weight bytes are just numbers).
                let position = random.next() % 10 == 0
                    ? Int(random.next() % 64)
                    : tables.lowerBound + Int(random.next() % UInt64(tables.count))
                bytes[position] = UInt8(truncatingIfNeeded: random.next())
            }
            // A mutant that still loads has passed the loader's own check of every shape against the architecture.
            if loadError(bytes) != nil { failures += 1 }
        }
        #expect(failures >= mutations / 5, "only \(failures) of \(mutations) corruptions were detected")
    }

    /// A vector length rewritten to 2^31 − 1 is refused by its bounds check, before any allocation.
    @Test func hostileVectorLengthIsRefused() throws {
        var bytes = TFLiteTestSupport.realModelBytes
        let model = try TFLiteModel(bytes: bytes)
        let graph = try #require(try model.file.root("Model").tables(2, "subgraphs").first)
        let tensorsField = try #require(try graph.fieldPosition(0))
        let length = try model.file.followOffset(at: tensorsField, "tensors")
        withUnsafeBytes(of: UInt32(Int32.max).littleEndian) { bytes.replaceSubrange(length..<(length + 4), with: $0) }
        let error = try #require(loadError(bytes))
        #expect("\(error)".contains("run past the end"), "\(error)")
    }

    /// A weight's shape rewritten to overflow Int when multiplied is refused, not trusted.
    @Test func hostileShapeIsRefused() throws {
        var bytes = TFLiteTestSupport.realModelBytes
        let model = try TFLiteModel(bytes: bytes)
        let graph = try #require(try model.file.root("Model").tables(2, "subgraphs").first)
        let tensor = try graph.tables(0, "tensors")[106]  // block_1_expand's int8 filter [96, 1, 1, 16]
        let shape = try #require(try tensor.vector(0, "shape", elementSize: 4))
        for dimension in 0..<shape.count {
            withUnsafeBytes(of: Int32.max.littleEndian) {
                bytes.replaceSubrange((shape.start + 4 * dimension)..<(shape.start + 4 * dimension + 4), with: $0)
            }
        }
        let error = try #require(loadError(bytes))
        #expect("\(error)".contains("mobilenetv2_1.00_224_1/block_1_expand_1/convolution"), "\(error)")
    }

    /// A graph that is valid TFLite but not MobileNetV2 is named by operator and layer.
    @Test func wrongOperatorIsNamedWithItsLayer() throws {
        var bytes = TFLiteTestSupport.realModelBytes
        let model = try TFLiteModel(bytes: bytes)
        let root = try model.file.root("Model")
        let codes = try root.tables(1, "operator_codes").map { (table) throws(TFLiteError) in try TFLiteOperatorCode(table) }
        let add = try #require(codes.firstIndex { $0.builtin == TFLiteOperatorCode.add })
        let graph = try #require(try root.tables(2, "subgraphs").first)
        // Op 7 is block_2's depthwise convolution; make it an ADD.
        #expect(model.operators[7].code.builtin == TFLiteOperatorCode.depthwiseConv2D)
        let field = try #require(try graph.tables(3, "operators")[7].fieldPosition(0))
        withUnsafeBytes(of: UInt32(add).littleEndian) { bytes.replaceSubrange(field..<(field + 4), with: $0) }
        #expect(loadError(bytes) == .notMobileNetV2(
            source: "mutant.tflite", reason: "op 7 is ADD, expected DEPTHWISE_CONV_2D for block_2_depthwise"))
    }

    /// The bytes after the last weight buffer: where the converter writes the tables.
    private func tableRegion(_ bytes: [UInt8]) throws -> Range<Int> {
        let model = try TFLiteModel(bytes: bytes)
        let end = try #require(model.buffers.map(\.upperBound).max())
        try #require(end < bytes.count)
        return end..<bytes.count
    }
}

/// A small seeded generator (Steele et al.'s SplitMix64), so every run mutates the same bytes.
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
