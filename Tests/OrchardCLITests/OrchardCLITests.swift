import ArgumentParser
import Foundation
import MobileNet
import Storage
import Testing
@testable import OrchardCLI

@Suite struct HelpTests {
    @Test func rootHelpListsEveryCommand() {
        let help = Orchard.helpMessage()
        for command in ["featurize", "report", "embed", "model", "pca", "parquet", "ls"] {
            #expect(help.contains(command), "root help lacks \(command)")
        }
    }

    @Test func featurizeHelpTeachesWithExamples() {
        let help = Orchard.helpMessage(for: FeaturizeCommand.self)
        #expect(help.contains("--out"))
        #expect(help.contains("--pca-variance"))
        #expect(help.contains("orchard featurize photos/ --out features/ --pca 50"))
        #expect(help.contains("s3://"))
        #expect(help.contains("--update"))
        #expect(help.contains("--refit-pca"))
        #expect(help.contains("--keep-pca"))
        #expect(help.contains("orchard featurize photos/ --out features/ --pca 50 --update"))
    }
}

@Suite struct BackendOptionTests {
    @Test func everyNetworkCommandTakesBackend() throws {
        for help in [Orchard.helpMessage(for: FeaturizeCommand.self), Orchard.helpMessage(for: EmbedCommand.self),
                     Orchard.helpMessage(for: ClassifyCommand.self), Orchard.helpMessage(for: ServeCommand.self),
                     Orchard.helpMessage(for: WorkerCommand.Featurize.self)] {
            #expect(help.contains("--backend") && help.contains("xnnpack") && help.contains("onednn"), "\(help)")
        }
    }

    @Test func backendReachesTheJob() throws {
        let preferred = try FeaturizeCommand.parse(["in", "--out", "o", "--model", "m.h5"]).makeJob()
        #expect(preferred.backend == InferenceBackend.preferred)
        let xnnpack = try FeaturizeCommand.parse(["in", "--out", "o", "--model", "m.h5", "--backend", "xnnpack"]).makeJob()
        #expect(xnnpack.backend == .xnnpack)
        #expect(throws: (any Error).self) { _ = try FeaturizeCommand.parse(["in", "--out", "o", "--backend", "tpu"]) }
    }
}

@Suite struct FeaturizeValidationTests {
    @Test func pcaOptionsExcludeEachOther() {
        #expect(throws: (any Error).self) {
            _ = try FeaturizeCommand.parse(["in", "--out", "o", "--pca", "5", "--pca-variance", "0.9"])
        }
    }

    @Test func outOfRangeValuesAreRefused() {
        for arguments in [["--pca", "0"], ["--pca-variance", "1.5"], ["--threads", "0"], ["--images-per-part", "0"]] {
            #expect(throws: (any Error).self, "accepted \(arguments)") {
                _ = try FeaturizeCommand.parse(["in", "--out", "o"] + arguments)
            }
        }
    }

    @Test func defaultsAreSensible() throws {
        let command = try FeaturizeCommand.parse(["in", "--out", "o", "--model", "m.h5"])
        let job = try command.makeJob()
        #expect(job.threads == ProcessInfo.processInfo.activeProcessorCount)
        #expect(job.imagesPerPart == 1000)
        #expect(job.maxImagePixels == 50_000_000)
        #expect(!job.overwrite)
        // On Spark, threads are per task: one per task slot unless asked.
        let spark = try FeaturizeCommand.parse(["in", "--out", "o", "--model", "m.h5", "--engine", "spark", "--master", "sc://h"])
        #expect(try spark.makeJob().threads == 1)
    }

    @Test func updateFlagsReachTheJobAndRefuseWhatContradictsThem() throws {
        let job = try FeaturizeCommand.parse(["in", "--out", "o", "--model", "m.h5", "--update", "--keep-pca"]).makeJob()
        #expect(job.update)
        #expect(job.pcaUpdate == .keep)
        #expect(try FeaturizeCommand.parse(["in", "--out", "o", "--model", "m.h5", "--update", "--refit-pca"]).makeJob().pcaUpdate == .refit)
        #expect(try FeaturizeCommand.parse(["in", "--out", "o", "--model", "m.h5"]).makeJob().update == false)
        #expect(try FeaturizeCommand.parse(["in", "--out", "o", "--model", "m.h5", "--update", "--engine", "spark", "--master", "sc://h"]).makeJob().update)
        for (arguments, hint) in [(["--update", "--overwrite"], "not both"), (["--refit-pca"], "--update runs only"),
                                  (["--update", "--refit-pca", "--keep-pca"], "not both")] {
            do {
                _ = try FeaturizeCommand.parse(["in", "--out", "o"] + arguments)
                Issue.record("accepted \(arguments)")
            } catch {
                #expect(FeaturizeCommand.message(for: error).contains(hint), "\(FeaturizeCommand.message(for: error))")
            }
        }
    }

    @Test func optionsOneEngineCannotApplyAreRefusedNotIgnored() throws {
        let spark = ["--engine", "spark", "--master", "sc://h"]
        for (arguments, hint) in [(spark + ["--images-per-part", "10"], "--spark-partitions"),
                                  (["--spark-partitions", "4"], "--engine spark")] {
            do {
                _ = try FeaturizeCommand.parse(["in", "--out", "o"] + arguments)
                Issue.record("accepted \(arguments)")
            } catch {
                #expect(FeaturizeCommand.message(for: error).contains(hint), "\(FeaturizeCommand.message(for: error))")
            }
        }
    }
}

@Suite struct LocationTests {
    @Test func aTrailingSlashNamesTheSameInputOnS3AsInAFolder() throws {
        #expect(try StorageLocation(parsing: "s3://b/in/").absolute == StorageLocation(parsing: "s3://b/in").absolute)
        #expect(try StorageLocation(parsing: "s3://b/a/in//").absolute == .s3(bucket: "b", key: "a/in"))
        #expect(try StorageLocation(parsing: "s3://b/").absolute == .s3(bucket: "b", key: ""))
        #expect(try StorageLocation(parsing: "/tmp/in/").absolute == StorageLocation(parsing: "/tmp/in").absolute)
    }
}
