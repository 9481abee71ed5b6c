/// Runs a featurize job somewhere: on this machine's cores, or on a Spark cluster.
public protocol FeaturizeEngine: Sendable {
    /// Runs `job` to completion (resuming an interrupted run of the same job) and summarises it.
    func run(_ job: FeaturizeJob) async throws -> RunSummary
}
