/// What a classifier says about one image: its most probable fruit and the runners-up.
public struct Prediction: Sendable, Equatable, Codable {
    /// One class and its probability.
    public struct Candidate: Sendable, Equatable, Codable {
        public var label: String
        public var probability: Double
    }

    /// The most probable class.
    public var label: String
    /// Its probability.
    public var probability: Double
    /// The `top` most probable classes, most probable first (the first is `label`).
    public var top: [Candidate]

    /// The prediction from class probabilities in `labels` order; ties go to the earlier label.
    public init(probabilities: [Double], labels: [String], top: Int) {
        precondition(probabilities.count == labels.count && !labels.isEmpty, "one probability per label")
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
        self.top = order.prefix(max(1, top)).map { Candidate(label: labels[$0], probability: probabilities[$0]) }
        label = self.top[0].label
        probability = self.top[0].probability
    }
}
