/// Everything that can go wrong in LinearAlgebra: what failed and where.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A vector dimension outside `1...limit`.
    case invalidDimension(Int, limit: Int)
    /// An input's length does not match the dimension it must have (`context` names the input).
    case dimensionMismatch(expected: Int, actual: Int, context: String)
    /// A NaN or infinity at `row`, `column` of the rows passed to `add`.
    case nonFiniteValue(row: Int, column: Int)
    /// Too few samples to estimate a covariance (needs at least `required`).
    case notEnoughSamples(count: Int, required: Int)
    /// A component count outside `1...limit`.
    case invalidComponentCount(requested: Int, limit: Int)
    /// A variance ratio outside the open interval (0, 1).
    case invalidVarianceRatio(Double)
    /// A LAPACK routine reported failure (`info` as returned by LAPACKE).
    case lapackFailure(routine: String, info: Int32)
    /// A serialised accumulator or model file is malformed at byte `offset`.
    case malformedData(what: String, offset: Int, reason: String)
    /// A serialised accumulator or model whose CRC-32 does not match its content.
    case checksumMismatch(what: String, expected: UInt32, actual: UInt32)
    /// Reading or writing a model file failed.
    case fileIO(path: String, reason: String)

    /// A one-line message naming what failed and where.
    public var description: String {
        switch self {
        case .invalidDimension(let d, let limit):
            return "invalid vector dimension \(d) (must be 1...\(limit))"
        case .dimensionMismatch(let expected, let actual, let context):
            return "\(context): expected \(expected) values, got \(actual)"
        case .nonFiniteValue(let row, let column):
            return "non-finite value at row \(row), column \(column)"
        case .notEnoughSamples(let count, let required):
            return "PCA needs at least \(required) samples, got \(count)"
        case .invalidComponentCount(let requested, let limit):
            return "invalid component count \(requested): a PCA keeps 1 to \(limit) components here (no more than it has rows, nor features)"
        case .invalidVarianceRatio(let ratio):
            return "invalid variance ratio \(ratio) (must be strictly between 0 and 1)"
        case .lapackFailure(let routine, let info):
            return "LAPACK \(routine) failed with info \(info)"
        case .malformedData(let what, let offset, let reason):
            return "malformed \(what) at byte \(offset): \(reason)"
        case .checksumMismatch(let what, let expected, let actual):
            return "\(what): CRC-32 mismatch (stored \(hex(expected)), computed \(hex(actual)))"
        case .fileIO(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}

private func hex(_ value: UInt32) -> String {
    "0x" + String(value, radix: 16)
}
