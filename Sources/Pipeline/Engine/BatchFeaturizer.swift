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

    /// One row per image, in order; `progress(done, failed)` is called about once per chunk.
    ///
    /// The networks are fed image by image across chunk boundaries, so none waits for the slowest
    /// image of a chunk; the next chunk's bytes are read while this one runs.
    public func rows(for images: [ImageItem], progress: (Int, Int) -> Void = { _, _ in }) async -> [FeatureRow] {
        let chunks = stride(from: 0, to: images.count, by: chunkSize).map { $0 ..< min($0 + chunkSize, images.count) }
        return await rows(for: images, chunks: chunks, progress: progress) { range in await read(Array(images[range])) }
    }

    /// One row per image whose bytes are already here (or why they are not), in order.
    public func rows(for images: [ImageItem], bytes: [Result<[UInt8], Error>]) async -> [FeatureRow] {
        await rows(for: images, chunks: [0 ..< images.count], progress: { _, _ in }) { _ in bytes }
    }

    /// The rows of `images` read a chunk at a time by `bytes`, the next chunk read while this one runs.
    private func rows(
        for images: [ImageItem], chunks: [Range<Int>], progress: (Int, Int) -> Void,
        bytes read: @escaping @Sendable (Range<Int>) async -> [Result<[UInt8], Error>]
    ) async -> [FeatureRow] {
        var rows = [FeatureRow?](repeating: nil, count: images.count)
        var (done, failed) = (0, 0)
        func finished(_ index: Int, _ row: FeatureRow) {
            rows[index] = row
            done += 1
            if row.error != nil { failed += 1 }
            if done == chunkSize {
                progress(done, failed)
                (done, failed) = (0, 0)
            }
        }
        await withTaskGroup(of: (Int, FeatureRow).self) { group in
            var inFlight = 0
            var nextBytes = chunks.first.map { range in Task { await read(range) } }
            for (number, range) in chunks.enumerated() {
                guard let bytes = await nextBytes?.value else { break }
                nextBytes = number + 1 < chunks.count ? Task { [chunks] in await read(chunks[number + 1]) } : nil
                for (offset, index) in range.enumerated() {
                    // Two images per network in flight, one running and one in the pool's line, so a
                    // network that finishes takes its next image at once; the rest wait here.
                    if inFlight == 2 * pool.workerCount, let (index, row) = await group.next() {
                        finished(index, row)
                        inFlight -= 1
                    }
                    group.addTask { (index, await row(for: images[index], bytes: bytes[offset])) }
                    inFlight += 1
                }
            }
            for await (index, row) in group { finished(index, row) }
        }
        if done > 0 { progress(done, failed) }
        return rows.map { $0! }
    }

    /// The row of one image whose bytes (or why they could not be read) are here.
    private func row(for item: ImageItem, bytes: Result<[UInt8], Error>) async -> FeatureRow {
        do {
            let features = try await pool.features(of: try bytes.get(), name: item.location.description)
            return FeatureRow(path: item.location.description, label: item.label, features: features)
        } catch {
            return FeatureRow(
                path: item.location.description, label: item.label, features: nil, error: FailureReason.message(for: error))
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
