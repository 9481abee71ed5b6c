import Recognition
import Storage

/// Featurizes a list of images: reads each chunk's bytes while the pool runs the previous chunk.
///
/// Never throws: an image that cannot be read or decoded becomes a row with its error, so one bad
/// file costs one row, not the run.
public struct BatchFeaturizer: Sendable {
    let stores: StoreResolver
    let pool: FeaturePool
    let maxImageBytes: Int
    /// Images read ahead and handed to the workers at once; bounds the bytes held in memory.
    let chunkSize: Int

    /// A featurizer reading images through `stores` and running them on `pool`.
    public init(stores: StoreResolver, pool: FeaturePool, maxImageBytes: Int, chunkSize: Int = 64) {
        self.stores = stores
        self.pool = pool
        self.maxImageBytes = maxImageBytes
        self.chunkSize = chunkSize
    }

    /// One row per image, in order; `progress(done, failed)` is called after each chunk.
    public func rows(for images: [ImageItem], progress: (Int, Int) -> Void = { _, _ in }) async -> [FeatureRow] {
        let chunks = stride(from: 0, to: images.count, by: chunkSize).map {
            Array(images[$0 ..< min($0 + chunkSize, images.count)])
        }
        var rows: [FeatureRow] = []
        rows.reserveCapacity(images.count)
        var nextBytes = chunks.first.map { chunk in Task { await read(chunk) } }
        for (number, chunk) in chunks.enumerated() {
            guard let bytes = await nextBytes?.value else { break }
            nextBytes = number + 1 < chunks.count ? Task { [chunks] in await read(chunks[number + 1]) } : nil
            let chunkRows = await self.rows(for: chunk, bytes: bytes)
            rows += chunkRows
            progress(chunk.count, chunkRows.count { $0.error != nil })
        }
        return rows
    }

    /// One row per image whose bytes are already here (or why they are not), in order.
    public func rows(for images: [ImageItem], bytes: [Result<[UInt8], Error>]) async -> [FeatureRow] {
        let results = await pool.run(zip(images, bytes).map { (name: $0.location.description, bytes: $1) })
        return zip(images, results).map { item, result in
            switch result {
            case .success(let features):
                return FeatureRow(path: item.location.description, label: item.label, features: features)
            case .failure(let error):
                return FeatureRow(
                    path: item.location.description, label: item.label, features: nil,
                    error: FailureReason.message(for: error))
            }
        }
    }

    /// The bytes of each image, or why they could not be read.
    private func read(_ chunk: [ImageItem]) async -> [Result<[UInt8], Error>] {
        await withTaskGroup(of: (Int, Result<[UInt8], Error>).self) { group in
            for (index, item) in chunk.enumerated() {
                group.addTask { [stores, maxImageBytes] in
                    do {
                        let store = try stores.store(for: item.location)
                        return (index, .success(try await store.read(item.location, maxBytes: maxImageBytes)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results = [Result<[UInt8], Error>](repeating: .success([]), count: chunk.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
    }
}
