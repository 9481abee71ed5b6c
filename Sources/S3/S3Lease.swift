import Foundation
import Storage

/// An exclusive lease held as one S3 object, created with a conditional PUT (`If-None-Match: *`) so only
/// one writer can create it. Its body says who holds it and until when; the holder renews it (`If-Match`
/// its own ETag) well before then. A lease past its expiry (its run died) is taken over by a conditional
/// PUT on the expired version's ETag, so two runs taking over at once cannot both win.
actor S3Lease: StoreLease {
    /// What the lease object holds.
    struct Body: Codable {
        var holder: String
        var token: String
        var expires: Date
    }

    let client: S3Client
    let bucket: String
    let key: String
    let duration: Duration
    private var body: Body
    private var eTag: String?
    private var renewal: Task<Void, Never>?
    private var released = false

    private init(client: S3Client, bucket: String, key: String, duration: Duration, body: Body) {
        self.client = client
        self.bucket = bucket
        self.key = key
        self.duration = duration
        self.body = body
    }

    /// Creates the lease object, or takes over an expired one; throws `StorageError.leaseHeld` otherwise.
    static func acquire(client: S3Client, bucket: String, key: String, holder: String, duration: Duration) async throws -> S3Lease {
        let token = UUID().uuidString
        let lease = S3Lease(
            client: client, bucket: bucket, key: key, duration: duration,
            body: Body(holder: holder, token: token, expires: Date()))
        for _ in 0 ..< 3 {
            if try await lease.write(condition: .absent) { return await lease.started() }
            // Someone holds it (or held it): read who, and take it over only if it expired.
            guard let head = try await client.headObject(bucket: bucket, key: key), let current = head.eTag else { continue }
            let bytes = try await client.getObject(bucket: bucket, key: key, maxBytes: 1 << 16)
            let existing = try? JSONDecoder.lease.decode(Body.self, from: Data(bytes))
            if existing?.token == token { return await lease.started() }  // our own write, retried after a lost answer
            if let existing, existing.expires > Date() {
                throw StorageError.leaseHeld(
                    "s3://\(bucket)/\(key)",
                    holder: "\(existing.holder); its lease runs until \(ISO8601DateFormatter().string(from: existing.expires)) unless renewed")
            }
            if try await lease.write(condition: .eTag(current)) { return await lease.started() }
        }
        throw StorageError.leaseHeld("s3://\(bucket)/\(key)", holder: "another run took it at the same moment")
    }

    var isHeld: Bool { eTag != nil && body.expires > Date() }

    /// Stops renewing, waits out a renewal already on its way, then deletes the object if it is still ours.
    func release() async {
        HeldLeases.shared.remove(self)
        released = true
        // A renewal's PUT in flight would otherwise land after the DELETE (which then misses its ETag) and
        // leave the lock looking held for another `duration`, refusing the very next run.
        let renewing = renewal
        renewal = nil
        renewing?.cancel()
        await renewing?.value
        guard let tag = eTag else { return }
        eTag = nil
        if (try? await client.deleteObject(bucket: bucket, key: key, ifETag: tag)) == true { return }
        // The ETag we know is stale (a write whose answer was lost): delete it if its body still names us.
        guard let head = try? await client.headObject(bucket: bucket, key: key), let current = head.eTag,
              let bytes = try? await client.getObject(bucket: bucket, key: key, maxBytes: 1 << 16),
              let existing = try? JSONDecoder.lease.decode(Body.self, from: Data(bytes)),
              existing.token == body.token else { return }
        _ = try? await client.deleteObject(bucket: bucket, key: key, ifETag: current)
    }

    /// Writes the body with a fresh expiry if `condition` holds; records the new ETag.
    private func write(condition: S3WriteCondition) async throws -> Bool {
        body.expires = Date().addingTimeInterval(duration.seconds)
        let bytes = Array(try JSONEncoder.lease.encode(body))
        guard let tag = try await client.putObject(bucket: bucket, key: key, bytes: bytes, condition: condition) else {
            return false
        }
        eTag = tag
        return true
    }

    /// Starts renewing every third of the duration, for as long as the lease is held.
    private func started() -> S3Lease {
        HeldLeases.shared.add(self)
        renewal = Task { [duration] in
            while !Task.isCancelled {
                try? await Task.sleep(for: duration / 3)
                guard !Task.isCancelled else { return }
                // Unstructured, so a release cancelling this loop does not cut a PUT off mid-flight.
                await Task { await self.renew() }.value
            }
        }
        return self
    }

    private func renew() async {
        guard !released, let tag = eTag else { return }
        // A failed renewal (lost to a takeover after we stalled) leaves the lease not held.
        if (try? await write(condition: .eTag(tag))) != true, body.expires <= Date() { eTag = nil }
    }
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) * 1e-18
    }
}

extension JSONEncoder {
    static var lease: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension JSONDecoder {
    static var lease: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
