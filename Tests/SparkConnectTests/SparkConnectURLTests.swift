import Testing
@testable import SparkConnect

@Suite("SparkConnectURL")
struct SparkConnectURLTests {
    @Test("parses host, port and every known parameter")
    func parsesEverything() throws {
        let url = try SparkConnectURL(
            "sc://spark.example.com:443/;token=s3cr%3Bet;use_ssl=true;user_id=alice;user_agent=orchard;"
                + "session_id=0A1B2C3D-0000-4000-8000-000000000001;x-custom=1")
        #expect(url.host == "spark.example.com")
        #expect(url.port == 443)
        #expect(url.token == "s3cr;et")
        #expect(url.useSSL)
        #expect(url.userID == "alice")
        #expect(url.userAgent == "orchard")
        #expect(url.sessionID == "0a1b2c3d-0000-4000-8000-000000000001")
        #expect(url.metadata == ["x-custom": "1"])
    }

    @Test("defaults to port 15002, no TLS, no token")
    func defaults() throws {
        for text in ["sc://localhost", "sc://localhost/", "sc://localhost/;", "sc://localhost;user_id=bob"] {
            let url = try SparkConnectURL(text)
            #expect(url.host == "localhost")
            #expect(url.port == 15002)
            #expect(url.token == nil)
            #expect(!url.useSSL)
        }
    }

    @Test("a token switches TLS on; plaintext with a token only on loopback")
    func tokenMeansTLS() throws {
        #expect(try SparkConnectURL("sc://spark.example.com:443/;token=t").useSSL)
        #expect(try SparkConnectURL("sc://127.0.0.1:15002/;token=t;use_ssl=false").useSSL == false)
        #expect(try SparkConnectURL("sc://localhost/;use_ssl=false;token=t").useSSL == false)
        #expect(try SparkConnectURL("sc://spark.example.com/;use_ssl=true").useSSL)
        do {
            _ = try SparkConnectURL("sc://spark.example.com:15002/;token=SECRET;use_ssl=false")
            Issue.record("a token over plaintext to another machine was accepted")
        } catch {
            #expect("\(error)".contains("TLS"))
            #expect(!"\(error)".contains("SECRET"))
        }
    }

    @Test("takes bracketed IPv6 hosts")
    func ipv6() throws {
        let url = try SparkConnectURL("sc://[::1]:15003")
        #expect(url.host == "::1")
        #expect(url.port == 15003)
        #expect(url.endpoint == "[::1]:15003")
    }

    @Test("rejects malformed connection strings", arguments: [
        "http://localhost:15002", "sc://", "sc://:15002", "sc://host:0", "sc://host:70000", "sc://host:port",
        "sc://host/path", "sc://host/;token", "sc://host/;session_id=not-a-uuid", "sc://[::1", "sc://user@host",
    ])
    func rejects(text: String) {
        #expect(throws: SparkConnectError.self) { try SparkConnectURL(text) }
    }

    @Test("never shows the token in descriptions, dumps or errors")
    func hidesToken() throws {
        let url = try SparkConnectURL("sc://h:1/;token=TOPSECRET;user_id=u")
        #expect(url.description == "sc://h:1/;token=***;use_ssl=true;user_id=u")
        #expect(!"\(url)".contains("TOPSECRET"))
        #expect(!String(reflecting: url).contains("TOPSECRET"))
        var dumped = ""
        dump(url, to: &dumped)
        #expect(!dumped.contains("TOPSECRET"))
        #expect(!dumped.isEmpty)
        do {
            _ = try SparkConnectURL("sc://h:1/;token=TOP%ZZSECRET")
            Issue.record("bad percent-encoding was accepted")
        } catch {
            #expect(!"\(error)".contains("SECRET"))
        }
    }
}
