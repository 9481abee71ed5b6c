import COneDNN

/// A network as oneDNN primitives executed in order on one CPU engine and stream, with every memory
/// they use. Unchecked Sendable: it is only ever touched inside `MobileNetV2`'s mutex.
final class OneDNNChain: NetworkRuntime, @unchecked Sendable {
    /// One primitive and the memories bound to its arguments.
    struct Step {
        let primitive: dnnl_primitive_t
        let arguments: [dnnl_exec_arg_t]
    }

    let engine: dnnl_engine_t
    let stream: dnnl_stream_t
    /// OpenMP threads per primitive; set on the calling thread before every run (it is a per-thread setting).
    let threads: Int
    private(set) var steps: [Step] = []
    private var memories: [dnnl_memory_t] = []
    private var buffers: [UnsafeMutableBufferPointer<Float>] = []
    /// Set by the builder: the NHWC input (its data handle is the caller's buffer) and the outputs.
    var input: dnnl_memory_t?
    var features = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)
    var logits = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)
    var probabilities = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)

    init(threads: Int) throws(ModelError) {
        self.threads = threads
        Self.useThreads(threads)
        var engine: dnnl_engine_t?
        try check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine_create")
        guard let engine else { throw .onednnFailure(stage: "engine_create", status: -1) }
        var stream: dnnl_stream_t?
        let status = dnnl_stream_create(&stream, engine, UInt32(dnnl_stream_default_flags.rawValue))
        guard status == dnnl_success, let stream else {
            dnnl_engine_destroy(engine)
            throw .onednnFailure(stage: "stream_create", status: Int(status.rawValue))
        }
        self.engine = engine
        self.stream = stream
    }

    deinit {
        for step in steps { dnnl_primitive_destroy(step.primitive) }
        for memory in memories { dnnl_memory_destroy(memory) }
        for buffer in buffers { buffer.deallocate() }
        dnnl_stream_destroy(stream)
        dnnl_engine_destroy(engine)
    }

    /// Sets the calling thread's OpenMP team size, which oneDNN reads when it creates and runs primitives.
    static func useThreads(_ threads: Int) {
        _ = orchard_omp_set_num_threads(Int32(threads))
    }

    /// A memory for `descriptor`, allocated by oneDNN (or over `handle`), owned by the chain.
    func memory(_ descriptor: dnnl_memory_desc_t, handle: UnsafeMutableRawPointer? = orchard_dnnl_memory_allocate())
        throws(ModelError) -> dnnl_memory_t
    {
        var descriptor = descriptor
        var memory: dnnl_memory_t?
        try check(dnnl_memory_create(&memory, &descriptor, engine, handle), "memory_create")
        guard let memory else { throw .onednnFailure(stage: "memory_create", status: -1) }
        memories.append(memory)
        return memory
    }

    /// A float buffer of `count` values owned by the chain, for outputs the caller reads.
    func buffer(count: Int) -> UnsafeMutableBufferPointer<Float> {
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
        buffer.initialize(repeating: 0)
        buffers.append(buffer)
        return buffer
    }

    /// Creates the primitive of `descriptor` (which it then destroys) and appends it with its arguments.
    func append(_ descriptor: dnnl_primitive_desc_t, _ arguments: [dnnl_exec_arg_t], layer: String) throws(ModelError) {
        defer { dnnl_primitive_desc_destroy(descriptor) }
        var primitive: dnnl_primitive_t?
        try check(dnnl_primitive_create(&primitive, descriptor), "primitive_create \(layer)")
        guard let primitive else { throw .onednnFailure(stage: "primitive_create \(layer)", status: -1) }
        steps.append(Step(primitive: primitive, arguments: arguments))
    }

    /// Runs one primitive right away (weight reorders at build time), then forgets it.
    func runOnce(_ descriptor: dnnl_primitive_desc_t, _ arguments: [dnnl_exec_arg_t], layer: String) throws(ModelError) {
        defer { dnnl_primitive_desc_destroy(descriptor) }
        var primitive: dnnl_primitive_t?
        try check(dnnl_primitive_create(&primitive, descriptor), "primitive_create \(layer)")
        guard let primitive else { throw .onednnFailure(stage: "primitive_create \(layer)", status: -1) }
        defer { dnnl_primitive_destroy(primitive) }
        try check(dnnl_primitive_execute(primitive, stream, Int32(arguments.count), arguments), "execute \(layer)")
        try check(dnnl_stream_wait(stream), "stream_wait \(layer)")
    }

    func run(input: UnsafePointer<Float>) throws(ModelError) -> ModelOutput {
        Self.useThreads(threads)
        // oneDNN only reads the input; its API takes a mutable handle for every memory.
        try check(dnnl_memory_set_data_handle(self.input, UnsafeMutableRawPointer(mutating: input)), "set input")
        for (index, step) in steps.enumerated() {
            try check(dnnl_primitive_execute(step.primitive, stream, Int32(step.arguments.count), step.arguments),
                      "execute step \(index)")
        }
        try check(dnnl_stream_wait(stream), "stream_wait")
        return ModelOutput(
            features: Array(features),
            probabilities: probabilities.isEmpty ? nil : Array(probabilities),
            logits: logits.isEmpty ? nil : Array(logits))
    }
}
