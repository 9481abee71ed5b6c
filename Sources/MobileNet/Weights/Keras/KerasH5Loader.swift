/// Reads keras.applications.MobileNetV2 weights from a Keras `.h5` file — the Keras 2 layout of the
/// official `mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{alpha}_{size}[_no_top].h5` files or a
/// Keras 3 `.weights.h5` — infers alpha from the shapes and folds every BatchNorm into its convolution.
public enum KerasH5Loader {
    /// Keras's BatchNormalization epsilon in MobileNetV2.
    static let batchNormEpsilon = 1e-3

    /// Loads and folds the weights in the Keras `.h5` file at `path`.
    public static func load(path: String) throws(ModelError) -> MobileNetV2Weights {
        let result: Result<MobileNetV2Weights, ModelError> = hdf5Lock.withLock { _ in
            do throws(ModelError) {
                let file = try HDF5File(path: path)
                let layout: any KerasLayout
                if let legacy = try KerasLegacyLayout(file: file) {
                    layout = legacy
                } else if let keras3 = try Keras3Layout(file: file) {
                    layout = keras3
                } else {
                    throw ModelError.notMobileNetV2(
                        source: path, reason: "no `layer_names` attribute (Keras 2 layout) and no `layers` group (Keras 3)")
                }
                return .success(try read(file: file, layout: layout))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func read(file: HDF5File, layout: any KerasLayout) throws(ModelError) -> MobileNetV2Weights {
        let architecture = try inferArchitecture(file: file, layout: layout)
        var folded: [String: FoldedConvolution] = [:]
        for spec in architecture.convolutions {
            folded[spec.layer] = try fold(spec, file: file, layout: layout)
        }
        func conv(_ layer: String) throws(ModelError) -> FoldedConvolution {
            guard let value = folded[layer] else { throw .missingWeight(source: file.path, layer: layer, weight: "kernel") }
            return value
        }
        var blocks: [InvertedResidualWeights] = []
        for block in architecture.blocks {
            let p = block.kerasPrefix
            blocks.append(InvertedResidualWeights(
                expand: block.hasExpansion ? try conv(p + "expand") : nil,
                depthwise: try conv(p + "depthwise"), project: try conv(p + "project")))
        }
        let weights = MobileNetV2Weights(
            alpha: architecture.alpha, stem: try conv("Conv1"), blocks: blocks, head: try conv("Conv_1"),
            classifier: try classifier(architecture, file: file, layout: layout))
        try architecture.check(weights)
        return weights
    }

    /// The alpha whose kernel shapes all match the file; if none does, the error describes the first
    /// mismatch of the alpha that matched the most layers in order.
    private static func inferArchitecture(file: HDF5File, layout: any KerasLayout) throws(ModelError)
        -> MobileNetV2Architecture
    {
        var best: (matched: Int, error: ModelError)?
        for alpha in MobileNetV2Architecture.supportedAlphas {
            let architecture = try MobileNetV2Architecture(alpha: alpha)
            var matched = 0
            var mismatch: ModelError?
            for spec in architecture.convolutions {
                guard let path = try layout.datasetPath(layer: spec.layer, weight: .kernel) else {
                    mismatch = .missingWeight(source: file.path, layer: spec.layer, weight: "kernel")
                    break
                }
                let found = file.shape(of: path) ?? []
                guard found == spec.kernelShape else {
                    mismatch = .wrongShape(layer: "\(spec.layer) kernel (alpha \(alpha))", expected: spec.kernelShape,
                                           found: found)
                    break
                }
                matched += 1
            }
            guard let mismatch else { return architecture }
            if matched > (best?.matched ?? -1) { best = (matched, mismatch) }
        }
        if let best, best.matched == 0, case .missingWeight = best.error {
            throw .notMobileNetV2(source: file.path, reason: "it has no `Conv1` layer with a kernel")
        }
        throw best?.error ?? .notMobileNetV2(source: file.path, reason: "no supported alpha")
    }

    private static func tensor(_ layer: String, _ weight: KerasWeight, file: HDF5File, layout: any KerasLayout,
                               shape: [Int]) throws(ModelError) -> WeightTensor {
        guard let path = try layout.datasetPath(layer: layer, weight: weight) else {
            throw .missingWeight(source: file.path, layer: layer, weight: weight.rawValue)
        }
        let value = try file.floats(path)
        guard value.shape == shape else {
            throw .wrongShape(layer: "\(layer) \(weight.rawValue)", expected: shape, found: value.shape)
        }
        return value
    }

    /// Folds `y = gamma * (conv(x, W) - mean) / sqrt(var + eps) + beta` into `conv(x, W') + b'`, in float64.
    private static func fold(_ spec: MobileNetV2Architecture.ConvolutionSpec, file: HDF5File,
                             layout: any KerasLayout) throws(ModelError) -> FoldedConvolution {
        let kernel = try tensor(spec.layer, .kernel, file: file, layout: layout, shape: spec.kernelShape)
        let channels = spec.outputChannels
        var bn: [KerasWeight: [Float]] = [:]
        for weight in [KerasWeight.gamma, .beta, .movingMean, .movingVariance] {
            bn[weight] = try tensor(spec.batchNorm, weight, file: file, layout: layout, shape: [channels]).values
        }
        let gamma = bn[.gamma] ?? [], beta = bn[.beta] ?? [], mean = bn[.movingMean] ?? []
        let variance = bn[.movingVariance] ?? []
        var scale = [Double](repeating: 0, count: channels)
        var bias = [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            let v = Double(variance[c]) + batchNormEpsilon
            guard v > 0, v.isFinite else {
                throw .notMobileNetV2(source: file.path, reason: "\(spec.batchNorm) moving_variance[\(c)] is \(variance[c])")
            }
            scale[c] = Double(gamma[c]) / v.squareRoot()
            bias[c] = Float(Double(beta[c]) - Double(mean[c]) * scale[c])
        }
        // Output channels are the innermost axis in both HWIO and depthwise [KH, KW, C, 1].
        var values = kernel.values
        for i in values.indices { values[i] = Float(Double(values[i]) * scale[i % channels]) }
        return FoldedConvolution(kernel: WeightTensor(shape: kernel.shape, values: values), bias: bias)
    }

    private static func classifier(_ architecture: MobileNetV2Architecture, file: HDF5File,
                                   layout: any KerasLayout) throws(ModelError) -> MobileNetV2Weights.Classifier? {
        guard let kernelPath = try layout.datasetPath(layer: "predictions", weight: .kernel) else { return nil }
        let shape = file.shape(of: kernelPath) ?? []
        guard shape.count == 2, shape[0] == architecture.headChannels, shape[1] >= 1, shape[1] <= 100_000 else {
            throw .wrongShape(layer: "predictions kernel", expected: [architecture.headChannels, 1000], found: shape)
        }
        let kernel = try tensor("predictions", .kernel, file: file, layout: layout, shape: shape)
        let bias = try tensor("predictions", .bias, file: file, layout: layout, shape: [shape[1]])
        return MobileNetV2Weights.Classifier(kernel: kernel, bias: bias.values)
    }
}
