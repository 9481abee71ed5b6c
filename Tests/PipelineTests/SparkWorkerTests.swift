import Foundation
import Imaging
import LinearAlgebra
import OrchardTestKit
import Recognition
import Synchronization
import Testing
@testable import Pipeline

/// What `orchard worker` writes for Spark, read back as Spark would: rows, staged features, PCA sums.
@Suite struct SparkWorkerTests {
    @Test func stagedFeaturizeWritesExactFeaturesThenThePartitionsSums() async throws {
        let input = try TestSupport.sampleFolder(classes: ["Banana 1", "Lemon 1"], perClass: 3)
        let paths = try FileManager.default.subpathsOfDirectory(atPath: input).filter { $0.hasSuffix(".jpg") }.sorted()
        // As Spark sends them: Hadoop paths (`file:` and the path as it is), as hex.
        let lines = (paths.map { "file:" + input + "/" + $0 } + ["file:/no/such.jpg"])
            .map { TransformRowFormat.line([.text($0)]) }
        let output = Captured()
        try await SparkWorker(stores: StoreResolver(), output: { output.append($0) }).featurize(
            lines: lines, modelPath: TestSupport.model, threads: 1, limits: ImageLimits(), staged: true)

        let rows = output.rows
        let imageRows = rows.filter { $0[0] != nil }
        #expect(imageRows.count == 7)
        #expect(imageRows.last?[3] != nil, "the missing file is an error row")
        let features = try imageRows.dropLast().map { try #require($0[2].flatMap { TransformRowFormat.parseBase64($0) }) }
        #expect(features.allSatisfy { $0.count == 1280 })
        #expect(imageRows.dropLast().map { TransformRowFormat.text($0[1]) } == paths.map { ($0 as NSString).deletingLastPathComponent })
        #expect(imageRows.dropLast().map { TransformRowFormat.text($0[0]) } == paths.map { input + "/" + $0 }, "plain paths, decoded")

        // The local engine's features for the same images, bit for bit.
        let pool = try FeaturePool.mobileNet(modelPath: TestSupport.model, threads: 1, limits: ImageLimits())
        let expected = await BatchFeaturizer(stores: StoreResolver(), pool: pool, maxImageBytes: 1 << 26).rows(
            for: paths.map { ImageItem(location: .local(path: input + "/" + $0), label: "", size: 0) })
        #expect(features.map { $0.map(\.bitPattern) } == expected.map { ($0.features ?? []).map(\.bitPattern) })

        // After the images: the partition's sums, which give the features' own mean.
        var sums = PartialSums()
        for row in rows where row[0] == nil {
            #expect(row[0 ..< 4].allSatisfy { $0 == nil })
            try sums.add(id: String(row[4]!), chunk: Int(row[5]!)!, of: Int(row[6]!)!, base64: String(row[7]!))
        }
        let merged = try sums.merged()
        #expect(merged.count == 6)
        let mean = (0 ..< 1280).map { j in features.map { Double($0[j]) }.reduce(0, +) / 6 }
        // Two summation orders of 6 float32 values each (the test's plain sum and the worker's shifted one).
        let bound = RoundingBound.mean(RoundingBound.Data(Array(features.joined()), dimension: 1280))
        #expect(zip(merged.mean, mean).allSatisfy { abs($0 - $1) <= bound })
    }

    @Test func bytesSentBySparkGiveTheSameFeaturesAsPathsAndLimitsHold() async throws {
        let input = try TestSupport.sampleFolder(classes: ["Kiwi 1"], perClass: 2)
        let paths = try FileManager.default.subpathsOfDirectory(atPath: input).filter { $0.hasSuffix(".jpg") }.sorted()
        let files = paths.map { input + "/" + $0 }
        let contents = try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        var lines = zip(files, contents).map { file, data in
            TransformRowFormat.line([.text("file:" + file), .token(String(data.count)), .token(data.base64EncodedString())])
        }
        lines.append(TransformRowFormat.line([.text("file:/big/Kiwi/huge.jpg"), .token("99999999"), .token(nil)]))
        lines.append(TransformRowFormat.line([.text("file:/odd/Kiwi/odd.jpg"), .token("3"), .token("%%%")]))

        let byContent = Captured(), byPath = Captured()
        try await SparkWorker(stores: StoreResolver(), output: { byContent.append($0) }).featurize(
            lines: lines, modelPath: TestSupport.model, threads: 1, limits: ImageLimits(maxBytes: 1 << 20), content: true)
        try await SparkWorker(stores: StoreResolver(), output: { byPath.append($0) }).featurize(
            lines: files.map { TransformRowFormat.line([.text("file:" + $0)]) }, modelPath: TestSupport.model, threads: 1,
            limits: ImageLimits())

        let rows = byContent.rows
        #expect(rows.count == 4)
        #expect(Array(rows.prefix(2).map { $0.map { $0.map(String.init) } }) == byPath.rows.map { $0.map { $0.map(String.init) } })
        #expect(TransformRowFormat.text(rows[2][1]) == "Kiwi")
        #expect(TransformRowFormat.text(rows[2][3])?.contains("99999999 bytes is over the limit of 1048576 bytes") == true)
        #expect(TransformRowFormat.text(rows[3][3])?.contains("not base64") == true)
    }

    @Test func mergeOfChunkedPartitionsEqualsOneAccumulatorOverAllRows() throws {
        let rows = (0 ..< 40).map { i in (0 ..< 8).map { j in Float(sin(Double(i * 8 + j))) + Float(j) } }
        var first = try CovarianceAccumulator(dimension: 8), second = try CovarianceAccumulator(dimension: 8)
        var all = try CovarianceAccumulator(dimension: 8)
        for (i, row) in rows.enumerated() {
            if i < 25 { try first.add(row) } else { try second.add(row) }
            try all.add(row)
        }
        // Small chunks, interleaved between the two partitions, as a shuffle may deliver them.
        let chunks = PartialSums.chunks(of: first, chunkBytes: 100) + PartialSums.chunks(of: second, chunkBytes: 100)
        #expect(chunks.count > 4)
        let lines = chunks.enumerated().sorted { ($0.offset % 3, $0.offset) < ($1.offset % 3, $1.offset) }
            .map { TransformRowFormat.line($0.element.map { .token($0) }) }
        let output = Captured()
        try SparkWorker(stores: StoreResolver(), output: { output.append($0) }).pcaMerge(lines: lines)

        var merged = PartialSums()
        for row in output.rows { try merged.add(id: String(row[0]!), chunk: Int(row[1]!)!, of: Int(row[2]!)!, base64: String(row[3]!)) }
        let result = try merged.merged()
        #expect(result.count == 40)
        // The merge sums the same rows in another order: equal within the rounding of 40 float64 sums.
        // (These 8 columns, sin(8i + j) + j, have rank 2 after centring: the third eigenvalue is pure
        // rounding, so only an absolute bound can compare it.)
        let a = try PCAModel.fit(result, components: .count(8)), b = try PCAModel.fit(all, components: .count(8))
        let data = RoundingBound.Data(Array(rows.joined()), dimension: 8)
        #expect(zip(a.mean, b.mean).allSatisfy { abs($0 - $1) <= RoundingBound.mean(data) })
        let norm = RoundingBound.covarianceNorm(data)
        let eigenvalueBound = RoundingBound.eigenvalue(perturbation: norm, dimension: 8, trace: b.explainedVariance.reduce(0, +))
        for (k, (x, y)) in zip(a.explainedVariance, b.explainedVariance).enumerated() {
            #expect(abs(x - y) <= eigenvalueBound, "eigenvalue \(k): \(x) vs \(y), bound \(eigenvalueBound)")
        }

        var incomplete = PartialSums()
        let only = PartialSums.chunks(of: first, chunkBytes: 100)[0]
        try incomplete.add(id: only[0], chunk: 0, of: Int(only[2])!, base64: only[3])
        #expect(throws: PipelineError.self) { try incomplete.merged() }
        let incompleteLine = TransformRowFormat.line(only.map { .token($0) })
        #expect(throws: PipelineError.self, "a merge worker never drops a partition missing chunks") {
            try SparkWorker(stores: StoreResolver(), output: { _ in }).pcaMerge(lines: [incompleteLine])
        }
    }

    @Test func applyWritesTheStagedFeaturesAndTheirProjection() throws {
        let rows = (0 ..< 30).map { i in (0 ..< 6).map { j in Float(cos(Double(i * 6 + j))) * 3 } }
        var sums = try CovarianceAccumulator(dimension: 6)
        for row in rows { try sums.add(row) }
        let model = try PCAModel.fit(sums, components: .count(2))
        let staged = rows.enumerated().map { i, row in
            TransformRowFormat.line([.text("file:/x/\(i).jpg"), .text("x"), .base64Floats(row), .text(nil)])
        } + [TransformRowFormat.line([.text("file:/x/bad.jpg"), .text("x"), .text(nil), .text("not a JPEG")])]
        let output = Captured()
        try SparkWorker(stores: StoreResolver(), output: { output.append($0) }).pcaApply(lines: staged, model: model)

        let result = output.rows
        #expect(result.count == 31)
        for (row, original) in zip(result, rows) {
            #expect(row[2].map { $0.dropFirst().dropLast().split(separator: ",").map { Float($0)! } } == original)
            // The dataset's column order: path, label, features, pca, error.
            let pca = row[3].map { $0.dropFirst().dropLast().split(separator: ",").map { Float($0)! } }
            #expect(pca == (try model.transform(original)))
        }
        #expect(result.last.map { [$0[2], $0[3], TransformRowFormat.text($0[4]).map { Substring($0) }] } == [nil, nil, "not a JPEG"])
        #expect(result.first.map { TransformRowFormat.text($0[0]) } == "file:/x/0.jpg")
    }
}

/// Blocks a worker wrote, split back into rows of fields as Spark reads them.
final class Captured: Sendable {
    private let bytes = Mutex<[UInt8]>([])

    func append(_ block: [UInt8]) { bytes.withLock { $0 += block } }

    var rows: [[Substring?]] {
        let text = bytes.withLock { String(decoding: $0, as: UTF8.self) }
        return text.split(separator: "\n").map { TransformRowFormat.fields(of: $0) }
    }
}
