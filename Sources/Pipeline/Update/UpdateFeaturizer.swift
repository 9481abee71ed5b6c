import Recognition
import Storage

/// Computes the features of an update's new and changed images: on this machine's cores, or on a
/// Spark cluster. The update stages and commits what it hands over.
protocol UpdateFeaturizer {
    /// Featurizes `images` (one row each, failures as error rows), handing the rows to `emit` a batch of
    /// at most `rowsPerPart` at a time; returns the length of the feature vectors (0 when none succeeded).
    func featurize(
        _ images: [ImageItem], rowsPerPart: Int, progress: ProgressReporter, emit: ([FeatureRow]) async throws -> Void
    ) async throws -> Int
}

/// The local engine's: every core of this machine, one part's worth of images at a time.
struct LocalUpdateFeaturizer: UpdateFeaturizer {
    let job: FeaturizeJob
    let stores: StoreResolver

    func featurize(
        _ images: [ImageItem], rowsPerPart: Int, progress: ProgressReporter, emit: ([FeatureRow]) async throws -> Void
    ) async throws -> Int {
        guard !images.isEmpty else { return 0 }
        let pool = try FeaturePool.mobileNet(job: job)
        let featurizer = BatchFeaturizer(stores: stores, pool: pool, maxImageBytes: job.maxImageBytes)
        for start in stride(from: 0, to: images.count, by: rowsPerPart) {
            let chunk = Array(images[start ..< min(start + rowsPerPart, images.count)])
            try await emit(await featurizer.rows(for: chunk) { done, failed in progress.advance(by: done, failures: failed) })
        }
        return pool.featureCount
    }
}
