/// Which feature network a classifier was trained on: its features only mean something to that network.
public struct BackboneIdentity: Sendable, Equatable, Codable {
    /// The weight file's name as the training data's job recorded it (for messages).
    public var name: String
    /// The weight file's SHA-256 in lowercase hex: the identity that is checked.
    public var sha256: String
    /// The length of its feature vectors.
    public var featureCount: Int

    /// An identity from its parts.
    public init(name: String, sha256: String, featureCount: Int) {
        self.name = name
        self.sha256 = sha256.lowercased()
        self.featureCount = featureCount
    }
}
