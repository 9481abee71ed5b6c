/// Chooses a backend for a network by timing it on each: the faster one depends on the CPU (its SIMD
/// extensions decide which kernels each library has), so it is measured where the network runs.
struct BackendTrial {
    /// The runtime kept, its backend, and every backend's best time for one image.
    struct Outcome {
        let backend: InferenceBackend
        let runtime: any NetworkRuntime
        let secondsPerImage: [InferenceBackend: Double]
    }

    /// Timed runs per backend after one untimed warm-up (JIT compilation, first-touch page faults); the
    /// fastest counts, so a moment of load on a shared machine does not decide.
    static let timedRuns = 2

    /// Builds `architecture` over `weights` on each backend, times it, and keeps the faster runtime.
    static func run(
        _ architecture: MobileNetV2Architecture, _ weights: MobileNetV2Weights, inputSize: Int, threads: Int
    ) throws(ModelError) -> Outcome {
        // Values in the network's input range, not zeros, so no kernel takes a shortcut.
        let input = (0 ..< inputSize * inputSize * 3).map { Float(($0 * 7919) % 255) / 127.5 - 1 }
        let clock = ContinuousClock()
        var best: (backend: InferenceBackend, runtime: any NetworkRuntime, seconds: Double)?
        var times: [InferenceBackend: Double] = [:]
        for backend in InferenceBackend.allCases {
            let runtime = try backend.makeRuntime(architecture, weights, inputSize: inputSize, threads: threads)
            var fastest = Double.infinity
            for run in 0 ... timedRuns {
                let start = clock.now
                _ = try input.withUnsafeBufferPointer { (buffer) throws(ModelError) in try runtime.run(input: buffer.baseAddress!) }
                let elapsed = start.duration(to: clock.now).components
                if run > 0 { fastest = min(fastest, Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18) }
            }
            times[backend] = fastest
            if best.map({ fastest < $0.seconds }) ?? true { best = (backend, runtime, fastest) }
        }
        return Outcome(backend: best!.backend, runtime: best!.runtime, secondsPerImage: times)
    }
}
