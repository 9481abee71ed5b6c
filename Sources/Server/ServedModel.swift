import Recognition

/// The recogniser a server answers with, and the id clients see for it.
public struct ServedModel: Sendable {
    /// Classifies photos (shared by every request).
    public let recognizer: Recognizer
    /// `sha256:<hex>` of the bundle file: changes whenever the model does.
    public let id: String

    /// A model from its recogniser and the bytes of the bundle file it was loaded from.
    public init(recognizer: Recognizer, bundleFileSHA256: String) {
        self.recognizer = recognizer
        self.id = "sha256:" + bundleFileSHA256
    }
}
