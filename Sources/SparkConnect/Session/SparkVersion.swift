/// A Spark release as a server reports it (`4.3.0`, `3.5.6`, EMR's `3.5.5-amzn-1`), ordered by number.
public struct SparkVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The release numbers; a vendor suffix such as `-amzn-1` is kept only in `text`.
    public let major: Int, minor: Int, patch: Int
    /// The version as the server wrote it.
    public let text: String

    /// A version from its numbers.
    public init(_ major: Int, _ minor: Int, _ patch: Int = 0) {
        (self.major, self.minor, self.patch) = (major, minor, patch)
        text = "\(major).\(minor).\(patch)"
    }

    /// Parses `major.minor[.patch][suffix]`; nil when it does not start with two numbers.
    public init?(_ text: String) {
        let numbers = text.split(separator: ".", maxSplits: 2).map { Int($0.prefix { $0.isNumber }) }
        guard numbers.count >= 2, let major = numbers[0], let minor = numbers[1] else { return nil }
        (self.major, self.minor, patch) = (major, minor, numbers.count > 2 ? numbers[2] ?? 0 : 0)
        self.text = text
    }

    public var description: String { text }

    public static func < (lhs: SparkVersion, rhs: SparkVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    public static func == (lhs: SparkVersion, rhs: SparkVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) == (rhs.major, rhs.minor, rhs.patch)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch)
    }

    /// Whether the server speaks Spark Connect as Spark 4 does, beyond 3.5's protocol: `SqlCommand.input`
    /// (3.5 reads only `sql`), and the `ReleaseSession` and `FetchErrorDetails` RPCs (3.5 answers
    /// UNIMPLEMENTED). Checked against 3.5.6's descriptors by Tests/SparkConnectTests/ProtocolCompatibilityTests.
    var speaksSpark4Protocol: Bool { major >= 4 }
}
