import Foundation
import OrchardTestKit
import Testing

/// `orchard serve` started for real on a loopback port, with the recogniser the README builds from the
/// shared sample: every route, the same answers as `orchard classify`, every designed error as a problem
/// document, the bounded line, the API key and CORS, and a graceful stop with requests in flight.
@Suite(.serialized) struct ServeTests {
    /// `orchard classify --json --top 1000` lines by photo path.
    static func cliPredictions(_ fixture: RecogniserFixture) throws -> [String: [String: Any]] {
        let lines = try String(contentsOfFile: fixture.predictions, encoding: .utf8).split(separator: "\n")
        var byPath: [String: [String: Any]] = [:]
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            byPath[try #require(object["path"] as? String)] = object
        }
        return byPath
    }

    /// Every `stride`-th photo of the Test split, sorted by path.
    static func testPhotos(_ fixture: RecogniserFixture, every stride: Int) throws -> [String] {
        let all = try FileManager.default.subpathsOfDirectory(atPath: fixture.testPhotos)
            .filter { $0.hasSuffix(".jpg") }.sorted().map { fixture.testPhotos + "/" + $0 }
        return Swift.stride(from: 0, to: all.count, by: stride).map { all[$0] }
    }

    /// What `orchard classify` said about one photo: its label, probability and first three labels.
    struct Expected: Sendable {
        let path: String
        let label: String
        let probability: Double
        let top3: [String]
    }

    @Test func classifyGivesTheLabelAndProbabilityOrchardClassifyGives() async throws {
        let fixture = try await RecogniserFixture.get()
        let predictions = try Self.cliPredictions(fixture)
        let expected = try Self.testPhotos(fixture, every: 4).map { path in
            let line = try #require(predictions[path], "classify gave no line for \(path)")
            return Expected(
                path: path, label: line["label"] as? String ?? "?", probability: line["probability"] as? Double ?? -1,
                top3: (line["top"] as? [[String: Any]] ?? []).prefix(3).map { $0["label"] as? String ?? "?" })
        }
        let server = try await ServedOrchard(bundle: fixture.bundle)
        // Raw bytes and multipart alternate; four requests at a time.
        let mismatches = try await withThrowingTaskGroup(of: [String].self) { group in
            for lane in 0..<4 {
                group.addTask {
                    var found: [String] = []
                    for index in stride(from: lane, to: expected.count, by: 4) {
                        let want = expected[index]
                        let bytes = try Data(contentsOf: URL(fileURLWithPath: want.path))
                        let reply: ServedOrchard.Reply
                        if index % 2 == 0 {
                            reply = try await server.request("POST", "/v1/classify?top=3", body: bytes, headers: ["Content-Type": "image/jpeg"])
                        } else {
                            let form = ServedOrchard.multipart(bytes)
                            reply = try await server.request("POST", "/v1/classify?top=3", body: form.body, headers: ["Content-Type": form.contentType])
                        }
                        guard reply.status == 200 else {
                            found.append("\(want.path): status \(reply.status) \(reply.text)")
                            continue
                        }
                        let got = try reply.json()
                        let label = got["label"] as? String
                        let probability = got["probability"] as? Double ?? -1
                        let top = (got["top"] as? [[String: Any]] ?? []).map { $0["label"] as? String ?? "?" }
                        if label != want.label || abs(probability - want.probability) > 1e-12 || top != want.top3 {
                            found.append("\(want.path): served \(label ?? "?") \(probability) \(top), classify \(want.label) \(want.probability) \(want.top3)")
                        }
                    }
                    return found
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(expected.count > 500, "\(expected.count) photos sent")
        #expect(mismatches.isEmpty, "\(mismatches.count) differ, e.g. \(mismatches.prefix(3))")
    }

    @Test func everyRouteAnswersAsDocumented() async throws {
        let fixture = try await RecogniserFixture.get()
        let server = try await ServedOrchard(bundle: fixture.bundle)
        let photo = try Data(contentsOf: URL(fileURLWithPath: try Self.testPhotos(fixture, every: 100)[0]))

        let health = try await server.request("GET", "/healthz")
        let healthStatus = try health.json()["status"] as? String
        #expect(health.status == 200 && healthStatus == "ok")
        let ready = try await server.request("GET", "/readyz")
        let readyStatus = try ready.json()["status"] as? String
        #expect(ready.status == 200 && readyStatus == "ok")

        let model = try await server.request("GET", "/v1/model")
        #expect(model.status == 200)
        let info = try model.json()
        let bundleHash = try EndToEnd.pythonJSON(String.self, "import hashlib, json, sys; print(json.dumps(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest()))", [fixture.bundle])
        #expect(info["id"] as? String == "sha256:" + bundleHash)
        let labels = try #require(info["labels"] as? [String])
        let expectedLabels = try FileManager.default.contentsOfDirectory(atPath: fixture.testPhotos).sorted()
        #expect(labels == expectedLabels)
        #expect(info["feature_count"] as? Int == 1280)
        let metrics = try #require(info["metrics"] as? [String: Any])
        #expect((metrics["train_accuracy"] as? Double ?? 0) > 0.9)

        let document = try await server.request("GET", "/openapi.yaml")
        let committed = try Data(contentsOf: URL(fileURLWithPath: EndToEnd.packageRoot + "/Sources/Server/Resources/openapi.yaml"))
        #expect(document.status == 200 && document.body == committed)
        #expect(document.headers["content-type"]?.hasPrefix("application/yaml") == true)

        let page = try await server.request("GET", "/")
        #expect(page.status == 200 && page.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(page.text.contains(#"<input id="photo" type="file" accept="image/*" capture="environment">"#))
        #expect(!page.text.contains("http://") && !page.text.contains("https://"), "the page loads nothing from elsewhere")

        let classified = try await server.request("POST", "/v1/classify", body: photo, headers: ["Content-Type": "image/jpeg"])
        #expect(classified.status == 200)
        let body = try classified.json()
        #expect(body["model"] as? String == "sha256:" + bundleHash)
        #expect((body["top"] as? [Any])?.count == 5, "top defaults to 5")
        let timings = try #require(body["timings"] as? [String: Double])
        #expect(timings["decode_ms"]! > 0 && timings["network_ms"]! > 0)
        #expect(timings["total_ms"]! >= timings["decode_ms"]! + timings["network_ms"]!)

        let scrape = try await server.request("GET", "/metrics")
        #expect(scrape.status == 200)
        let text = scrape.text
        #expect(text.contains(#"orchard_http_requests_total{method="POST",route="/v1/classify",status="200"} 1"#), "\(text)")
        #expect(text.contains(#"orchard_http_requests_total{method="GET",route="/v1/model",status="200"} 1"#))
        #expect(text.contains(#"orchard_http_request_duration_seconds_bucket{route="/v1/classify",le="+Inf"} 1"#))
        #expect(text.contains("orchard_http_requests_in_flight 1"), "the scrape itself is in flight")
        #expect(text.contains("orchard_classify_queue_depth 0"))

        // The access log: one structured line per request, with the route pattern and status.
        try await Task.sleep(for: .milliseconds(200))
        let log = server.logText
        #expect(log.contains("method=POST") && log.contains("route=/v1/classify") && log.contains("status=200"), "\(log)")
        #expect(log.contains("bytes_in=\(photo.count)"))
    }

    @Test func headIsAnsweredAsGetWithoutABody() async throws {
        let fixture = try await RecogniserFixture.get()
        let server = try await ServedOrchard(bundle: fixture.bundle)
        for path in ["/", "/openapi.yaml", "/healthz", "/readyz", "/v1/model", "/metrics"] {
            let get = try await server.request("GET", path)
            let head = try await LoopbackHTTP.exchange(port: server.port, "HEAD", path)
            #expect(head.status == 200, "HEAD \(path): \(head.status)")
            #expect(head.body.isEmpty, "HEAD \(path) sent a body: \(String(decoding: head.body.prefix(200), as: UTF8.self))")
            #expect(head.headers["content-type"] == get.headers["content-type"], "HEAD \(path)")
            if path != "/metrics" {  // the metrics change between the two requests
                #expect(head.headers["content-length"] == String(get.body.count), "HEAD \(path): \(head.headers)")
            }
        }
        let post = try await LoopbackHTTP.exchange(port: server.port, "HEAD", "/v1/classify")
        #expect(post.status == 405 && post.headers["allow"] == "POST" && post.body.isEmpty, "\(post)")
        let unknown = try await LoopbackHTTP.exchange(port: server.port, "HEAD", "/v2/nothing")
        #expect(unknown.status == 404 && unknown.body.isEmpty, "\(unknown)")
        let other = try await server.request("DELETE", "/healthz")
        #expect(other.status == 405 && other.headers["allow"] == "GET, HEAD")

        try await Task.sleep(for: .milliseconds(200))
        let logged = server.logText.split(separator: "\n").filter { $0.contains("method=HEAD") && $0.contains("route=/healthz") }
        #expect(logged.count == 1 && logged[0].contains("status=200") && logged[0].contains("bytes_out=0"), "\(server.logText.suffix(2000))")
    }

    @Test func everyDesignedErrorIsAProblemDocument() async throws {
        let fixture = try await RecogniserFixture.get()
        let server = try await ServedOrchard(bundle: fixture.bundle, ["--max-body-bytes", "1000000", "--max-pixels", "8000"])
        let photo = try Data(contentsOf: URL(fileURLWithPath: try Self.testPhotos(fixture, every: 100)[0]))
        let png = try EndToEnd.pythonJSON(String.self, """
            import base64, io, json
            from PIL import Image
            out = io.BytesIO(); Image.new("RGB", (100, 60), (200, 30, 30)).save(out, format="PNG")
            print(json.dumps(base64.b64encode(out.getvalue()).decode()))
            """)

        func expectProblem(_ reply: ServedOrchard.Reply, _ status: Int, _ mentions: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
            #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
            #expect(reply.headers["content-type"] == "application/problem+json", sourceLocation: sourceLocation)
            let problem = try reply.json()
            #expect(problem["status"] as? Int == status, sourceLocation: sourceLocation)
            #expect((problem["type"] as? String)?.hasPrefix("urn:orchard:problem:") == true, sourceLocation: sourceLocation)
            #expect(problem["title"] is String, sourceLocation: sourceLocation)
            if let mentions {
                #expect((problem["detail"] as? String ?? "").contains(mentions), "\(problem)", sourceLocation: sourceLocation)
            }
        }

        try expectProblem(await server.request("POST", "/v1/classify", body: Data(count: 1_000_001), headers: ["Content-Type": "image/jpeg"]), 413, "1000000 bytes")
        // Refused from its Content-Length: the log says what the server read (nothing), not what the client declared.
        try await Task.sleep(for: .milliseconds(200))
        let refused = server.logText.split(separator: "\n").filter { $0.contains("status=413") }
        #expect(refused.count == 1 && refused[0].contains("bytes_in=0 "), "\(refused)")
        try expectProblem(await server.request("POST", "/v1/classify", body: Data("hello".utf8), headers: ["Content-Type": "text/plain"]), 415,
                          "image/jpeg, image/png or multipart/form-data")
        try expectProblem(await server.request("POST", "/v1/classify", body: Data("hello".utf8), headers: ["Content-Type": "image/jpeg"]), 415, "not a JPEG or PNG")
        // 100×100 = 10,000 pixels over the 8,000-pixel limit: refused from the header, before decoding.
        try expectProblem(await server.request("POST", "/v1/classify", body: photo, headers: ["Content-Type": "image/jpeg"]), 422, "8000-pixel limit")
        // A 100×60 PNG (within the limit) cut in half.
        let pngBytes = try #require(Data(base64Encoded: png))
        #expect(try await server.request("POST", "/v1/classify", body: pngBytes, headers: ["Content-Type": "image/png"]).status == 200)
        try expectProblem(await server.request("POST", "/v1/classify", body: pngBytes.prefix(pngBytes.count / 2), headers: ["Content-Type": "image/png"]), 422)
        let wrongField = ServedOrchard.multipart(photo, field: "picture")
        try expectProblem(await server.request("POST", "/v1/classify", body: wrongField.body, headers: ["Content-Type": wrongField.contentType]), 400, "photo")
        try expectProblem(await server.request("POST", "/v1/classify?top=0", body: photo, headers: ["Content-Type": "image/jpeg"]), 400, "top")
        try expectProblem(await server.request("POST", "/v1/classify?top=abc", body: photo, headers: ["Content-Type": "image/jpeg"]), 400,
                          "top must be a whole number")
        let twoPhotos = ServedOrchard.multipart([("photo", photo), ("photo", Data("not a photo".utf8))])
        try expectProblem(await server.request("POST", "/v1/classify", body: twoPhotos.body, headers: ["Content-Type": twoPhotos.contentType]), 400,
                          "more than one value of the part 'photo'")
        try expectProblem(await server.request("GET", "/v2/nothing"), 404)
        let wrongMethod = try await server.request("GET", "/v1/classify")
        try expectProblem(wrongMethod, 405, "takes POST, not GET")
        #expect(wrongMethod.headers["allow"] == "POST")
        try expectProblem(await server.request("DELETE", "/healthz"), 405)
        // The server is still there and answers.
        #expect(try await server.request("GET", "/healthz").status == 200)
    }

    @Test func aFullLineIsAnswered503WithRetryAfterAndNothingElseFails() async throws {
        let fixture = try await RecogniserFixture.get()
        let server = try await ServedOrchard(bundle: fixture.bundle, ["--workers", "1", "--max-waiting", "1"])
        let photos = try Self.testPhotos(fixture, every: 50).prefix(24).map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let replies = try await withThrowingTaskGroup(of: ServedOrchard.Reply.self) { group in
            for photo in photos {
                group.addTask { try await server.request("POST", "/v1/classify", body: photo, headers: ["Content-Type": "image/jpeg"]) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let busy = replies.filter { $0.status == 503 }
        #expect(replies.allSatisfy { $0.status == 200 || $0.status == 503 }, "\(replies.map(\.status))")
        #expect(!busy.isEmpty && replies.contains { $0.status == 200 }, "\(replies.map(\.status))")
        for reply in busy {
            #expect(reply.headers["retry-after"] == "1")
            #expect(reply.headers["content-type"] == "application/problem+json")
            #expect(try reply.json()["status"] as? Int == 503)
        }
        // Counted once each response is written, which the client may see a moment before.
        try await Task.sleep(for: .milliseconds(300))
        let text = try await server.request("GET", "/metrics").text
        #expect(text.contains(#"orchard_http_requests_total{method="POST",route="/v1/classify",status="503"} \#(busy.count)"#), "\(text)")
    }

    @Test func theAPIKeyIsRequiredOnV1RoutesAndNeverLogged() async throws {
        let fixture = try await RecogniserFixture.get()
        let folder = try EndToEnd.temporaryFolder("serve-key")
        let key = "k3y-\(UUID().uuidString)"
        try Data((key + "\n").utf8).write(to: URL(fileURLWithPath: folder + "/key.txt"))
        let server = try await ServedOrchard(
            bundle: fixture.bundle, ["--api-key-file", folder + "/key.txt", "--cors-origin", "https://app.example"])
        #expect(try await server.request("GET", "/v1/model").status == 401)
        #expect(try await server.request("GET", "/v1/model", headers: ["Authorization": "Bearer wrong"]).status == 401)
        #expect(try await server.request("GET", "/v1/model", headers: ["Authorization": "Bearer \(key)"]).status == 200)
        #expect(try await server.request("GET", "/v1/model", headers: ["X-API-Key": key]).status == 200)
        #expect(try await server.request("GET", "/v1/model", headers: ["Authorization": "bearer \(key)"]).status == 200,
                "the scheme is case-insensitive")
        #expect(try await server.request("GET", "/healthz").status == 200, "health stays open for probes")

        let allowed = try await server.request("GET", "/v1/model", headers: ["X-API-Key": key, "Origin": "https://app.example"])
        #expect(allowed.headers["access-control-allow-origin"] == "https://app.example")
        #expect(allowed.headers["access-control-expose-headers"] == "Retry-After", "the app's code can read a 503's Retry-After")
        let other = try await server.request("GET", "/v1/model", headers: ["X-API-Key": key, "Origin": "https://evil.example"])
        #expect(other.headers["access-control-allow-origin"] == nil)
        let preflight = try await server.request(
            "OPTIONS", "/v1/classify", headers: ["Origin": "https://app.example", "Access-Control-Request-Method": "POST"])
        #expect(preflight.status == 204 && preflight.headers["access-control-allow-methods"]?.contains("POST") == true)

        try await Task.sleep(for: .milliseconds(200))
        #expect(!server.logText.contains(key), "the key appears in the log")
        #expect(server.logText.contains("status=401"))
    }

    @Test func anyOriginWithAStarAndClearRefusalsOfOriginsThatCannotMatchOrATakenPort() async throws {
        let fixture = try await RecogniserFixture.get()
        for origin in ["https://app.example/", "app.example", "https://app.example/path"] {
            let run = try EndToEnd.orchard(["serve", "--model", fixture.bundle, "--cors-origin", origin])
            #expect(run.status != 0 && run.errors.contains("can never match"), "\(origin): \(run.errors)")
        }
        let server = try await ServedOrchard(bundle: fixture.bundle, ["--cors-origin", "*"])
        let reply = try await server.request("GET", "/v1/model", headers: ["Origin": "https://any.example"])
        #expect(reply.headers["access-control-allow-origin"] == "https://any.example")
        let second = try EndToEnd.orchard(
            ["serve", "--model", fixture.bundle, "--backbone", EndToEnd.realModel, "--port", String(server.port)])
        #expect(second.status == 1 && second.errors.contains("cannot listen on 127.0.0.1:\(server.port): the port is in use"),
                "\(second.errors)")
    }

    @Test func sigtermFinishesEveryRequestInFlight() async throws {
        let fixture = try await RecogniserFixture.get()
        let server = try await ServedOrchard(bundle: fixture.bundle, ["--workers", "1", "--max-waiting", "256", "--request-timeout", "300"])
        let photos = try Self.testPhotos(fixture, every: 10).prefix(200).map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        // A burst: however fast the one worker runs, most of the 200 wait in its queue at once, for seconds.
        let burst = try RequestBurst(port: server.port, path: "/v1/classify", contentType: "image/jpeg", bodies: photos)
        // SIGTERM once every request has reached the server and many still wait for the one network.
        func value(_ text: String, _ name: String) -> Int {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int(Double($0.split(separator: " ").last ?? "") ?? 0) } ?? 0
        }
        let deadline = ContinuousClock.now + .seconds(60)
        var (admitted, done) = (0, 0)
        while !(admitted >= 8 && admitted + done == photos.count), ContinuousClock.now < deadline {
            let text = try await LoopbackHTTP.get(port: server.port, "/metrics")
            admitted = value(text, "orchard_classify_admitted")
            done = value(text, #"orchard_http_requests_total{method="POST",route="/v1/classify",status="200"}"#)
        }
        #expect(admitted >= 8, "the requests never queued up (\(admitted) admitted, \(done) done)")
        server.process.kill(SIGTERM)
        let statuses = await burst.statuses()
        #expect(statuses.count == photos.count && statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        #expect(try server.process.wait(timeout: .seconds(60)) == 0, "orchard serve did not exit cleanly: \(server.logText)")
        #expect(server.logText.contains("stopping: no new connections") && server.logText.hasSuffix("stopped\n"), "\(server.logText.suffix(500))")
    }

    @Test func withACertificateTheServerSpeaksHTTPS() async throws {
        let fixture = try await RecogniserFixture.get()
        let folder = try EndToEnd.temporaryFolder("serve-tls")
        let (certificate, key) = (folder + "/cert.pem", folder + "/key.pem")
        try ChildProcess.run(
            "openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]).check()
        let server = try await ServedOrchard(bundle: fixture.bundle, tls: (certificate, key))
        let photo = try ServeTests.testPhotos(fixture, every: 100)[1]
        let expected = try #require(try Self.cliPredictions(fixture)[photo])
        let curl = try ChildProcess.run(
            "curl", ["-s", "--cacert", certificate, "-F", "photo=@\(photo);type=image/jpeg", server.base + "/v1/classify"]).check()
        let body = try #require(try JSONSerialization.jsonObject(with: curl.stdout) as? [String: Any], "\(curl.output)")
        #expect(body["label"] as? String == expected["label"] as? String, "\(curl.output)")
        let plain = try ChildProcess.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(server.port)/healthz"])
        #expect(plain.output != "200", "plain HTTP is not answered on the TLS port")
    }
}
