import Foundation
import Testing

@testable import LinearAlgebra

/// Fitting rules, projection, and the model file.
@Suite struct PCAModelTests {
    static func sampleModel(components: Int = 3) throws -> (PCAModel, [Float]) {
        var random = TestRandom(seed: 5)
        let x = random.correlatedRows(400, dimension: 16, mean: 50)
        var acc = try CovarianceAccumulator(dimension: 16)
        try acc.add(x)
        return (try PCAModel.fit(acc, components: .count(components)), x)
    }

    @Test func componentsAreOrthonormalSortedAndSignFlipped() throws {
        let (model, _) = try Self.sampleModel(components: 16)
        let d = model.dimension
        for a in 0..<model.componentCount {
            let row = model.components[(a * d)..<((a + 1) * d)]
            // sklearn's svd_flip: the largest-magnitude entry is positive.
            let pivot = row.max { abs($0) < abs($1) } ?? 0
            #expect(pivot > 0)
            for b in 0..<model.componentCount {
                let dot = zip(row, model.components[(b * d)..<((b + 1) * d)]).reduce(0.0) { $0 + $1.0 * $1.1 }
                #expect(abs(dot - (a == b ? 1 : 0)) < 1e-12)
            }
        }
        #expect(zip(model.explainedVariance, model.explainedVariance.dropFirst()).allSatisfy { $0 >= $1 })
        // With K = d every share of the trace is kept.
        #expect(abs(model.explainedVarianceRatio.reduce(0, +) - 1) < 1e-12)
    }

    @Test func aFitGivesTheSameBitsWhateverOpenBLASsThreadCount() throws {
        var random = TestRandom(seed: 11)
        let d = 400
        var acc = try CovarianceAccumulator(dimension: d)
        try acc.add(random.correlatedRows(600, dimension: d))
        let before = BLASThreads.count
        defer { BLASThreads.count = before }
        var models: [PCAModel] = []
        for threads in [1, 2, 4] {
            BLASThreads.count = threads
            models.append(try PCAModel.fit(acc, components: .count(20)))
            models.append(try PCAModel.fit(acc, components: .varianceRatio(0.9)))
        }
        for model in models.dropFirst(2) {
            let reference = models[model.componentCount == 20 ? 0 : 1]
            #expect(model.components.map(\.bitPattern) == reference.components.map(\.bitPattern))
            #expect(model.explainedVariance.map(\.bitPattern) == reference.explainedVariance.map(\.bitPattern))
        }
    }

    @Test func varianceRatioRuleIsStrictlyGreater() {
        let ratios = [0.5, 0.25, 0.125, 0.125]  // exact in binary, cumulative 0.5, 0.75, 0.875, 1
        // 0.75 is reached but not exceeded at 2 components, so sklearn's rule keeps 3.
        #expect(PCAModel.componentCount(for: .varianceRatio(0.75), ratios: ratios, limit: 4) == 3)
        #expect(PCAModel.componentCount(for: .varianceRatio(0.7), ratios: ratios, limit: 4) == 2)
        #expect(PCAModel.componentCount(for: .varianceRatio(0.4), ratios: ratios, limit: 4) == 1)
        #expect(PCAModel.componentCount(for: .varianceRatio(0.99), ratios: ratios, limit: 3) == 3)
    }

    @Test func invalidSelectionsAreRejected() throws {
        var acc = try CovarianceAccumulator(dimension: 8)
        try acc.add((0..<40).map { Float($0 % 7) })
        #expect(throws: LinearAlgebraError.invalidComponentCount(requested: 6, limit: 5)) {
            try PCAModel.fit(acc, components: .count(6))  // 5 samples: at most min(n, d) = 5
        }
        #expect(throws: LinearAlgebraError.invalidVarianceRatio(1)) { try PCAModel.fit(acc, components: .varianceRatio(1)) }
        #expect(throws: LinearAlgebraError.invalidComponentCount(requested: 0, limit: 5)) {
            try PCAModel.fit(acc, components: .count(0))
        }
    }

    @Test func transformIsCentredProjection() throws {
        let (model, x) = try Self.sampleModel()
        let d = model.dimension
        let rows = 300  // more than one 256-row block
        let batch = try model.transform(Array(x[0..<(rows * d)]))
        #expect(batch.count == rows * 3)
        for r in [0, 255, 256, 299] {
            let single = try model.transform(Array(x[(r * d)..<((r + 1) * d)]))
            for c in 0..<3 {
                var expected = 0.0
                for j in 0..<d { expected += (Double(x[r * d + j]) - model.mean[j]) * model.components[c * d + j] }
                #expect(abs(Double(single[c]) - expected) <= 1e-6 * max(1, abs(expected)))
                #expect(single[c] == batch[r * 3 + c])
            }
        }
        var out = [Float](repeating: 0, count: 2)
        #expect(throws: LinearAlgebraError.self) {
            try x.withUnsafeBufferPointer { input in
                try out.withUnsafeMutableBufferPointer { try model.transform(UnsafeBufferPointer(rebasing: input[0..<d]), into: $0) }
            }
        }
    }

    @Test func modelFileRoundTrips() throws {
        let (model, _) = try Self.sampleModel()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("orchard-pca-\(UUID().uuidString).pca")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.write(to: url)
        let loaded = try PCAModel.load(from: url)
        #expect(loaded == model)
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int
        #expect(size == 24 + 8 * (16 + 2 * 3 + 3 * 16) + 4)

        let json = try JSONSerialization.jsonObject(with: model.toJSON()) as? [String: Any]
        #expect(json?["format"] as? String == "orchard-pca")
        #expect(json?["n_components"] as? Int == 3)
        #expect(json?["n_samples"] as? Int == 400)
        #expect((json?["explained_variance_ratio"] as? [Double])?.count == 3)
    }

    @Test func corruptModelFilesAreRejected() throws {
        let (model, _) = try Self.sampleModel()
        let bytes = model.serialized()
        var flipped = bytes
        flipped[100] ^= 0x01
        #expect(throws: LinearAlgebraError.self) { try PCAModel(serialized: flipped) }
        #expect(throws: LinearAlgebraError.self) { try PCAModel(serialized: Array(bytes.prefix(60))) }
        #expect(throws: LinearAlgebraError.self) { try PCAModel(serialized: Array("ORCHPCA1".utf8)) }

        // Well-checksummed files whose header disagrees with the content, or that hold a NaN.
        func sealed(d: UInt32, k: UInt32, n: UInt64, values: [Double]) -> [UInt8] {
            var writer = ByteWriter(capacity: 64)
            writer.append(magic: "ORCHPCA1")
            writer.append(d)
            writer.append(k)
            writer.append(n)
            writer.append(doubles: values)
            return writer.sealed()
        }
        let six = [0.6, 0.8, 1.0, 1.0, 0.6, 0.8]  // d = 2, K = 1: mean, variance, ratio, one axis
        #expect(try PCAModel(serialized: sealed(d: 2, k: 1, n: 5, values: six)).componentCount == 1)
        #expect(throws: LinearAlgebraError.self) { try PCAModel(serialized: sealed(d: 2, k: 3, n: 5, values: six)) }
        #expect(throws: LinearAlgebraError.self) { try PCAModel(serialized: sealed(d: 2, k: 1, n: 5, values: Array(six.dropLast()))) }
        #expect(throws: LinearAlgebraError.self) { try PCAModel(serialized: sealed(d: 2, k: 1, n: 1, values: six)) }
        #expect(throws: LinearAlgebraError.self) { try PCAModel(serialized: sealed(d: 0xFFFF_FFFF, k: 1, n: 5, values: six)) }
        #expect(throws: LinearAlgebraError.malformedData(what: "PCA model", offset: 24, reason: "mean holds a non-finite value")) {
            try PCAModel(serialized: sealed(d: 2, k: 1, n: 5, values: [.nan] + six.dropFirst()))
        }
        #expect(throws: LinearAlgebraError.self) {
            try PCAModel.load(from: URL(fileURLWithPath: "/nonexistent/model.pca"))
        }
    }
}
