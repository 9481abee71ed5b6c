import MobileNet

/// How an exported file carries its labels: the `Model.metadata` entry named `orchard_labels` points at a
/// buffer holding the labels as UTF-8 text, one per line, each line ending in "\n", in the order of the
/// output's classes (line k names `probabilities[k]`). `AffineHead` guarantees no label holds a line break.
public enum LabelsMetadata {
    /// The `Metadata.name` of the labels buffer.
    public static let name = "orchard_labels"

    /// The buffer's bytes for `labels`.
    public static func encode(_ labels: [String]) -> [UInt8] {
        Array(labels.map { $0 + "\n" }.joined().utf8)
    }

    /// The labels in a buffer written by `encode`.
    public static func decode(_ bytes: [UInt8]) -> [String] {
        // Labels are never empty, so empty pieces can only come from the final newline.
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The labels of a model file Orchard exported, or nil when `file` is not one (no `orchard_labels`):
    /// how a later export tells its own earlier file from someone else's.
    public static func labels(inExport file: [UInt8]) -> [String]? {
        TFLiteMetadata.buffer(named: name, in: file).map(decode)
    }
}
