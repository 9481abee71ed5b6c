import CXNNPACK

/// One XNNPACK subgraph of a network run in pieces (the hybrid backend's stem and head): its external
/// values are buffers the caller owns, bound once when the segment becomes a runtime.
final class XNNPACKSegment {
    /// External ids a segment may use: the stem's image and output, or the head's input and three outputs.
    private static let maxExternalValues: UInt32 = 4

    private let subgraph: xnn_subgraph_t
    let graph: XNNPACKGraphBuilder
    private(set) var bindings: [xnn_external_value] = []

    init(arena: WeightArena) throws(ModelError) {
        var subgraph: xnn_subgraph_t?
        try check(xnn_create_subgraph(Self.maxExternalValues, 0, &subgraph), "create_subgraph")
        guard let subgraph else { throw .xnnpackFailure(stage: "create_subgraph", status: -1) }
        self.subgraph = subgraph
        graph = XNNPACKGraphBuilder(subgraph: subgraph, arena: arena)
    }

    deinit { xnn_delete_subgraph(subgraph) }

    /// The next external id, bound to `buffer` (nil: bound at every run, like the network's input).
    func reserve(_ buffer: UnsafeMutablePointer<Float>?) throws(ModelError) -> UInt32 {
        let id = UInt32(bindings.count)
        guard id < Self.maxExternalValues else { throw .xnnpackFailure(stage: "too many external values", status: -1) }
        bindings.append(xnn_external_value(id: id, data: buffer.map(UnsafeMutableRawPointer.init)))
        return id
    }

    /// An NHWC activation `[1, size, size, channels]` read from (`.input`) or written to (`.output`) `buffer`.
    func external(size: Int, channels: Int, _ direction: Direction, buffer: UnsafeMutablePointer<Float>?)
        throws(ModelError) -> XNNPACKGraphBuilder.Activation
    {
        let flags = direction == .input ? XNNPACKGraphBuilder.externalInputFlag : XNNPACKGraphBuilder.externalOutputFlag
        let id = try graph.tensor([1, size, size, channels], externalID: try reserve(buffer), flags: flags)
        return XNNPACKGraphBuilder.Activation(id: id, size: size, channels: channels)
    }

    enum Direction { case input, output }

    /// The runtime of this segment on `pool`, its fixed external values already bound.
    func makeRuntime(pool: pthreadpool_t?) throws(ModelError) -> xnn_runtime_t {
        var runtime: xnn_runtime_t?
        let status = xnn_create_runtime_v2(subgraph, pool, 0, &runtime)
        guard status == xnn_status_success, let runtime else {
            throw .xnnpackFailure(stage: "create_runtime (segment)", status: Int(status.rawValue))
        }
        if bindings.allSatisfy({ $0.data != nil }) {
            let status = xnn_setup_runtime(runtime, bindings.count, bindings)
            guard status == xnn_status_success else {
                xnn_delete_runtime(runtime)
                throw .xnnpackFailure(stage: "setup_runtime (segment)", status: Int(status.rawValue))
            }
        }
        return runtime
    }
}
