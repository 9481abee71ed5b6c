import Foundation
import OrchardTestKit
import Testing

/// `orchard model fetch` from a local HTTP server standing in for keras.applications' address, and which
/// model `featurize` then uses without `--model`.
@Suite struct EndToEndModelFetchTests {
    /// The file name keras.applications downloads for MobileNetV2 weights without the top.
    static func kerasName(alpha: String) -> String {
        "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_\(alpha)_224_no_top.h5"
    }

    /// `python3 -m http.server` serving `folder` on a free loopback port; answers once it printed its banner.
    struct FileServer {
        let process: ChildProcess.Running
        let port: Int

        init(serving folder: String) throws {
            port = try FreePort.pick()
            process = try ChildProcess.Running(
                "python3", ["-u", "-m", "http.server", "--bind", "127.0.0.1", String(port), "--directory", folder],
                environment: [:], streams: .pipes)
            // The banner is printed after the socket listens.
            let banner = try process.readLine(timeout: .seconds(60))
            guard let banner, banner.contains("Serving HTTP") else {
                process.kill()
                throw ChildProcess.Failure("http.server did not start: \(banner ?? "no output")")
            }
        }

        func stop() {
            process.kill()
            _ = try? process.wait()
        }
    }

    /// The `orchard.model` footer value of every part of `dataset`, and `_orchard/job.json`'s model.
    static func modelsRecorded(in dataset: String) throws -> (footers: Set<String>, job: String?) {
        let footers = try EndToEnd.pythonJSON(
            [String].self,
            """
            import glob, json, sys, pyarrow.parquet as pq
            parts = sorted(glob.glob(sys.argv[1] + "/part-*.parquet"))
            assert parts, "no parts"
            print(json.dumps([pq.read_metadata(p).metadata[b"orchard.model"].decode() for p in parts]))
            """, [dataset])
        return (Set(footers), try EndToEnd.jsonObject(dataset + "/_orchard/job.json")["model"] as? String)
    }

    @Test func fetchLandsInTheCacheAndFeaturizeUsesOrchardModelElseTheNewestCachedFile() async throws {
        let root = try EndToEnd.temporaryFolder("fetch")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let served = root + "/mirror/keras-applications/mobilenet_v2"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        for alpha in ["0.35", "0.5"] {
            try FileManager.default.copyItem(
                atPath: EndToEnd.kerasFixtures + "/mobilenet_v2_\(alpha)_224_no_top.h5", toPath: served + "/" + Self.kerasName(alpha: alpha))
        }
        let server = try FileServer(serving: root + "/mirror")
        defer { server.stop() }

        let cache = root + "/cache"  // does not exist yet: fetch creates it
        let input = try EndToEnd.sampleFolder(classes: ["Kiwi 1"], perClass: 2)
        defer { try? FileManager.default.removeItem(atPath: input) }
        let environment: [String: String?] = [
            "ORCHARD_CACHE": cache, "ORCHARD_MODEL": nil,
            "ORCHARD_MODEL_BASE_URL": "http://127.0.0.1:\(server.port)/keras-applications/mobilenet_v2",
        ]
        func featurize(_ out: String, _ extra: [String: String?] = [:]) throws -> ChildProcess.Completed {
            try EndToEnd.orchard(
                ["featurize", input, "--out", root + "/" + out, "--threads", "1"], environment: environment.merging(extra) { $1 })
        }

        // Nothing cached and no $ORCHARD_MODEL: featurize says how to get a model.
        let none = try featurize("out-none")
        #expect(none.status != 0)
        #expect(none.errors.contains("orchard model fetch"), "\(none.errors)")

        // fetch: the official name, in $ORCHARD_CACHE, byte for byte what the server holds.
        let first = try EndToEnd.orchard(["model", "fetch", "--alpha", "0.35", "--size", "224"], environment: environment).check()
        let small = cache + "/" + Self.kerasName(alpha: "0.35")
        #expect(first.output.trimmingCharacters(in: .whitespacesAndNewlines) == small)
        #expect(FileManager.default.contentsEqual(atPath: small, andPath: served + "/" + Self.kerasName(alpha: "0.35")))
        try featurize("out-first").check()
        let usedFirst = try Self.modelsRecorded(in: root + "/out-first")
        #expect(usedFirst.footers == [small] && usedFirst.job == small, "\(usedFirst)")

        // A second fetch, made the newer file beyond doubt: it is the default now.
        let second = try EndToEnd.orchard(["model", "fetch", "--alpha", "0.5"], environment: environment).check()
        let wider = cache + "/" + Self.kerasName(alpha: "0.5")
        #expect(second.output.trimmingCharacters(in: .whitespacesAndNewlines) == wider)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: small)
        try featurize("out-newest").check()
        let usedNewest = try Self.modelsRecorded(in: root + "/out-newest")
        #expect(usedNewest.footers == [wider] && usedNewest.job == wider, "\(usedNewest)")

        // $ORCHARD_MODEL wins over the cache.
        let chosen = EndToEnd.kerasFixtures + "/mobilenet_v2_0.35_224_no_top.weights.h5"
        try featurize("out-env", ["ORCHARD_MODEL": chosen]).check()
        let usedEnvironment = try Self.modelsRecorded(in: root + "/out-env")
        #expect(usedEnvironment.footers == [chosen] && usedEnvironment.job == chosen, "\(usedEnvironment)")

        // A file the server lacks: an error naming the status, and nothing (not even a .part) left behind.
        let missing = try EndToEnd.orchard(["model", "fetch", "--alpha", "1.4"], environment: environment)
        #expect(missing.status != 0)
        #expect(missing.errors.contains("404"), "\(missing.errors)")
        // (Bookkeeping files, such as the digest cache and each file's .sha256, do not count.)
        let cached = try FileManager.default.contentsOfDirectory(atPath: cache)
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".sha256") }.sorted()
        #expect(cached == [Self.kerasName(alpha: "0.35"), Self.kerasName(alpha: "0.5")].sorted(), "\(cached)")
    }

    @Test func fetchRefusesWidthsKerasDoesNotPublish() throws {
        let cache = try EndToEnd.temporaryFolder("fetch-bad")
        defer { try? FileManager.default.removeItem(atPath: cache) }
        // No server: the refusal must come before any download.
        let run = try EndToEnd.orchard(
            ["model", "fetch", "--alpha", "0.6"],
            environment: ["ORCHARD_CACHE": cache, "ORCHARD_MODEL_BASE_URL": "http://127.0.0.1:9/"])
        #expect(run.status != 0)
        #expect(run.errors.contains("0.35"), "the message should list the published widths: \(run.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache).isEmpty)
    }
}
