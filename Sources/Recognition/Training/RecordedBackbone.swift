/// What one featurized dataset records about the network that made its features (its job record's
/// `model` and `modelSHA256`); datasets written by Spark or older versions record nothing.
public struct RecordedBackbone: Sendable, Equatable {
    /// The dataset, as given (for messages).
    public var dataset: String
    /// The weight file's path as the featurize job saw it; nil when not recorded.
    public var model: String?
    /// The weight file's SHA-256 in lowercase hex; nil when not recorded.
    public var sha256: String?

    /// A dataset's record; `sha256` is lowercased.
    public init(dataset: String, model: String?, sha256: String?) {
        self.dataset = dataset
        self.model = model
        self.sha256 = sha256?.lowercased()
    }

    /// The file name of the model (the last path component).
    public var modelName: String? {
        model.map { path in path.split(separator: "/").last.map(String.init) ?? path }
    }
}

extension RecordedBackbone {
    /// The record of the one network the datasets' features come from: nil when no dataset records one;
    /// throws when two datasets record different networks (their features cannot be mixed). Datasets that
    /// record nothing are not checked (`unrecorded` lists them).
    public static func agreed(_ records: [RecordedBackbone]) throws -> RecordedBackbone? {
        let known = records.filter { $0.sha256 != nil }
        guard let first = known.first else { return nil }
        if let other = known.first(where: { $0.sha256 != first.sha256 }) {
            func describe(_ r: RecordedBackbone) -> String { "\(r.dataset) (\(r.modelName ?? "?"), SHA-256 \(r.sha256 ?? "?"))" }
            throw RecognitionError.invalidOption(
                name: "datasets",
                reason: "their features come from different networks: \(describe(first)) and \(describe(other)); "
                    + "features of two networks cannot be mixed, so train on datasets featurized with the same model")
        }
        return first
    }

    /// The datasets among `records` that record no network.
    public static func unrecorded(_ records: [RecordedBackbone]) -> [String] {
        records.filter { $0.sha256 == nil }.map(\.dataset)
    }

    /// The identity a bundle records for this network, whose features have `featureCount` values;
    /// nil when the record has no SHA-256.
    public func identity(featureCount: Int) -> BackboneIdentity? {
        sha256.map { BackboneIdentity(name: modelName ?? $0, sha256: $0, featureCount: featureCount) }
    }
}
