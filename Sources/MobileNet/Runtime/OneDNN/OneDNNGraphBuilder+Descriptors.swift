import COneDNN

/// Memory descriptors: activations as oneDNN's logical NCHW dims in a given format, and Keras's weight
/// layouts as strides over oneDNN's logical weight dims, so no weight is transposed by hand.
extension OneDNNGraphBuilder {
    /// Activation `[1, C, size, size]` (logical NCHW) in `format`.
    static func activation(channels: Int, size: Int, format: dnnl_format_tag_t) throws(ModelError) -> dnnl_memory_desc_t {
        try descriptor([1, Int64(channels), Int64(size), Int64(size)], format: format)
    }

    static func descriptor(_ dims: [Int64], format: dnnl_format_tag_t) throws(ModelError) -> dnnl_memory_desc_t {
        var descriptor = dnnl_memory_desc_t()
        try check(dnnl_memory_desc_init_by_tag(&descriptor, Int32(dims.count), dims, dnnl_f32, format),
                  "memory_desc_init_by_tag \(dims)")
        return descriptor
    }

    static func strided(_ dims: [Int64], strides: [Int64]) throws(ModelError) -> dnnl_memory_desc_t {
        var descriptor = dnnl_memory_desc_t()
        try check(dnnl_memory_desc_init_by_strides(&descriptor, Int32(dims.count), dims, dnnl_f32, strides),
                  "memory_desc_init_by_strides \(dims)")
        return descriptor
    }

    /// A bias: `n` floats.
    static func vector(_ count: Int) throws(ModelError) -> dnnl_memory_desc_t {
        try descriptor([Int64(count)], format: dnnl_a)
    }

    /// Keras HWIO `[KH, KW, I, O]` seen as oneDNN's `[O, I, KH, KW]`.
    static func kerasWeights(inputs: Int, outputs: Int, kernel: Int) throws(ModelError) -> dnnl_memory_desc_t {
        let (i, o, k) = (Int64(inputs), Int64(outputs), Int64(kernel))
        return try strided([o, i, k, k], strides: [1, o, k * i * o, i * o])
    }

    /// Keras depthwise `[KH, KW, C, 1]` seen as oneDNN's grouped `[G = C, O = 1, I = 1, KH, KW]`.
    static func kerasDepthwiseWeights(channels: Int, kernel: Int) throws(ModelError) -> dnnl_memory_desc_t {
        let (c, k) = (Int64(channels), Int64(kernel))
        return try strided([c, 1, 1, k, k], strides: [1, c, c, k * c, c])
    }

    /// The logical dims of `descriptor`.
    static func dims(of descriptor: dnnl_memory_desc_t) -> [Int64] {
        withUnsafeBytes(of: descriptor.dims) { Array($0.bindMemory(to: Int64.self).prefix(Int(descriptor.ndims))) }
    }
}
