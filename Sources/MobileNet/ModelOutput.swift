/// What one forward pass returns.
public struct ModelOutput: Sendable {
    /// The globally average-pooled output of `Conv_1` (1280 values at alpha ≤ 1.0).
    public var features: [Float]
    /// Softmax over the classifier's logits (1000 ImageNet classes), when the weights have the top.
    public var probabilities: [Float]?
    /// The classifier's logits before the softmax, when the weights have the top.
    public var logits: [Float]?

    /// An output from its parts.
    public init(features: [Float], probabilities: [Float]?, logits: [Float]? = nil) {
        self.features = features
        self.probabilities = probabilities
        self.logits = logits
    }
}
