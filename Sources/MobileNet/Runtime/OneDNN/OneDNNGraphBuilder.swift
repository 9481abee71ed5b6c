import COneDNN

/// Defines MobileNetV2 as a chain of oneDNN primitives (fp32, batch 1): one primitive per layer of the
/// paper, ReLU6 as a `clip(0, 6)` post-op, the shortcut as a `sum` post-op of the projection.
///
/// Activations use format `any`, so each convolution picks its JIT kernel's blocked layout (nChw8c with
/// AVX2) and the next one reads it as is; only the input (NHWC → NCHW for the stem's 3 channels) and the
/// pooled features (→ NHWC) are reordered. Weights are reordered once, from Keras's layouts, into the
/// layout each primitive asks for: with fixed plain weight formats oneDNN falls back to reference kernels.
/// bench/onednn/mobilenet_v2_onednn.c is the same chain in C.
struct OneDNNGraphBuilder {
    /// An activation: its memory, descriptor, spatial size and channels.
    struct Activation {
        let memory: dnnl_memory_t
        let descriptor: dnnl_memory_desc_t
        let size: Int
        let channels: Int
    }

    let chain: OneDNNChain

    /// Defines the whole network and points the chain's input and outputs at their memories.
    func define(_ architecture: MobileNetV2Architecture, _ weights: MobileNetV2Weights, inputSize: Int)
        throws(ModelError)
    {
        let nhwc = try Self.activation(channels: 3, size: inputSize, format: dnnl_nhwc)
        let input = try chain.memory(nhwc, handle: nil)
        chain.input = input
        // The stem's JIT kernel for 3 input channels reads plain NCHW, not NHWC.
        let nchw = try Self.activation(channels: 3, size: inputSize, format: dnnl_nchw)
        let stemInput = Activation(memory: try chain.memory(nchw), descriptor: nchw, size: inputSize, channels: 3)
        try reorder(from: input, nhwc, to: stemInput.memory, nchw, layer: "input")

        var x = try convolution(stemInput, weights.stem, stride: 2, relu6: true, layer: "Conv1")
        for (block, w) in zip(architecture.blocks, weights.blocks) {
            x = try invertedResidual(x, block, w)
        }
        x = try convolution(x, weights.head, stride: 1, relu6: true, layer: "Conv_1")
        chain.features = chain.buffer(count: x.channels)
        try globalAveragePool(x, into: chain.features)
        if let classifier = weights.classifier {
            try self.classifier(features: chain.features, classifier)
        }
    }

    /// Fig. 4b: expand (1×1, ReLU6) → depthwise 3×3 (ReLU6) → project (1×1, linear) → + input when shapes
    /// match, added by the projection itself into the input's memory (the input is not needed afterwards).
    private func invertedResidual(_ input: Activation, _ block: InvertedResidual, _ w: InvertedResidualWeights)
        throws(ModelError) -> Activation
    {
        var x = input
        if let expand = w.expand {
            x = try convolution(x, expand, stride: 1, relu6: true, layer: block.kerasPrefix + "expand")
        }
        x = try convolution(x, w.depthwise, stride: block.stride, relu6: true, depthwise: true,
                            layer: block.kerasPrefix + "depthwise")
        return try convolution(x, w.project, stride: 1, relu6: false, accumulate: block.hasResidual ? input : nil,
                               layer: block.kerasPrefix + "project")
    }

    /// A regular (3×3 stem, 1×1) or depthwise 3×3 convolution with its folded bias, ReLU6 or linear;
    /// with `accumulate`, the result is added to that activation in place.
    private func convolution(_ x: Activation, _ conv: FoldedConvolution, stride: Int, relu6: Bool,
                             depthwise: Bool = false, accumulate: Activation? = nil, layer: String)
        throws(ModelError) -> Activation
    {
        let kernel = conv.kernel.shape[0]
        let outputChannels = conv.bias.count
        let (before, after) = kernel == 1 ? (0, 0) : MobileNetV2Architecture.padding(x.size, stride: stride)
        let size = kernel == 1 ? x.size : MobileNetV2Architecture.outputSize(x.size, stride: stride)
        let kerasWeights = depthwise
            ? try Self.kerasDepthwiseWeights(channels: outputChannels, kernel: kernel)
            : try Self.kerasWeights(inputs: x.channels, outputs: outputChannels, kernel: kernel)
        var anyWeights = try Self.descriptor(Self.dims(of: kerasWeights), format: dnnl_format_tag_any)
        var bias = try Self.vector(outputChannels)
        // The source's layout is the primitive's choice too: a fixed one can rule out every JIT kernel (on
        // AVX-512, the first depthwise convolution after the stem's blocked output had only the reference
        // one left, at 0.3 s an image); when the choice differs from x's layout, x is reordered first.
        var source = x.channels <= 3 ? x.descriptor : try Self.activation(channels: x.channels, size: x.size, format: dnnl_format_tag_any)
        var destination = if let accumulate { accumulate.descriptor } else {
            try Self.activation(channels: outputChannels, size: size, format: dnnl_format_tag_any)
        }
        var operation = dnnl_convolution_desc_t()
        try check(dnnl_convolution_forward_desc_init(
            &operation, dnnl_forward_inference, dnnl_convolution_direct, &source, &anyWeights, &bias, &destination,
            [Int64(stride), Int64(stride)], [Int64(before), Int64(before)], [Int64(after), Int64(after)]),
            "convolution_forward_desc_init \(layer)")
        let descriptor = try primitiveDescriptor(&operation, postOps: (sum: accumulate != nil, relu6: relu6), layer: layer)
        let outputDescriptor = dnnl_primitive_desc_query_md(descriptor, dnnl_query_dst_md, 0).pointee
        var wanted = dnnl_primitive_desc_query_md(descriptor, dnnl_query_src_md, 0).pointee
        var given = x.descriptor
        var sourceMemory = x.memory
        if dnnl_memory_desc_equal(&wanted, &given) == 0 {
            sourceMemory = try chain.memory(wanted)
            try reorder(from: x.memory, given, to: sourceMemory, wanted, layer: layer + " input")
        }
        let output = if let accumulate { accumulate.memory } else { try chain.memory(outputDescriptor) }
        let weightMemory = try store(conv.kernel.values, kerasWeights, for: descriptor, argument: DNNL_ARG_WEIGHTS, layer: layer)
        let biasMemory = try store(conv.bias, bias, for: descriptor, argument: DNNL_ARG_BIAS, layer: layer)
        try chain.append(descriptor, [
            dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: sourceMemory),
            dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: weightMemory),
            dnnl_exec_arg_t(arg: DNNL_ARG_BIAS, memory: biasMemory),
            dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: output),
        ], layer: layer)
        return Activation(memory: output, descriptor: outputDescriptor, size: size, channels: outputChannels)
    }

    /// Averages the last activation over its whole spatial extent into `features` (NHWC `[1, 1, 1, C]`).
    private func globalAveragePool(_ x: Activation, into features: UnsafeMutableBufferPointer<Float>) throws(ModelError) {
        var source = x.descriptor
        var pooledAny = try Self.activation(channels: x.channels, size: 1, format: dnnl_format_tag_any)
        var operation = dnnl_pooling_v2_desc_t()
        let side = Int64(x.size)
        try check(dnnl_pooling_v2_forward_desc_init(
            &operation, dnnl_forward_inference, dnnl_pooling_avg_exclude_padding, &source, &pooledAny,
            [1, 1], [side, side], [0, 0], [0, 0], [0, 0]), "pooling_v2_forward_desc_init global_average_pool")
        let descriptor = try primitiveDescriptor(&operation, postOps: nil, layer: "global_average_pool")
        let pooledDescriptor = dnnl_primitive_desc_query_md(descriptor, dnnl_query_dst_md, 0).pointee
        let pooled = try chain.memory(pooledDescriptor)
        try chain.append(descriptor, [dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: x.memory),
                                      dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: pooled)], layer: "global_average_pool")
        let plain = try Self.activation(channels: x.channels, size: 1, format: dnnl_nhwc)
        let output = try chain.memory(plain, handle: UnsafeMutableRawPointer(features.baseAddress))
        try reorder(from: pooled, pooledDescriptor, to: output, plain, layer: "features")
    }

    /// `predictions`: inner product (Keras `[C, K]` kernel) to logits, then softmax over the K classes.
    private func classifier(features: UnsafeMutableBufferPointer<Float>, _ classifier: MobileNetV2Weights.Classifier)
        throws(ModelError)
    {
        let (inputs, classes) = (classifier.kernel.shape[0], classifier.kernel.shape[1])
        var source = try Self.descriptor([1, Int64(inputs)], format: dnnl_nc)
        let kerasWeights = try Self.strided([Int64(classes), Int64(inputs)], strides: [1, Int64(classes)])
        var anyWeights = try Self.descriptor([Int64(classes), Int64(inputs)], format: dnnl_format_tag_any)
        var bias = try Self.vector(classes)
        var destination = try Self.descriptor([1, Int64(classes)], format: dnnl_nc)
        var operation = dnnl_inner_product_desc_t()
        try check(dnnl_inner_product_forward_desc_init(
            &operation, dnnl_forward_inference, &source, &anyWeights, &bias, &destination),
            "inner_product_forward_desc_init predictions")
        let descriptor = try primitiveDescriptor(&operation, postOps: nil, layer: "predictions")
        chain.logits = chain.buffer(count: classes)
        chain.probabilities = chain.buffer(count: classes)
        let input = try chain.memory(source, handle: UnsafeMutableRawPointer(features.baseAddress))
        let logits = try chain.memory(destination, handle: UnsafeMutableRawPointer(chain.logits.baseAddress))
        let weightMemory = try store(classifier.kernel.values, kerasWeights, for: descriptor, argument: DNNL_ARG_WEIGHTS,
                                     layer: "predictions")
        let biasMemory = try store(classifier.bias, bias, for: descriptor, argument: DNNL_ARG_BIAS, layer: "predictions")
        try chain.append(descriptor, [
            dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: input),
            dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: weightMemory),
            dnnl_exec_arg_t(arg: DNNL_ARG_BIAS, memory: biasMemory),
            dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: logits),
        ], layer: "predictions")

        var softmax = dnnl_softmax_desc_t()
        try check(dnnl_softmax_forward_desc_init(&softmax, dnnl_forward_inference, &destination, 1),
                  "softmax_forward_desc_init predictions")
        let softmaxDescriptor = try primitiveDescriptor(&softmax, postOps: nil, layer: "softmax")
        let probabilities = try chain.memory(destination, handle: UnsafeMutableRawPointer(chain.probabilities.baseAddress))
        try chain.append(softmaxDescriptor, [dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: logits),
                                             dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: probabilities)], layer: "softmax")
    }

    /// A reorder from one layout to another, appended to the chain.
    private func reorder(from source: dnnl_memory_t, _ sourceDescriptor: dnnl_memory_desc_t, to destination: dnnl_memory_t,
                         _ destinationDescriptor: dnnl_memory_desc_t, layer: String) throws(ModelError)
    {
        var (from, to) = (sourceDescriptor, destinationDescriptor)
        var descriptor: dnnl_primitive_desc_t?
        try check(dnnl_reorder_primitive_desc_create(&descriptor, &from, chain.engine, &to, chain.engine, nil),
                  "reorder_primitive_desc_create \(layer)")
        guard let descriptor else { throw .onednnFailure(stage: "reorder \(layer)", status: -1) }
        try chain.append(descriptor, [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: source),
                                      dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: destination)], layer: layer)
    }

    /// Copies `values` (laid out as `user` describes) into a new memory in the layout `descriptor` wants
    /// for `argument`, once, at build time.
    private func store(_ values: [Float], _ user: dnnl_memory_desc_t, for descriptor: dnnl_primitive_desc_t,
                       argument: Int32, layer: String) throws(ModelError) -> dnnl_memory_t
    {
        var wanted = dnnl_primitive_desc_query_md(descriptor, dnnl_query_exec_arg_md, argument).pointee
        let packed = try chain.memory(wanted)
        var source = user
        // A temporary copy: oneDNN's memory API takes a mutable handle, and the reorder below copies out of it.
        let copy = UnsafeMutableBufferPointer<Float>.allocate(capacity: values.count)
        defer { copy.deallocate() }
        _ = copy.initialize(from: values)
        var userMemory: dnnl_memory_t?
        try check(dnnl_memory_create(&userMemory, &source, chain.engine, copy.baseAddress), "memory_create \(layer)")
        defer { dnnl_memory_destroy(userMemory) }
        var reorder: dnnl_primitive_desc_t?
        try check(dnnl_reorder_primitive_desc_create(&reorder, &source, chain.engine, &wanted, chain.engine, nil),
                  "reorder_primitive_desc_create \(layer) weights")
        guard let reorder else { throw .onednnFailure(stage: "reorder \(layer) weights", status: -1) }
        try chain.runOnce(reorder, [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: userMemory),
                                    dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: packed)], layer: layer + " weights")
        return packed
    }

    /// The primitive descriptor of `operation` with the post-ops a MobileNetV2 layer needs: `sum` first
    /// (the shortcut, added before any activation) and ReLU6 as `clip(0, 6)`.
    private func primitiveDescriptor(_ operation: UnsafeRawPointer, postOps: (sum: Bool, relu6: Bool)?,
                                                layer: String) throws(ModelError) -> dnnl_primitive_desc_t
    {
        var attributes: dnnl_primitive_attr_t?
        try check(dnnl_primitive_attr_create(&attributes), "primitive_attr_create \(layer)")
        defer { dnnl_primitive_attr_destroy(attributes) }
        if let postOps {
            var ops: dnnl_post_ops_t?
            try check(dnnl_post_ops_create(&ops), "post_ops_create \(layer)")
            defer { dnnl_post_ops_destroy(ops) }
            if postOps.sum { try check(dnnl_post_ops_append_sum(ops, 1), "post_ops_append_sum \(layer)") }
            if postOps.relu6 {
                try check(dnnl_post_ops_append_eltwise(ops, 1, dnnl_eltwise_clip, 0, 6), "post_ops_append_eltwise \(layer)")
            }
            try check(dnnl_primitive_attr_set_post_ops(attributes, ops), "primitive_attr_set_post_ops \(layer)")
        }
        var descriptor: dnnl_primitive_desc_t?
        try check(dnnl_primitive_desc_create(&descriptor, operation, attributes, chain.engine, nil),
                  "primitive_desc_create \(layer)")
        guard let descriptor else { throw .onednnFailure(stage: "primitive_desc_create \(layer)", status: -1) }
        return descriptor
    }
}
