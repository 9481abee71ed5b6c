/// PCA models inside other files (a classifier bundle): decoded through the checked initialiser, so a
/// file cannot make an inconsistent model.
extension PCAModel: Codable {
    private enum CodingKeys: String, CodingKey {
        case mean, components, explainedVariance, explainedVarianceRatio, sampleCount
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            mean: container.decode([Double].self, forKey: .mean),
            components: container.decode([Double].self, forKey: .components),
            explainedVariance: container.decode([Double].self, forKey: .explainedVariance),
            explainedVarianceRatio: container.decode([Double].self, forKey: .explainedVarianceRatio),
            sampleCount: container.decode(Int.self, forKey: .sampleCount))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mean, forKey: .mean)
        try container.encode(components, forKey: .components)
        try container.encode(explainedVariance, forKey: .explainedVariance)
        try container.encode(explainedVarianceRatio, forKey: .explainedVarianceRatio)
        try container.encode(sampleCount, forKey: .sampleCount)
    }
}
