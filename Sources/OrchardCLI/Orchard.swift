import ArgumentParser
import Pipeline

/// `orchard`: turns fruit photos into MobileNetV2 features, PCA components and Parquet.
@main
struct Orchard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orchard",
        abstract: "Turn fruit photos into MobileNetV2 features, PCA components and Parquet datasets.",
        version: OrchardVersion.current,
        subcommands: [
            FeaturizeCommand.self,
            ReportCommand.self,
            EmbedCommand.self,
            ModelCommand.self,
            PCACommand.self,
            ParquetCommand.self,
            ListCommand.self,
            WorkerCommand.self,
        ])
}
