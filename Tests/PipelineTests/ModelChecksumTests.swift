import Foundation
import OrchardTestKit
import Pipeline
import Testing

/// `ModelDownloader` against a local `python3 -m http.server` standing in for keras.applications' address:
/// each download's SHA-256 is recorded beside it, checked against `--sha256`, and re-checked on later uses.
@Suite struct ModelChecksumTests {
    static let name = ModelDownloader.fileName(alpha: 1.0, size: 224, top: false)
    static let content = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })

    /// A served folder holding one weight file, a cache folder, and the server.
    final class Fixture {
        let root: String
        let cache: ModelCache
        let downloader: ModelDownloader
        let server: ChildProcess.Running
        let digest: String

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("orchard-checksum-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root + "/served", withIntermediateDirectories: true)
            try ModelChecksumTests.content.write(to: URL(fileURLWithPath: root + "/served/" + ModelChecksumTests.name))
            // An independent hash of the served bytes.
            digest = try ChildProcess.python(
                "import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())",
                [root + "/served/" + ModelChecksumTests.name]).trimmingCharacters(in: .whitespacesAndNewlines)
            let port = try FreePort.pick()
            server = try ChildProcess.Running(
                "python3", ["-u", "-m", "http.server", "--bind", "127.0.0.1", String(port), "--directory", root + "/served"])
            guard let banner = try server.readLine(timeout: .seconds(60)), banner.contains("Serving HTTP") else {
                server.kill()
                throw ChildProcess.Failure("http.server did not start")
            }
            cache = ModelCache(environment: ["ORCHARD_CACHE": root + "/cache"])
            downloader = ModelDownloader(cache: cache, environment: ["ORCHARD_MODEL_BASE_URL": "http://127.0.0.1:\(port)"])
        }

        func fetch(sha256: String? = nil) async throws -> String {
            try await downloader.fetch(alpha: 1.0, size: 224, top: false, sha256: sha256) { _, _ in }
        }

        deinit {
            server.kill()
            _ = try? server.wait()
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    func reason(_ error: (any Error)?) -> String {
        guard case .modelUnreadable(_, let reason)? = error as? PipelineError else { return "\(String(describing: error))" }
        return reason
    }

    @Test func fetchRecordsTheDownloadsHashBesideIt() async throws {
        let fixture = try Fixture()
        let path = try await fixture.fetch()
        #expect(path == fixture.cache.folder + "/" + Self.name)
        let record = try String(contentsOfFile: ModelChecksum.sidecar(of: path), encoding: .utf8)
        #expect(record == "\(fixture.digest)  \(Self.name)\n")
        #expect(try ModelChecksum.recorded(for: path) == fixture.digest)
        #expect(try fixture.cache.newestVerified() == path)
        // A second fetch uses the cached file after checking it; the expected hash may be given in upper case.
        #expect(try await fixture.fetch(sha256: fixture.digest.uppercased()) == path)
    }

    @Test func aWrongExpectedHashRefusesTheDownloadAndCachesNothing() async throws {
        let fixture = try Fixture()
        let wrong = String(repeating: "ab", count: 32)
        var thrown: (any Error)?
        do { _ = try await fixture.fetch(sha256: wrong) } catch { thrown = error }
        #expect(reason(thrown).contains("SHA-256 is \(fixture.digest), expected \(wrong)"), "\(reason(thrown))")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: fixture.cache.folder)) ?? []
        #expect(!left.contains(Self.name) && !left.contains(Self.name + ".part"), "\(left)")
        await #expect(throws: PipelineError.self) { _ = try await fixture.fetch(sha256: "not-hex") }
    }

    @Test(arguments: ["modified", "truncated"])
    func aCachedFileChangedSinceItsDownloadIsRefused(_ change: String) async throws {
        let fixture = try Fixture()
        let path = try await fixture.fetch()
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        if change == "truncated" {
            try handle.truncate(atOffset: 1000)
        } else {
            try handle.seek(toOffset: 5000)
            try handle.write(contentsOf: Data([0xff]))
        }
        try handle.close()
        let actual = try ChildProcess.python(
            "import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())", [path])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        for attempt in 0..<2 {
            var thrown: (any Error)?
            do {
                if attempt == 0 { _ = try await fixture.fetch() } else { _ = try fixture.cache.newestVerified() }
            } catch { thrown = error }
            guard case .modelUnreadable(let file, let why)? = thrown as? PipelineError else {
                Issue.record("expected modelUnreadable, got \(String(describing: thrown))")
                continue
            }
            #expect(file == path)
            #expect(why.contains("SHA-256 is \(actual) but \(fixture.digest) was recorded"), "\(why)")
        }
    }
}
