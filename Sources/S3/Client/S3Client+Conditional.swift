import Foundation
import NIOHTTP1

/// When a conditional write or delete may proceed (S3's `If-None-Match: *` and `If-Match: <ETag>`).
public enum S3WriteCondition: Sendable, Equatable {
    /// Only if no object has the key: creates it, never replaces one.
    case absent
    /// Only if the object's current ETag is this one: replaces exactly the version that was read.
    case eTag(String)

    var header: (String, String) {
        switch self {
        case .absent: return ("if-none-match", "*")
        case .eTag(let tag): return ("if-match", "\"\(tag)\"")
        }
    }
}

extension S3Client {
    /// Stores `bytes` as one object if `condition` holds; returns the new ETag, or nil when S3 answered
    /// 412 Precondition Failed (another writer got there first).
    public func putObject(
        bucket: String, key: String, bytes: [UInt8], condition: S3WriteCondition
    ) async throws -> String?? {
        var request = S3Request("PutObject", .PUT, bucket: bucket, key: key)
        request.setBody(bytes)
        request.headers.append(condition.header)
        do {
            return .some(try await perform(request, handle: Self.drainReturningETag))
        } catch let error as S3Error where error.status == 412 {
            return .none
        }
    }

    /// Deletes one object if its ETag is still `eTag`; returns false when it changed (412) or is gone.
    @discardableResult
    public func deleteObject(bucket: String, key: String, ifETag eTag: String) async throws -> Bool {
        var request = S3Request("DeleteObject", .DELETE, bucket: bucket, key: key)
        request.headers.append(S3WriteCondition.eTag(eTag).header)
        do {
            _ = try await perform(request, handle: Self.drainReturningETag)
            return true
        } catch let error as S3Error where error.status == 412 || error.isNotFound {
            return false
        }
    }
}
