import ArgumentParser
import Pipeline

/// `orchard`: turns fruit photos into MobileNetV2 features, PCA components and Parquet.
@main
struct Orchard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orchard",
        abstract: "Turn fruit photos into MobileNetV2 features, PCA components and Parquet datasets.",
        discussion: """
            Examples:
              orchard model fetch                                  # the official Keras weights, once
              orchard featurize photos/ --out features/ --pca 50   # features, PCA and Parquet
              orchard report features/                             # an HTML page about the run
            """,
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
