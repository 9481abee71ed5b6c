import MobileNet

/// Everything that can go wrong exporting a model, saying what and where.
public enum ModelExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The head has no labels: a classifier needs at least one class.
    case noLabels
    /// More labels than the export accepts.
    case tooManyLabels(count: Int, limit: Int)
    /// Label `index` is the empty string.
    case emptyLabel(index: Int)
    /// Label `index` holds a line break or another control character, which would break the one-label-per-line list.
    case labelHasControlCharacter(index: Int, label: String)
    /// Label `index` is longer than the limit, in UTF-8 bytes.
    case labelTooLong(index: Int, bytes: Int, limit: Int)
    /// Label `index` repeats an earlier label, so the two classes could not be told apart by name.
    case duplicateLabel(index: Int, label: String)
    /// The head's feature count is not a positive number within the limit.
    case invalidFeatureCount(Int)
    /// The weight matrix does not have `featureCount × labels` values.
    case weightCount(expected: Int, found: Int, featureCount: Int, labels: Int)
    /// The bias does not have one value per label.
    case biasCount(expected: Int, found: Int)
    /// A weight or bias is NaN or infinite; `what` names the array and the index.
    case nonFiniteValue(what: String, index: Int)
    /// The head reads a different number of features than the backbone produces.
    case featureCountMismatch(head: Int, backbone: Int)
    /// The backbone's weights do not fit MobileNetV2's architecture.
    case invalidBackbone(ModelError)
    /// The input size is outside the supported range.
    case invalidInputSize(Int, supported: ClosedRange<Int>)
    /// A FlatBuffers limit would be exceeded (32-bit offsets, 16-bit table sizes).
    case tooLarge(what: String, bytes: Int, limit: Int)

    /// One sentence naming what went wrong and where.
    public var description: String {
        switch self {
        case .noLabels: "the head has no labels"
        case .tooManyLabels(let count, let limit): "the head has \(count) labels, more than the \(limit) allowed"
        case .emptyLabel(let index): "label \(index) is empty"
        case .labelHasControlCharacter(let index, let label):
            "label \(index) (\(label.debugDescription)) holds a line break or control character; labels are stored one per line"
        case .labelTooLong(let index, let bytes, let limit): "label \(index) is \(bytes) bytes of UTF-8, over the \(limit)-byte limit"
        case .duplicateLabel(let index, let label): "label \(index) (\(label.debugDescription)) repeats an earlier label"
        case .invalidFeatureCount(let count): "the head's feature count \(count) is not in 1...\(AffineHead.maximumFeatureCount)"
        case .weightCount(let expected, let found, let featureCount, let labels):
            "the head has \(found) weights, expected \(expected) (\(featureCount) features × \(labels) labels)"
        case .biasCount(let expected, let found): "the head has \(found) biases, expected \(expected) (one per label)"
        case .nonFiniteValue(let what, let index): "\(what)[\(index)] is not a finite number"
        case .featureCountMismatch(let head, let backbone):
            "the head reads \(head) features but the backbone produces \(backbone)"
        case .invalidBackbone(let error): "the backbone weights are not a MobileNetV2: \(error)"
        case .invalidInputSize(let size, let supported): "input size \(size) is not in \(supported)"
        case .tooLarge(let what, let bytes, let limit): "\(what) would be \(bytes) bytes, over the FlatBuffers limit of \(limit)"
        }
    }
}
