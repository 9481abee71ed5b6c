import Foundation
import LinearAlgebra

/// Reassembles the PCA partial sums that partitions send in chunks, and merges them.
struct PartialSums {
    /// Chunks per partition accepted (1 MiB each: far above 1280-d sums, which take ~9 MiB).
    static let maxChunks = 4096
    private var chunks: [String: [Int: String]] = [:]
    private var expected: [String: Int] = [:]

    /// Records chunk `chunk` of `count` from partition `id`.
    mutating func add(id: String, chunk: Int, of count: Int, base64: String) throws {
        guard count > 0, count <= Self.maxChunks, (0 ..< count).contains(chunk) else {
            throw PipelineError.invalidDataset("PCA partial sums", reason: "chunk \(chunk) of \(count) from partition \(id)")
        }
        guard expected[id, default: count] == count else {
            throw PipelineError.invalidDataset("PCA partial sums", reason: "partition \(id) sent different chunk counts")
        }
        expected[id] = count
        chunks[id, default: [:]][chunk] = base64
    }

    /// All partitions' sums merged into one accumulator.
    func merged() throws -> CovarianceAccumulator {
        var total: CovarianceAccumulator?
        for (id, parts) in chunks.sorted(by: { $0.key < $1.key }) {
            let count = expected[id] ?? 0
            guard parts.count == count else {
                throw PipelineError.invalidDataset("PCA partial sums", reason: "partition \(id) sent \(parts.count) of \(count) chunks")
            }
            let text = (0 ..< count).map { parts[$0] ?? "" }.joined()
            guard let bytes = Data(base64Encoded: text) else {
                throw PipelineError.invalidDataset("PCA partial sums", reason: "partition \(id) sent invalid base64")
            }
            let partial = try CovarianceAccumulator(serialized: [UInt8](bytes))
            if total == nil { total = partial } else { try total!.merge(partial) }
        }
        guard let total else {
            throw PipelineError.invalidDataset("PCA partial sums", reason: "no partition had features")
        }
        return total
    }
}
