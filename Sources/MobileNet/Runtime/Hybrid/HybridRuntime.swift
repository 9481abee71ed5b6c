import COrchardKernels
import CXNNPACK

/// MobileNetV2 with Orchard's own loop over each inverted-residual block: the block runs in bands of output
/// rows (expand, Orchard's 3×3 depthwise kernel, project), so a band's expanded activations stay in L2. Run
/// layer by layer, the expanded tensors (up to 4.8 MB) went through L3 three times, and the depthwise layers,
/// bound by that traffic, took ~18 % of the time (bench/inference-results.md). The stem runs as block 0's
/// expansion, a 1×1 convolution over the image's 3×3 patches gathered band by band, so its output never
/// leaves L2 either. The 1×1 layers run on XNNPACK's or Orchard's kernel (`DenseLayers`); pooling and the
/// classifier are an XNNPACK subgraph.
/// Unchecked Sendable: only ever touched inside `MobileNetV2`'s mutex.
final class HybridRuntime: NetworkRuntime, @unchecked Sendable {
    /// The library that runs the 1×1 convolutions: the blocks' expand and project layers, and the head's.
    enum DenseLayers {
        /// XNNPACK's fully-connected operator (the head's convolution in XNNPACK's subgraph).
        case xnnpack
        /// Orchard's kernel (`orchard_pointwise_run`) on weights it packs once for all lanes.
        case orchard

        /// Orchard's kernel wherever it has vector code: on AVX-512 its tiles of 6 pixels × 32 outputs run
        /// ~1.15× faster than XNNPACK's 7 × 16, and on AVX2 Debian's GCC-built XNNPACK GEMM spills a register
        /// in its inner loop and runs at about half the FMA peak (bench/inference-results.md).
        static var forThisCPU: DenseLayers { String(cString: orchard_kernels_isa()) == "scalar" ? .xnnpack : .orchard }
    }

    /// Expanded rows a band keeps in cache: a quarter of the 1 MiB L2 of this machine kind's cores.
    private static let bandBytes = 256 * 1024

    private var head: xnn_runtime_t?
    /// The stem's 3×3 stride-2 windows over the image, which block 0 gathers band by band.
    private let stemPatches = UnsafeMutablePointer<orchard_patches3x3>.allocate(capacity: 1)
    /// With Orchard's 1×1 kernel, the head's convolution runs before the head segment (pooling, classifier).
    private var headConvolution: (layer: UnsafePointer<orchard_pointwise>, pixels: Int,
                                  output: UnsafeMutablePointer<Float>)?
    private let lanes: Int
    private let dense: DenseLayers
    /// Per block, its lanes (one per thread).
    private var blocks: [[orchard_inverted_residual]] = []
    /// Each block's input and output: the image (block 0, whose expansion is the stem), then two buffers in turn.
    private var activations: [(input: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>)] = []
    private var operators: [xnn_operator_t] = []
    /// The 1×1 layers, by Keras layer name: lanes share Orchard's packed weights, not XNNPACK's operators.
    private var pointwiseLayers: [UnsafeMutablePointer<orchard_pointwise>] = []
    private var packedLayers: [String: UnsafePointer<orchard_pointwise>] = [:]
    private let arena = WeightArena()
    private let threadPool: pthreadpool_t?
    private var buffers: [UnsafeMutableBufferPointer<Float>] = []
    private var features = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)
    private var logits = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)
    private var probabilities = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)

    init(_ architecture: MobileNetV2Architecture, _ weights: MobileNetV2Weights, inputSize: Int, threads: Int,
         dense: DenseLayers = .forThisCPU) throws(ModelError)
    {
        lanes = threads
        self.dense = dense
        // With one thread XNNPACK and Orchard's kernels run inline.
        threadPool = threads > 1 ? pthreadpool_create(threads) : nil
        if threads > 1, threadPool == nil { throw .xnnpackFailure(stage: "pthreadpool_create(\(threads))", status: -1) }
        try check(xnn_initialize(nil), "initialize")
        try build(architecture, weights, inputSize: inputSize, lanes: threads)
    }

    deinit {
        if let head { xnn_delete_runtime(head) }
        stemPatches.deallocate()
        for op in operators { xnn_delete_operator(op) }
        for layer in pointwiseLayers { layer.deallocate() }
        if let threadPool { pthreadpool_destroy(threadPool) }
        for buffer in buffers + [features, logits, probabilities] { buffer.deallocate() }
    }

    func run(input: UnsafePointer<Float>) throws(ModelError) -> ModelOutput {
        guard let head else { throw .xnnpackFailure(stage: "hybrid runtime not built", status: -1) }
        let pool = threadPool.map { UnsafeMutableRawPointer($0) }
        for index in blocks.indices {
            let status = orchard_inverted_residual_run(&blocks[index], Int32(blocks[index].count),
                                                       activations[index].input ?? input, activations[index].output, pool)
            guard status == 0 else { throw .xnnpackFailure(stage: "block_\(index)", status: Int(status)) }
        }
        if let headConvolution, let input = activations.last?.output {
            orchard_pointwise_run_shared(headConvolution.layer, headConvolution.pixels, input, headConvolution.output,
                                         pool, Int32(lanes))
        }
        try check(xnn_invoke_runtime(head), "invoke_runtime (head)")
        return ModelOutput(
            features: Array(features),
            probabilities: probabilities.isEmpty ? nil : Array(probabilities),
            logits: logits.isEmpty ? nil : Array(logits))
    }

    /// A zeroed buffer aligned to the cache line: a 64-byte vector load never straddles two lines.
    private func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 16) * MemoryLayout<Float>.size, alignment: 64)
        let buffer = UnsafeMutableBufferPointer(start: raw.initializeMemory(as: Float.self, repeating: 0,
                                                                            count: max(count, 16)),
                                                count: max(count, 16))
        buffers.append(buffer)
        return buffer.baseAddress!
    }

    /// With `lanes` threads each block is split by output rows into that many lanes, each a copy of the
    /// block with its own operators and band buffers: one hand-off per block, where a pool working inside
    /// every band waited for its workers after each small step (two threads then ran at 1.02× one).
    private func build(_ architecture: MobileNetV2Architecture, _ weights: MobileNetV2Weights, inputSize: Int,
                       lanes: Int) throws(ModelError)
    {
        // The stem: a 3×3 stride-2 convolution of the RGB image, run by block 0 on the image's patches.
        let stemSize = MobileNetV2Architecture.outputSize(inputSize, stride: 2)
        let (stemBefore, _) = MobileNetV2Architecture.padding(inputSize, stride: 2)
        stemPatches.initialize(to: orchard_patches3x3(
            in_height: Int32(inputSize), in_width: Int32(inputSize), channels: 3, stride: 2,
            pad_top: Int32(stemBefore), pad_left: Int32(stemBefore), out_width: Int32(stemSize)))
        let patchChannels = 9 * Int(stemPatches.pointee.channels)

        // The blocks, each with its bands; the band buffers and the two block-output buffers are shared.
        var plans: [(block: InvertedResidual, inputSize: Int, outputSize: Int, rows: Int)] = []
        var largestOutput = 0, largestBandIn = 0, largestBandOut = 0
        var size = stemSize
        for block in architecture.blocks {
            let outputSize = MobileNetV2Architecture.outputSize(size, stride: block.stride)
            let rowBytes = size * block.expandedChannels * MemoryLayout<Float>.size
            let rows = min(outputSize, max(1, Self.bandBytes / (block.stride * rowBytes)))
            plans.append((block, size, outputSize, rows))
            largestOutput = max(largestOutput, outputSize * outputSize * block.outputChannels)
            largestBandIn = max(largestBandIn, ((rows - 1) * block.stride + 3) * size * block.expandedChannels)
            largestBandOut = max(largestBandOut, rows * outputSize * block.expandedChannels)
            size = outputSize
        }
        // Block 0's band reads (rows − 1)·stride + 3 rows of the stem's output, each a row of patches first.
        let stemBandRows = plans.first.map { ($0.rows - 1) * $0.block.stride + 3 } ?? 0
        let bands = (0..<lanes).map { _ in
            (input: allocate(largestBandIn), output: allocate(largestBandOut),
             patches: allocate(stemBandRows * stemSize * patchChannels))
        }
        let outputs = [allocate(largestOutput), allocate(largestOutput)]
        var input: UnsafePointer<Float>? = nil  // block 0 reads the image given to `run`
        for (index, (plan, w)) in zip(plans, weights.blocks).enumerated() {
            let block = plan.block
            let output = outputs[index % 2]
            let (before, _) = MobileNetV2Architecture.padding(plan.inputSize, stride: block.stride)
            let kernel = w.depthwise.kernel.values, bias = w.depthwise.bias
            let depthwise = orchard_depthwise3x3(
                input: nil, output: nil, input_row0: 0, output_row0: 0,
                weights: arena.store(count: kernel.count) { kernel[$0] },
                bias: arena.store(count: bias.count) { bias[$0] },
                in_height: Int32(plan.inputSize), in_width: Int32(plan.inputSize),
                out_height: Int32(plan.outputSize), out_width: Int32(plan.outputSize),
                channels: Int32(block.expandedChannels), stride: Int32(block.stride),
                pad_top: Int32(before), pad_left: Int32(before), min: 0, max: 6, input_ring_rows: 0)
            let isFirst = index == 0
            blocks.append(try bands.map { band throws(ModelError) in
                let expand = isFirst
                    ? try pointwise(weights.stem, relu6: true, layer: "Conv1", inputs: patchChannels)
                    : try w.expand.map { conv throws(ModelError) in
                        try pointwise(conv, relu6: true, layer: block.kerasPrefix + "expand")
                    }
                return orchard_inverted_residual(
                    expand: expand,
                    project: try pointwise(w.project, relu6: false, layer: block.kerasPrefix + "project"),
                    depthwise: depthwise, in_channels: Int32(isFirst ? patchChannels : block.inputChannels),
                    out_channels: Int32(block.outputChannels), residual: block.hasResidual ? 1 : 0,
                    rows_per_band: Int32(plan.rows), band_in: band.input, band_out: band.output,
                    patches: isFirst ? UnsafePointer(stemPatches) : nil,
                    band_patches: isFirst ? band.patches : nil)
            })
            activations.append((input, output))
            input = UnsafePointer(output)
        }

        // The head: 1×1 convolution, pooling and the classifier, from the last block's output.
        let last = try XNNPACKSegment(arena: arena)
        let headValue: XNNPACKGraphBuilder.Activation
        if dense == .orchard {
            let output = allocate(size * size * architecture.headChannels)
            headConvolution = (try pointwise(weights.head, relu6: true, layer: "Conv_1"), size * size, output)
            headValue = try last.external(size: size, channels: architecture.headChannels, .input, buffer: output)
        } else {
            let x = try last.external(size: size, channels: architecture.blocks.last?.outputChannels ?? 0, .input,
                                      buffer: input.map { UnsafeMutablePointer(mutating: $0) })
            headValue = try last.graph.convolution(x, weights.head, stride: 1, relu6: true, layer: "Conv_1")
        }
        features = .allocate(capacity: architecture.headChannels)
        let classes = weights.classifier?.bias.count ?? 0
        logits = .allocate(capacity: classes)
        probabilities = .allocate(capacity: classes)
        let ids = (try last.reserve(features.baseAddress),
                   classes > 0 ? try last.reserve(logits.baseAddress) : XNNPACKGraphBuilder.invalidID,
                   classes > 0 ? try last.reserve(probabilities.baseAddress) : XNNPACKGraphBuilder.invalidID)
        try last.graph.pooledOutputs(headValue, weights.classifier, ids: ids)
        head = try last.makeRuntime(pool: threadPool)
    }

    /// A 1×1 convolution for one lane: Orchard's kernel on panels packed once for all lanes, or XNNPACK's
    /// operator (one per lane: an operator holds the buffers of its last setup). A 3×3 kernel (the stem)
    /// is one over patches: `inputs` = 9 · its input channels, in the kernel's own (ky, kx, channel) order.
    private func pointwise(_ conv: FoldedConvolution, relu6: Bool, layer: String, inputs: Int? = nil)
        throws(ModelError) -> UnsafePointer<orchard_pointwise>
    {
        if dense == .orchard, let packed = packedLayers[layer] { return packed }
        let (inputs, outputs) = (inputs ?? conv.kernel.shape[2], conv.kernel.shape[3])
        var description = orchard_pointwise(xnn_operator: nil, packed: nil, bias: nil, inputs: Int32(inputs),
                                            outputs: Int32(outputs), min: relu6 ? 0 : -.infinity,
                                            max: relu6 ? 6 : .infinity)
        if dense == .orchard {
            let packed = allocate(orchard_pointwise_packed_count(Int32(inputs), Int32(outputs)))
            let bias = allocate(orchard_pointwise_packed_bias_count(Int32(outputs)))
            orchard_pointwise_pack(conv.kernel.values, conv.bias, Int32(inputs), Int32(outputs), packed, bias)
            (description.packed, description.bias) = (UnsafePointer(packed), UnsafePointer(bias))
        } else {
            description.xnn_operator = UnsafeMutableRawPointer(
                try fullyConnected(conv, inputs: inputs, relu6: relu6, layer: layer))
        }
        let stored = UnsafeMutablePointer<orchard_pointwise>.allocate(capacity: 1)
        stored.initialize(to: description)
        pointwiseLayers.append(stored)
        if dense == .orchard { packedLayers[layer] = UnsafePointer(stored) }
        return UnsafePointer(stored)
    }

    /// A 1×1 convolution as XNNPACK's fully-connected operator: Keras's `[1, 1, Cin, Cout]` kernel is the
    /// operator's transposed `[Cin][Cout]` layout as it is. The operator packs a copy of the weights.
    private func fullyConnected(_ conv: FoldedConvolution, inputs: Int, relu6: Bool, layer: String)
        throws(ModelError) -> xnn_operator_t
    {
        let outputs = conv.kernel.shape[3]
        var op: xnn_operator_t?
        let status = conv.kernel.values.withUnsafeBufferPointer { kernel in
            conv.bias.withUnsafeBufferPointer { bias in
                xnn_create_fully_connected_nc_f32(
                    inputs, outputs, inputs, outputs, kernel.baseAddress, bias.baseAddress,
                    relu6 ? 0 : -.infinity, relu6 ? 6 : .infinity, UInt32(XNN_FLAG_TRANSPOSE_WEIGHTS), &op)
            }
        }
        guard status == xnn_status_success, let op else {
            throw .xnnpackFailure(stage: "create_fully_connected \(layer)", status: Int(status.rawValue))
        }
        operators.append(op)
        return op
    }
}
