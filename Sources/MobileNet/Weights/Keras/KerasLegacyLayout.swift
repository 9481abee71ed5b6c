/// The Keras 2 layout of `model.save_weights("x.h5")` and of the official
/// `mobilenet_v2_weights_tf_dim_ordering_tf_kernels_*.h5` files: a root attribute `layer_names`, one group
/// per layer whose `weight_names` attribute lists dataset paths relative to it, such as
/// `Conv1/kernel:0` (Keras 2) or `Conv1/kernel` (Keras 3's legacy writer).
final class KerasLegacyLayout: KerasLayout {
    private let file: HDF5File
    /// The group holding the layer groups: the root, or `model_weights` in a whole-model `.h5`.
    private let root: String
    private var weightNames: [String: [String]] = [:]

    /// The layout of `file`, or nil when no `layer_names` attribute marks it as Keras 2 style.
    init?(file: HDF5File) throws(ModelError) {
        self.file = file
        if try file.strings(attribute: "layer_names", of: "/") != nil {
            root = ""
        } else if file.exists("model_weights"), try file.strings(attribute: "layer_names", of: "model_weights") != nil {
            root = "model_weights/"
        } else {
            return nil
        }
    }

    func datasetPath(layer: String, weight: KerasWeight) throws(ModelError) -> String? {
        let group = root + layer
        let names: [String]
        if let cached = weightNames[layer] {
            names = cached
        } else {
            guard file.exists(group) else { return nil }
            names = try file.strings(attribute: "weight_names", of: group) ?? []
            weightNames[layer] = names
        }
        // `block_1_expand/kernel:0` → `kernel`: the last component, without TensorFlow's output index.
        for name in names {
            let last = name.split(separator: "/").last.map(String.init) ?? name
            let bare = last.split(separator: ":").first.map(String.init) ?? last
            // Keras 2 named a DepthwiseConv2D's weight `depthwise_kernel` (the official files do); Keras 3 `kernel`.
            if bare == weight.rawValue || (weight == .kernel && bare == "depthwise_kernel") {
                let path = group + "/" + name
                return file.exists(path) ? path : nil
            }
        }
        return nil
    }
}
