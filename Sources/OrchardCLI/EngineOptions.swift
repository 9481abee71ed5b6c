import ArgumentParser
import Pipeline

/// Which engine runs a job.
struct EngineOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case local, spark
    }

    @Option(name: .long, help: "Where the job runs: local (this machine's cores) or spark (a cluster, through Spark Connect).")
    var engine: Kind = .local

    @Option(name: .long, help: "The Spark Connect server, e.g. sc://localhost:15002 or sc://host:443/;token=…;use_ssl=true (with --engine spark).")
    var master: String?

    @Option(name: .customLong("spark-partitions"), help: "Partitions the images are spread over on Spark (default: a multiple of the cluster's task slots, at most 2000 images each).")
    var sparkPartitions: Int?

    func validate() throws {
        if engine == .spark, master == nil { throw ValidationError("--engine spark needs --master sc://host:port.") }
        if engine == .local, master != nil { throw ValidationError("--master is only used with --engine spark.") }
        if let n = sparkPartitions, n < 1 { throw ValidationError("--spark-partitions must be at least 1.") }
        if engine == .local, sparkPartitions != nil { throw ValidationError("--spark-partitions is only used with --engine spark.") }
    }

    /// The engine to run jobs on.
    func makeEngine(stores: StoreResolver) -> any FeaturizeEngine {
        switch engine {
        case .local: return LocalEngine(stores: stores)
        case .spark: return SparkEngine(master: master ?? "", stores: stores, partitions: sparkPartitions)
        }
    }
}
