import Foundation
import GRPCCore
import Testing
@testable import SparkConnect

@Suite("Session helpers")
struct SessionUnitTests {
    @Test("CRC-32 matches java.util.zip.CRC32 (the check value of \"123456789\")")
    func crc32() {
        #expect(CRC32.checksum(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Data()) == 0)
    }

    @Test("backoff grows by the multiplier and stops at the cap")
    func backoff() {
        let policy = RetryPolicy.default
        let error = RPCError(code: .unavailable, message: "down")
        func milliseconds(_ attempt: Int) -> Double {
            let wait = policy.backoff(attempt: attempt, after: error).components
            return (Double(wait.seconds) * 1e3 + Double(wait.attoseconds) / 1e15).rounded()
        }
        #expect(milliseconds(0) == 100)
        #expect(milliseconds(2) == 900)
        #expect(milliseconds(7) == 10_000)
        #expect(milliseconds(1_000) == 10_000)
    }

    @Test("only transient failures are retried")
    func retryable() {
        #expect(RetryPolicy.isRetryable(RPCError(code: .unavailable, message: "connection refused")))
        #expect(RetryPolicy.isRetryable(RPCError(code: .internalError, message: "[INVALID_CURSOR.DISCONNECTED] x")))
        #expect(!RetryPolicy.isRetryable(RPCError(code: .internalError, message: "[UNRESOLVED_COLUMN] x")))
        #expect(!RetryPolicy.isRetryable(SparkConnectError.sessionStopped))
    }
}
