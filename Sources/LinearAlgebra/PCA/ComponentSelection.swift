/// How many principal components a fit keeps.
public enum ComponentSelection: Sendable, Equatable, Codable {
    /// Exactly this many components (1...min(n, d)).
    case count(Int)
    /// The fewest components whose cumulative explained-variance ratio exceeds this fraction,
    /// chosen like scikit-learn's `PCA(n_components=0.95)` (strictly greater, `searchsorted(side="right") + 1`).
    case varianceRatio(Double)
}

extension ComponentSelection {
    private enum Key: String, CodingKey { case count, varianceRatio }
    /// The payload key Swift's synthesized coding used (`{"count": {"_0": 5}}`), still read.
    private enum LegacyKey: String, CodingKey { case value = "_0" }

    /// Reads `{"count": 5}` or `{"varianceRatio": 0.95}`, and the nested form earlier datasets wrote.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        func value<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
            if let plain = try? container.decode(T.self, forKey: key) { return plain }
            return try container.nestedContainer(keyedBy: LegacyKey.self, forKey: key).decode(T.self, forKey: .value)
        }
        if container.contains(.count) {
            self = .count(try value(Int.self, .count))
        } else if container.contains(.varianceRatio) {
            self = .varianceRatio(try value(Double.self, .varianceRatio))
        } else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "a PCA choice needs \"count\" or \"varianceRatio\""))
        }
    }

    /// Writes `{"count": 5}` or `{"varianceRatio": 0.95}`, as a reader of `job.json` would expect.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .count(let count): try container.encode(count, forKey: .count)
        case .varianceRatio(let ratio): try container.encode(ratio, forKey: .varianceRatio)
        }
    }
}
