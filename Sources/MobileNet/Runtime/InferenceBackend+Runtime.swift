import CXNNPACK

/// Each backend builds its own runtime for the network; this is the one place that chooses between them.
extension InferenceBackend {
    func makeRuntime(_ architecture: MobileNetV2Architecture, _ weights: MobileNetV2Weights, inputSize: Int,
                     threads: Int) throws(ModelError) -> any NetworkRuntime
    {
        switch self {
        case .xnnpack:
            let arena = WeightArena()
            try check(xnn_initialize(nil), "initialize")
            var subgraph: xnn_subgraph_t?
            try check(xnn_create_subgraph(UInt32(XNNPACKGraphBuilder.External.allCases.count), 0, &subgraph),
                      "create_subgraph")
            guard let subgraph else { throw .xnnpackFailure(stage: "create_subgraph", status: -1) }
            defer { xnn_delete_subgraph(subgraph) }
            try XNNPACKGraphBuilder(subgraph: subgraph, arena: arena).define(architecture, weights, inputSize: inputSize)
            return try RuntimeHandle(subgraph: subgraph, arena: arena, threads: threads,
                                     featureCount: architecture.headChannels,
                                     classCount: weights.classifier?.bias.count ?? 0)
        case .hybrid:
            return try HybridRuntime(architecture, weights, inputSize: inputSize, threads: threads)
        case .onednn:
            let chain = try OneDNNChain(threads: threads)
            try OneDNNGraphBuilder(chain: chain).define(architecture, weights, inputSize: inputSize)
            return chain
        case .automatic:
            return try Self.forThisCPU.makeRuntime(architecture, weights, inputSize: inputSize, threads: threads)
        }
    }
}
