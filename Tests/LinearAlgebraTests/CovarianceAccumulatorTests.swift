import Foundation
import OrchardTestKit
import Testing

@testable import LinearAlgebra

/// Streaming sums: precision with a large mean, merging partials, the serialised form and bad input.
@Suite struct CovarianceAccumulatorTests {
    static let d = 24

    /// Two-pass float64 covariance (centre first, then multiply): the textbook reference.
    static func twoPassCovariance(_ x: [Float], dimension d: Int) -> (mean: [Double], covariance: [Double]) {
        let n = x.count / d
        var mean = [Double](repeating: 0, count: d)
        for r in 0..<n { for j in 0..<d { mean[j] += Double(x[r * d + j]) } }
        mean = mean.map { $0 / Double(n) }
        var cov = [Double](repeating: 0, count: d * d)
        for r in 0..<n {
            for i in 0..<d {
                let a = Double(x[r * d + i]) - mean[i]
                for j in 0..<d { cov[i * d + j] += a * (Double(x[r * d + j]) - mean[j]) }
            }
        }
        return (mean, cov.map { $0 / Double(n - 1) })
    }

    /// The covariance the accumulator implies (upper triangle mirrored), for comparisons.
    static func covariance(of accumulator: CovarianceAccumulator) -> [Double] {
        let acc = accumulator.flushed()
        let d = acc.dimension
        let n = Double(acc.count)
        var cov = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in i..<d {
                let value = (acc.crossProducts[i * d + j] - acc.shiftedSum[i] * acc.shiftedSum[j] / n) / (n - 1)
                cov[i * d + j] = value
                cov[j * d + i] = value
            }
        }
        return cov
    }

    static func maxRelativeError(_ a: [Double], _ b: [Double]) -> Double {
        let scale = b.map(abs).max() ?? 1
        return zip(a, b).map { abs($0 - $1) }.max().map { $0 / scale } ?? .infinity
    }

    @Test func largeMeanKeepsPrecision() throws {
        // Mean ≈ 1e4 with unit-scale spread: the unshifted Σxxᵀ − n·x̄x̄ᵀ would lose ~8 digits.
        var random = TestRandom(seed: 7)
        let x = random.correlatedRows(700, dimension: Self.d, mean: 10_000)
        var acc = try CovarianceAccumulator(dimension: Self.d)
        try acc.add(x)
        let reference = Self.twoPassCovariance(x, dimension: Self.d)
        #expect(acc.count == 700)
        // The unshifted formula would be off by ~u·n·mean² ≈ 1e-5; the shifted sums stay within the bound
        // of summing values of the spread's size (see RoundingBound), like the two-pass reference.
        let data = RoundingBound.Data(x, dimension: Self.d)
        #expect(zip(acc.mean, reference.mean).allSatisfy { abs($0 - $1) <= RoundingBound.mean(data) })
        let entryBound = RoundingBound.covarianceEntry(data)
        #expect(entryBound < 1e-9)
        #expect(zip(Self.covariance(of: acc), reference.covariance).allSatisfy { abs($0 - $1) <= entryBound })
    }

    @Test func mergedPartialsEqualOnePass() throws {
        var random = TestRandom(seed: 11)
        let d = Self.d
        let x = random.correlatedRows(1000, dimension: d, mean: 500)
        var whole = try CovarianceAccumulator(dimension: d)
        try whole.add(x)

        // Uneven partitions (one row, a partial block, several blocks), each with its own shift,
        // sent through the serialised form as the Spark engine does.
        var merged = try CovarianceAccumulator(dimension: d)
        var start = 0
        for size in [1, 130, 600, 269] {
            var part = try CovarianceAccumulator(dimension: d)
            try part.add(Array(x[(start * d)..<((start + size) * d)]))
            try merged.merge(CovarianceAccumulator(serialized: part.serialized()))
            start += size
        }
        try merged.merge(CovarianceAccumulator(dimension: d))  // an empty partition changes nothing
        #expect(merged.count == whole.count)
        // Same rows, other order and blocking: equal within the rounding of the sums (see RoundingBound).
        let data = RoundingBound.Data(x, dimension: d)
        #expect(zip(merged.mean, whole.mean).allSatisfy { abs($0 - $1) <= RoundingBound.mean(data) })
        let entryBound = RoundingBound.covarianceEntry(data)
        #expect(zip(Self.covariance(of: merged), Self.covariance(of: whole)).allSatisfy { abs($0 - $1) <= entryBound })

        let one = try PCAModel.fit(whole, components: .count(d))
        let many = try PCAModel.fit(merged, components: .count(d))
        let norm = RoundingBound.covarianceNorm(data)
        let eigenvalueBound = RoundingBound.eigenvalue(perturbation: norm, dimension: d, trace: one.explainedVariance.reduce(0, +))
        #expect(zip(many.explainedVariance, one.explainedVariance).allSatisfy { abs($0 - $1) <= eigenvalueBound })
        for k in 0 ..< 5 {
            let bound = RoundingBound.eigenvector(perturbation: norm, gap: RoundingBound.gap(one.explainedVariance, at: k))
            #expect(bound < 1e-3, "component \(k) is well separated in this data")
            let gap = zip(many.components[(k * d) ..< ((k + 1) * d)], one.components[(k * d) ..< ((k + 1) * d)])
                .map { abs($0 - $1) }.max() ?? .infinity  // same signs: both follow scikit-learn's sign rule
            #expect(gap <= bound, "component \(k) differs by \(gap), bound \(bound)")
        }
    }

    @Test func serialisationRoundTrips() throws {
        var random = TestRandom(seed: 3)
        let x = random.correlatedRows(300, dimension: Self.d)
        var acc = try CovarianceAccumulator(dimension: Self.d)
        try acc.add(x)  // 300 rows: one flushed block and 44 buffered rows
        let bytes = acc.serialized()
        #expect(bytes.count == 8 + 16 + 8 * (2 * Self.d + Self.d * (Self.d + 1) / 2) + 4)
        let back = try CovarianceAccumulator(serialized: bytes)
        #expect(back.count == 300)
        #expect(back.mean == acc.mean)
        #expect(Self.covariance(of: back) == Self.covariance(of: acc))
        #expect(back.serialized() == bytes)

        let empty = try CovarianceAccumulator(dimension: 5)
        #expect(try CovarianceAccumulator(serialized: empty.serialized()).count == 0)
    }

    @Test func corruptSerialisationIsRejected() throws {
        var acc = try CovarianceAccumulator(dimension: 4)
        try acc.add([Float](repeating: 1, count: 8) + [2, 3, 4, 5])
        let bytes = acc.serialized()
        var flipped = bytes
        flipped[40] ^= 0x10
        #expect(throws: LinearAlgebraError.self) { try CovarianceAccumulator(serialized: flipped) }
        #expect(throws: LinearAlgebraError.self) { try CovarianceAccumulator(serialized: Array(bytes.dropLast(9))) }
        #expect(throws: LinearAlgebraError.self) { try CovarianceAccumulator(serialized: []) }
        // A header claiming a huge dimension with a valid checksum is refused before allocating.
        var writer = ByteWriter(capacity: 32)
        writer.append(magic: "ORCHCOV1")
        writer.append(UInt32(1 << 30))
        writer.append(UInt32(0))
        writer.append(UInt64(10))
        let huge = writer.sealed()
        #expect(throws: LinearAlgebraError.malformedData(what: "covariance accumulator", offset: 12, reason: "dimension 1073741824 out of range")) {
            try CovarianceAccumulator(serialized: huge)
        }
    }

    @Test func badInputIsRejected() throws {
        #expect(throws: LinearAlgebraError.invalidDimension(0, limit: CovarianceAccumulator.maxDimension)) {
            try CovarianceAccumulator(dimension: 0)
        }
        var acc = try CovarianceAccumulator(dimension: 3)
        #expect(throws: LinearAlgebraError.self) { try acc.add([1, 2, 3, 4]) }
        #expect(throws: LinearAlgebraError.nonFiniteValue(row: 1, column: 2)) { try acc.add([1, 2, 3, 4, 5, .nan]) }
        #expect(acc.count == 0)
        try acc.add([1, 2, 3])
        #expect(throws: LinearAlgebraError.notEnoughSamples(count: 1, required: 2)) {
            try PCAModel.fit(acc, components: .count(1))
        }
        #expect(throws: LinearAlgebraError.self) { try acc.merge(CovarianceAccumulator(dimension: 4)) }
    }
}
