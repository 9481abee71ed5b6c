import CXNNPACK

/// An XNNPACK runtime with its thread pool, weights and output buffers. Unchecked Sendable: it is only
/// ever touched inside `MobileNetV2`'s mutex.
final class RuntimeHandle: @unchecked Sendable {
    private let runtime: xnn_runtime_t
    /// XNNPACK keeps raw pointers into these weights: they live as long as the runtime.
    private let arena: WeightArena
    private let threadPool: pthreadpool_t?
    private let features: UnsafeMutableBufferPointer<Float>
    private let logits: UnsafeMutableBufferPointer<Float>
    private let probabilities: UnsafeMutableBufferPointer<Float>

    init(subgraph: xnn_subgraph_t, arena: WeightArena, threads: Int, featureCount: Int, classCount: Int) throws(ModelError) {
        // With one thread XNNPACK runs inline; a pool would only add hand-offs.
        let pool = threads > 1 ? pthreadpool_create(threads) : nil
        if threads > 1, pool == nil { throw .xnnpackFailure(stage: "pthreadpool_create(\(threads))", status: -1) }
        var runtime: xnn_runtime_t?
        let status = xnn_create_runtime_v2(subgraph, pool, 0, &runtime)
        guard status == xnn_status_success, let runtime else {
            if let pool { pthreadpool_destroy(pool) }
            throw .xnnpackFailure(stage: "create_runtime", status: Int(status.rawValue))
        }
        self.runtime = runtime
        self.arena = arena
        threadPool = pool
        features = .allocate(capacity: featureCount)
        logits = .allocate(capacity: classCount)
        probabilities = .allocate(capacity: classCount)
    }

    deinit {
        xnn_delete_runtime(runtime)
        if let threadPool { pthreadpool_destroy(threadPool) }
        features.deallocate()
        logits.deallocate()
        probabilities.deallocate()
    }

    func run(input: UnsafePointer<Float>) throws(ModelError) -> ModelOutput {
        typealias ID = XNNPACKGraphBuilder.External
        var values = [
            xnn_external_value(id: ID.input.rawValue, data: UnsafeMutableRawPointer(mutating: input)),
            xnn_external_value(id: ID.features.rawValue, data: UnsafeMutableRawPointer(features.baseAddress)),
        ]
        if !logits.isEmpty {
            values.append(xnn_external_value(id: ID.logits.rawValue, data: UnsafeMutableRawPointer(logits.baseAddress)))
            values.append(xnn_external_value(id: ID.probabilities.rawValue,
                                             data: UnsafeMutableRawPointer(probabilities.baseAddress)))
        }
        try check(xnn_setup_runtime(runtime, values.count, values), "setup_runtime")
        try check(xnn_invoke_runtime(runtime), "invoke_runtime")
        return ModelOutput(
            features: Array(features),
            probabilities: probabilities.isEmpty ? nil : Array(probabilities),
            logits: logits.isEmpty ? nil : Array(logits))
    }
}
