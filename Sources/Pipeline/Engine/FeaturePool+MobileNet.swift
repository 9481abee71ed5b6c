import Imaging
import MobileNet
import Recognition

extension FeaturePool {
    /// A pool of `threads` single-threaded MobileNetV2 networks on `backend` sharing one copy of the weights.
    public static func mobileNet(
        modelPath: String, threads: Int, limits: ImageLimits, backend: InferenceBackend = .preferred
    ) throws -> FeaturePool {
        let weights: MobileNetV2Weights
        do {
            weights = try WeightFile.load(path: modelPath)
        } catch {
            throw PipelineError.modelUnreadable(modelPath, reason: "\(error)")
        }
        return FeaturePool(extractors: try MobileNetFeatureExtractor.pool(of: threads, weights: weights, limits: limits, backend: backend))
    }

    /// The pool a featurize job asks for.
    static func mobileNet(job: FeaturizeJob) throws -> FeaturePool {
        try mobileNet(
            modelPath: job.modelPath, threads: job.threads,
            limits: ImageLimits(maxPixels: job.maxImagePixels, maxBytes: job.maxImageBytes), backend: job.backend)
    }
}
