import Foundation
import OrchardTestKit
import Testing

/// The upload page driven in headless Chromium by Playwright, and Schemathesis against the served
/// OpenAPI document (both from scripts/requirements-test.txt; Chromium from Debian).
@Suite(.serialized) struct ServePageAndSchemaTests {
    @Test func thePageShowsTheTopFruitsOfAnUploadedPhoto() async throws {
        let fixture = try await RecogniserFixture.get()
        let photo = try ServeTests.testPhotos(fixture, every: 100)[3]
        let expected = try #require(try ServeTests.cliPredictions(fixture)[photo])
        let server = try await ServedOrchard(bundle: fixture.bundle)
        struct Shown: Decodable {
            let rows: [[String]]
            let previewWidth: Int
            let foreign: [String]
        }
        let shown = try EndToEnd.pythonJSON(
            Shown.self,
            """
            import json, sys
            from playwright.sync_api import sync_playwright
            url, photo, chromium = sys.argv[1:4]
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
                requested = []
                page.on("request", lambda r: requested.append(r.url))
                page.goto(url)
                page.set_input_files("#photo", photo)
                page.wait_for_selector("#results li", timeout=60000)
                rows = page.eval_on_selector_all(
                    "#results li", "items => items.map(li => [li.querySelector('.label').textContent, li.querySelector('.probability').textContent])")
                width = page.eval_on_selector("#preview", "img => img.complete ? img.naturalWidth : 0")
                browser.close()
            print(json.dumps({"rows": rows, "previewWidth": width,
                              "foreign": [u for u in requested if not (u.startswith(url) or u.startswith("blob:"))]}))
            """, [server.base + "/", photo, try EndToEndReportTests.chromium()])
        let top = (expected["top"] as? [[String: Any]] ?? []).prefix(3)
        let want = top.map { [$0["label"] as? String ?? "?", String(format: "%.1f%%", 100 * ($0["probability"] as? Double ?? 0))] }
        #expect(shown.rows == want, "the page shows \(shown.rows); classify says \(want)")
        #expect(shown.previewWidth == 100, "the photo is shown")
        #expect(shown.foreign.isEmpty, "the page fetched \(shown.foreign)")
    }

    @Test func thePageAsksForTheAPIKeyWhenTheServerNeedsOneAndThenClassifies() async throws {
        let fixture = try await RecogniserFixture.get()
        let photo = try ServeTests.testPhotos(fixture, every: 100)[3]
        let expected = try #require(try ServeTests.cliPredictions(fixture)[photo])
        let folder = try EndToEnd.temporaryFolder("page-key")
        let key = "page-\(UUID().uuidString)"
        try Data((key + "\n").utf8).write(to: URL(fileURLWithPath: folder + "/key.txt"))
        let server = try await ServedOrchard(bundle: fixture.bundle, ["--api-key-file", folder + "/key.txt"])
        struct Shown: Decodable {
            let askedForKey: Bool
            let top: String
            let afterReload: String
        }
        let shown = try EndToEnd.pythonJSON(
            Shown.self,
            """
            import json, sys
            from playwright.sync_api import sync_playwright
            url, photo, chromium, key = sys.argv[1:5]
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
                page.goto(url)
                page.set_input_files("#photo", photo)
                page.wait_for_selector("#key-value", state="visible", timeout=60000)
                asked = page.is_visible("#key-value")
                page.fill("#key-value", key)
                page.click("#key button")
                page.wait_for_selector("#results li", timeout=60000)
                top = page.eval_on_selector("#results li .label", "e => e.textContent")
                # The key is remembered: after a reload the next photo needs no prompt.
                page.reload()
                page.set_input_files("#photo", photo)
                page.wait_for_selector("#results li", timeout=60000)
                again = page.eval_on_selector("#results li .label", "e => e.textContent")
                browser.close()
            print(json.dumps({"askedForKey": asked, "top": top, "afterReload": again}))
            """, [server.base + "/", photo, try EndToEndReportTests.chromium(), key])
        #expect(shown.askedForKey)
        #expect(shown.top == expected["label"] as? String && shown.afterReload == shown.top)
        #expect(!server.logText.contains(key), "the key appears in the log")
    }

    @Test func schemathesisFindsNoServerErrorAndNoResponseOutsideTheDocument() async throws {
        let fixture = try await RecogniserFixture.get()
        let server = try await ServedOrchard(bundle: fixture.bundle)
        let schemathesis = try Self.tool("schemathesis")
        let run = try ChildProcess.run(
            schemathesis,
            ["run", server.base + "/openapi.yaml", "--url", server.base, "--max-examples", "40", "--seed", "1",
             "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance",
             "--no-color"],
            environment: ["SCHEMATHESIS_TELEMETRY": "false", "HOME": try EndToEnd.temporaryFolder("schemathesis-home")],
            timeout: .seconds(900))
        #expect(run.status == 0, "schemathesis failed:\n\(run.output.suffix(6000))\n\(run.errors.suffix(2000))")
        #expect(run.output.contains("Tested: 4"), "not every operation was tested:\n\(run.output.suffix(3000))")
        #expect(!server.logText.contains("status=500"), "a 500 in the server log")
    }

    /// A command from PATH, or a failure that says where it comes from.
    static func tool(_ name: String) throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        throw ChildProcess.Failure("\(name) not found on PATH (scripts/setup.sh installs it from scripts/requirements-test.txt)")
    }
}
