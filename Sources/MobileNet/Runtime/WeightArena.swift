/// Owns the float buffers XNNPACK reads static weights from: XNNPACK keeps raw pointers to them,
/// so they must stay put and outlive every runtime built on them.
final class WeightArena {
    private var buffers: [UnsafeMutableBufferPointer<Float>] = []

    /// A new buffer holding `values` in the order `index` maps them: `buffer[i] = values[index(i)]`.
    func store(count: Int, _ value: (Int) -> Float) -> UnsafeMutablePointer<Float> {
        // XNNPACK may read up to 16 bytes past a static buffer with SIMD loads: pad it.
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: count + 16)
        for i in 0..<count { buffer[i] = value(i) }
        for i in count..<(count + 16) { buffer[i] = 0 }
        buffers.append(buffer)
        return buffer.baseAddress ?? UnsafeMutablePointer<Float>.allocate(capacity: 1)
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }
}
