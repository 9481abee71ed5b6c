import OpenAPIRuntime
import ServerAPI

/// The photo's bytes from a classify body: the raw JPEG or PNG, or the one `photo` part of a multipart
/// form (other parts are skipped; a second photo part is refused). At most `limit` bytes are kept.
enum PhotoBody {
    static func bytes(of body: Operations.Classify.Input.Body, limit: Int) async throws -> [UInt8] {
        switch body {
        case .jpeg(let raw), .png(let raw):
            return try await collect(raw, limit: limit)
        case .multipartForm(let parts):
            var bytes: [UInt8]?
            do {
                for try await part in parts {
                    switch part {
                    case .photo(let photo):
                        // Read on to the end: the runtime refuses a second photo part (which one was meant
                        // is not ours to guess).
                        bytes = try await collect(photo.payload.body, limit: limit)
                    case .undocumented(let other):
                        // Read past it: the parts arrive in order, one body at a time.
                        for try await _ in other.body {}
                    }
                }
            } catch let problem as Problem {
                throw problem
            } catch {
                // The runtime's framing and validation errors: the client's form is malformed.
                throw Problem.badRequest("the multipart form could not be read: \(error)")
            }
            guard let bytes else { throw Problem.badRequest("the multipart form has no photo field") }
            return bytes
        }
    }

    private static func collect(_ body: HTTPBody, limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in body {
            guard bytes.count + chunk.count <= limit else { throw Problem.tooLarge(limit: limit) }
            bytes += chunk
        }
        return bytes
    }
}
