/// Rows and failures of a run, counted as its rows are written (a resumed run adds the `error` column of
/// the parts an earlier attempt wrote; the Spark engine has Spark count them).
struct FailureCounts: Sendable, Equatable {
    var rows = 0
    var failures = 0
    var byReason: [String: Int] = [:]
    var featureCount = 0

    /// Counts `rows`.
    mutating func add(_ rows: [FeatureRow]) {
        for row in rows {
            if let features = row.features { featureCount = features.count }
        }
        add(errors: rows.map(\.error))
    }

    /// Counts rows from their `error` column alone.
    mutating func add(errors: [String?]) {
        rows += errors.count
        for case let error? in errors {
            failures += 1
            byReason[FailureReason.reason(fromMessage: error), default: 0] += 1
        }
    }

    /// Counts failures already grouped by reason (as Spark returns them).
    mutating func add(reason: String, count: Int) {
        failures += count
        byReason[reason, default: 0] += count
    }
}
