/// The Keras 3 layout of `model.save_weights("x.weights.h5")`: `layers/<group>/vars/<i>`, where the
/// group is named after the layer's class (`conv2d_3`, `batch_normalization_7`, …) and its `vars`
/// group carries the Keras layer name in a `name` attribute (Keras ≥ 3.x); files without that
/// attribute are matched by class and order, which is how Keras itself assigns the group names.
final class Keras3Layout: KerasLayout {
    private let file: HDF5File
    /// Keras layer name → group path (`layers/conv2d_3`).
    private let groups: [String: String]

    /// The layout of `file`, or nil when it has no `layers` group.
    init?(file: HDF5File) throws(ModelError) {
        guard file.exists("layers") else { return nil }
        self.file = file
        var groups: [String: String] = [:]
        var unnamed: [String] = []
        for child in file.children(of: "layers") {
            let vars = "layers/\(child)/vars"
            if file.exists(vars), let name = try file.strings(attribute: "name", of: vars)?.first {
                groups[name] = "layers/\(child)"
            } else {
                unnamed.append(child)
            }
        }
        if groups["Conv1"] == nil {
            for (layer, child) in Self.matchByClassOrder(unnamed) where groups[layer] == nil {
                groups[layer] = "layers/\(child)"
            }
        }
        self.groups = groups
    }

    func datasetPath(layer: String, weight: KerasWeight) throws(ModelError) -> String? {
        guard let group = groups[layer] else { return nil }
        let path = "\(group)/vars/\(weight.keras3Index)"
        return file.exists(path) ? path : nil
    }

    /// Keras names the groups `<class>`, `<class>_1`, … in layer order; the order of each class in
    /// MobileNetV2 does not depend on alpha, so the alpha-1 architecture gives the names.
    static func matchByClassOrder(_ children: [String]) -> [(String, String)] {
        guard let architecture = try? MobileNetV2Architecture(alpha: 1.0) else { return [] }
        let convolutions = architecture.convolutions
        let byClass: [String: [String]] = [
            "conv2d": convolutions.filter { !$0.depthwise }.map(\.layer),
            "depthwise_conv2d": convolutions.filter(\.depthwise).map(\.layer),
            "batch_normalization": convolutions.map(\.batchNorm),
            "dense": ["predictions"],
        ]
        var pairs: [(String, String)] = []
        for (className, layers) in byClass {
            let members = children.compactMap { child -> (Int, String)? in
                if child == className { return (0, child) }
                guard child.hasPrefix(className + "_"), let n = Int(child.dropFirst(className.count + 1)) else {
                    return nil
                }
                return (n, child)
            }.sorted { $0.0 < $1.0 }
            for (layer, member) in zip(layers, members) { pairs.append((layer, member.1)) }
        }
        return pairs
    }
}
