/// The linear head that replaces ImageNet's classifier: logits = features · weights + bias, then softmax.
///
/// Checked when made, so an exported file always has one bias and one weight column per label and
/// labels that survive being written one per line.
public struct AffineHead: Sendable, Equatable {
    /// At most this many labels (a fruit recogniser has tens; this only stops runaway input).
    public static let maximumLabels = 65_536
    /// At most this many UTF-8 bytes per label.
    public static let maximumLabelBytes = 1024
    /// At most this many input features (MobileNetV2 has 1280, 1792 at alpha 1.4).
    public static let maximumFeatureCount = 16_384

    /// Class names, in the order of the head's outputs.
    public let labels: [String]
    /// `featureCount × labels.count` values, row-major: `weights[f * labels.count + k]` multiplies feature f for label k
    /// (Keras's Dense kernel layout).
    public let weights: [Float]
    /// One bias per label.
    public let bias: [Float]
    /// Length of the feature vector the head reads.
    public let featureCount: Int

    /// A head over `featureCount` features (MobileNetV2's 1280 by default); throws when the sizes disagree,
    /// a value is not finite, or a label is empty, repeated, too long, or holds a line break.
    public init(labels: [String], weights: [Float], bias: [Float], featureCount: Int = 1280) throws(ModelExportError) {
        guard (1...Self.maximumFeatureCount).contains(featureCount) else { throw .invalidFeatureCount(featureCount) }
        try Self.check(labels)
        let expected = featureCount * labels.count
        guard weights.count == expected else {
            throw .weightCount(expected: expected, found: weights.count, featureCount: featureCount, labels: labels.count)
        }
        guard bias.count == labels.count else { throw .biasCount(expected: labels.count, found: bias.count) }
        if let index = weights.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteValue(what: "weights", index: index) }
        if let index = bias.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteValue(what: "bias", index: index) }
        self.labels = labels
        self.weights = weights
        self.bias = bias
        self.featureCount = featureCount
    }

    private static func check(_ labels: [String]) throws(ModelExportError) {
        guard !labels.isEmpty else { throw .noLabels }
        guard labels.count <= maximumLabels else { throw .tooManyLabels(count: labels.count, limit: maximumLabels) }
        var seen = Set<String>()
        for (index, label) in labels.enumerated() {
            guard !label.isEmpty else { throw .emptyLabel(index: index) }
            guard label.utf8.count <= maximumLabelBytes else {
                throw .labelTooLong(index: index, bytes: label.utf8.count, limit: maximumLabelBytes)
            }
            // Control characters include \n, \r, \t and NUL; U+2028/2029 are line breaks to many readers.
            if label.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
                throw .labelHasControlCharacter(index: index, label: label)
            }
            guard seen.insert(label).inserted else { throw .duplicateLabel(index: index, label: label) }
        }
    }
}
