import Foundation
import LinearAlgebra

/// Reassembles the PCA partial sums that partitions send in base64 chunks and merges each partition
/// as soon as its last chunk arrives, so memory holds one accumulator plus unfinished partitions.
struct PartialSums {
    /// Chunks per partition accepted (1 MiB each: far above 1280-d sums, which take ~9 MiB).
    static let maxChunks = 4096
    private var pending: [String: (count: Int, chunks: [Int: String])] = [:]
    private var finished: Set<String> = []
    private var total: CovarianceAccumulator?

    /// Whether no chunk has arrived at all.
    var isEmpty: Bool { total == nil && pending.isEmpty }

    /// Records chunk `chunk` of `count` from partition `id`.
    mutating func add(id: String, chunk: Int, of count: Int, base64: String) throws {
        guard count > 0, count <= Self.maxChunks, (0 ..< count).contains(chunk) else {
            throw invalid("chunk \(chunk) of \(count) from partition \(id)")
        }
        guard !finished.contains(id) else { throw invalid("partition \(id) sent chunk \(chunk) twice") }
        var entry = pending[id] ?? (count, [:])
        guard entry.count == count else { throw invalid("partition \(id) sent different chunk counts") }
        entry.chunks[chunk] = base64
        guard entry.chunks.count == count else {
            pending[id] = entry
            return
        }
        pending[id] = nil
        finished.insert(id)
        let text = (0 ..< count).map { entry.chunks[$0] ?? "" }.joined()
        guard let bytes = Data(base64Encoded: text) else { throw invalid("partition \(id) sent invalid base64") }
        let partial = try CovarianceAccumulator(serialized: [UInt8](bytes))
        if total == nil { total = partial } else { try total!.merge(partial) }
    }

    /// All partitions' sums merged into one accumulator; every partition must be complete.
    func merged() throws -> CovarianceAccumulator {
        if let (id, entry) = pending.first {
            throw invalid("partition \(id) sent \(entry.chunks.count) of \(entry.count) chunks")
        }
        guard let total else { throw invalid("no partition had features") }
        return total
    }

    /// `accumulator` as rows of (id, index, count, base64 chunk of at most `chunkBytes`): big rows hurt Spark's driver.
    static func chunks(of accumulator: CovarianceAccumulator, chunkBytes: Int = 1 << 20) -> [[String]] {
        let encoded = Data(accumulator.serialized()).base64EncodedString().utf8
        let id = UUID().uuidString
        let starts = Array(stride(from: 0, to: encoded.count, by: chunkBytes))
        return starts.enumerated().map { index, start in
            let from = encoded.index(encoded.startIndex, offsetBy: start)
            let to = encoded.index(from, offsetBy: min(chunkBytes, encoded.count - start))
            return [id, String(index), String(starts.count), String(Substring(encoded[from ..< to]))]
        }
    }

    private func invalid(_ reason: String) -> PipelineError {
        PipelineError.invalidDataset("PCA partial sums", reason: reason)
    }
}
