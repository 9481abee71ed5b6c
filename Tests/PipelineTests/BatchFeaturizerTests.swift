import Foundation
import Recognition
import Storage
import Synchronization
import Testing
@testable import Pipeline

/// Feeding the networks: rows come back in input order whatever order the networks finish in, each
/// failure is its own error row, progress counts every image once, and no more images run than networks.
@Suite struct BatchFeaturizerTests {
    /// Counts extractions running at once; each returns its image's first byte as its one feature.
    final class Gauge: Sendable {
        let state = Mutex((now: 0, peak: 0))
        func enter() { state.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) } }
        func leave() { state.withLock { $0.now -= 1 } }
    }

    struct FirstByteExtractor: FeatureExtractor {
        let gauge: Gauge
        var featureCount: Int { 1 }
        mutating func features(of bytes: [UInt8], name: String) throws -> [Float] {
            gauge.enter()
            defer { gauge.leave() }
            guard let first = bytes.first else { throw RecognitionError.invalidOption(name: name, reason: "empty image") }
            // Uneven times, so that networks finish out of order and across chunk boundaries.
            usleep(UInt32(first % 5) * 1_000)
            return [Float(first)]
        }
        mutating func timedFeatures(of bytes: [UInt8], name: String) throws -> TimedFeatures {
            TimedFeatures(features: try features(of: bytes, name: name), decode: .zero, network: .zero)
        }
    }

    @Test func rowsKeepInputOrderAcrossChunksAndEachFailureIsItsOwnRow() async throws {
        let folder = try TestSupport.temporaryFolder("batch-featurizer")
        // 23 images: 7 is empty (the network refuses it), 12 is missing (it cannot be read).
        let items = (0..<23).map { i in
            ImageItem(location: .local(path: "\(folder)/\(i).jpg"), label: "class \(i % 3)", size: 1)
        }
        for i in 0..<23 where i != 12 {
            try Data(i == 7 ? [] : [UInt8(i + 1)]).write(to: URL(fileURLWithPath: "\(folder)/\(i).jpg"))
        }
        let gauge = Gauge()
        let pool = FeaturePool(extractors: (0..<3).map { _ in FirstByteExtractor(gauge: gauge) })
        let featurizer = BatchFeaturizer(stores: StoreResolver(), pool: pool, maxImageBytes: 1 << 10, chunkSize: 5)
        let reports = Mutex<[(done: Int, failed: Int)]>([])
        let rows = await featurizer.rows(for: items) { done, failed in reports.withLock { $0.append((done, failed)) } }

        #expect(rows.map(\.path) == items.map(\.location.description))
        #expect(rows.map(\.label) == items.map(\.label))
        for (i, row) in rows.enumerated() {
            switch i {
            case 7:
                #expect(row.features == nil && (row.error ?? "").contains("empty image"), "\(row)")
            case 12:
                #expect(row.features == nil && row.error != nil, "\(row)")
            default:
                #expect(row.features == [Float(i + 1)] && row.error == nil, "image \(i): \(row)")
            }
        }
        let counted = reports.withLock { $0 }
        #expect(counted.reduce(0) { $0 + $1.done } == 23)
        #expect(counted.reduce(0) { $0 + $1.failed } == 2)
        #expect(counted.count == 5, "about one report per chunk of 5: \(counted)")
        #expect(gauge.state.withLock { $0.peak } <= 3)
        #expect(pool.waiting == 0)
    }
}
