/// Everything that can go wrong in Recognition: what failed and where.
public enum RecognitionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No row had features to learn from (`skipped` rows had an error or no features).
    case noUsableRows(skipped: Int)
    /// Training needs at least two classes.
    case tooFewClasses([String])
    /// A row's feature count differs from the others' (or from the classifier's).
    case dimensionMismatch(expected: Int, actual: Int, source: String)
    /// A NaN or infinity in a row's features.
    case nonFiniteFeature(source: String, column: Int)
    /// A bundle file that is not one, is cut short, is damaged or is newer than this build reads.
    case malformedBundle(path: String, reason: String)
    /// A bundle file written by a newer Orchard.
    case newerBundleVersion(path: String, version: UInt32, supported: UInt32)
    /// Reading or writing a bundle file failed.
    case fileIO(path: String, reason: String)
    /// An option out of range (`name` is the library's parameter name).
    case invalidOption(name: String, reason: String)
    /// Every network is busy and `waiting` callers already wait: try again later.
    case busy(waiting: Int)
    /// The backbone given is not the one the classifier was trained on.
    case backboneMismatch(expected: BackboneIdentity, actual: String, path: String)
    /// The bundle names no backbone file to use and none was given.
    case backboneMissing(String)

    /// A one-line message naming what failed and where.
    public var description: String {
        switch self {
        case .noUsableRows(let skipped):
            return "no rows with features and a label (\(skipped) row(s) skipped: failed images, no features or no label)"
        case .tooFewClasses(let labels):
            return "training needs at least two classes (labels); found \(labels.count): \(labels.joined(separator: ", "))"
        case .dimensionMismatch(let expected, let actual, let source):
            return "\(source): \(actual) features, expected \(expected)"
        case .nonFiniteFeature(let source, let column):
            return "\(source): feature \(column) is not a finite number"
        case .malformedBundle(let path, let reason):
            return "\(path) is not a usable classifier bundle: \(reason)"
        case .newerBundleVersion(let path, let version, let supported):
            return "\(path) is a classifier bundle of format version \(version), newer than this orchard reads (up to \(supported)); use a newer orchard"
        case .fileIO(let path, let reason):
            return "\(path): \(reason)"
        case .invalidOption(let name, let reason):
            return "\(name): \(reason)"
        case .busy(let waiting):
            return "all networks are busy and \(waiting) request(s) already wait; try again shortly"
        case .backboneMismatch(let expected, let actual, let path):
            return "\(path) is not the backbone this classifier was trained on: its SHA-256 is \(actual), the classifier's "
                + "features came from \(expected.name) (SHA-256 \(expected.sha256)); give that file"
        case .backboneMissing(let reason):
            return reason
        }
    }
}
