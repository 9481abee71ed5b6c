// AddArtifacts: a client stream of requests, each either a `batch` of small whole artifacts or
// a `begin_chunk` followed by `chunk`s of one large artifact; every chunk carries its CRC-32.
// Artifacts named `files/<name>` are added like SparkContext.addFile, so executors can run them
// (they arrive executable, in a per-session subfolder of the task's working directory).
import Foundation
import GRPCCore
import SparkConnectProtos

extension SparkSession {
    /// Bytes per chunk and per batch of small artifacts. PySpark sends 32 KiB; 1 MiB (far below the
    /// server's 128 MiB message limit) ships a 55 MB binary in a quarter less time.
    static let artifactChunkSize = 1024 * 1024

    /// Ships `file` to the cluster as `files/<file name>` and returns the name executors see.
    @discardableResult
    public func addArtifact(file: URL) async throws -> String {
        try await addArtifacts(files: [file])[0]
    }

    /// Ships several files in one AddArtifacts stream and returns their names, in order.
    @discardableResult
    public func addArtifacts(files: [URL]) async throws -> [String] {
        let artifacts = try files.map(LocalArtifact.init)
        let names = artifacts.map(\.name)
        guard Set(names).count == names.count else {
            throw SparkConnectError.invalidArgument("two artifacts share a file name: \(names)")
        }
        guard !artifacts.isEmpty else { return [] }
        let template = artifactRequestTemplate()
        let response = try await call("AddArtifacts") {
            try await service.addArtifacts(
                metadata: metadata, options: callOptions,
                requestProducer: { writer in try await Self.writeArtifacts(artifacts, template: template, to: writer) })
        }
        observe(serverSideSessionID: response.serverSideSessionID)
        for artifact in artifacts {
            guard let summary = response.artifacts.first(where: { $0.name == artifact.name }) else {
                throw SparkConnectError.artifactRejected(name: artifact.name, reason: "the server did not acknowledge it")
            }
            guard summary.isCrcSuccessful else {
                throw SparkConnectError.artifactRejected(name: artifact.name, reason: "CRC mismatch on the server")
            }
        }
        return artifacts.map(\.fileName)
    }

    private func artifactRequestTemplate() -> AddArtifactsRequest {
        var request = AddArtifactsRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = clientType
        if let serverSideSessionID { request.clientObservedServerSideSessionID = serverSideSessionID }
        return request
    }

    /// Streams small files in shared batches and large ones in chunks, reading each file once.
    private static func writeArtifacts(
        _ artifacts: [LocalArtifact], template: AddArtifactsRequest, to writer: RPCWriter<AddArtifactsRequest>
    ) async throws {
        var batch = AddArtifactsRequest.Batch()
        var batchBytes = 0
        func flushBatch() async throws {
            guard !batch.artifacts.isEmpty else { return }
            var request = template
            request.batch = batch
            try await writer.write(request)
            batch = AddArtifactsRequest.Batch()
            batchBytes = 0
        }
        for artifact in artifacts {
            let handle = try artifact.open()
            defer { try? handle.close() }
            if artifact.size <= artifactChunkSize {
                if batchBytes + artifact.size > artifactChunkSize { try await flushBatch() }
                var single = AddArtifactsRequest.SingleChunkArtifact()
                single.name = artifact.name
                single.data = try chunk(from: handle, of: artifact)
                batch.artifacts.append(single)
                batchBytes += artifact.size
                continue
            }
            try await flushBatch()
            let chunks = (artifact.size + artifactChunkSize - 1) / artifactChunkSize
            var begin = template
            begin.beginChunk.name = artifact.name
            begin.beginChunk.totalBytes = Int64(artifact.size)
            begin.beginChunk.numChunks = Int64(chunks)
            begin.beginChunk.initialChunk = try chunk(from: handle, of: artifact)
            try await writer.write(begin)
            for _ in 1..<chunks {
                var next = template
                next.chunk = try chunk(from: handle, of: artifact)
                try await writer.write(next)
            }
        }
        try await flushBatch()
    }

    private static func chunk(from handle: FileHandle, of artifact: LocalArtifact) throws -> AddArtifactsRequest.ArtifactChunk {
        let data: Data
        do {
            data = try handle.read(upToCount: artifactChunkSize) ?? Data()
        } catch {
            throw SparkConnectError.unreadableFile(path: artifact.path, reason: "\(error)")
        }
        var chunk = AddArtifactsRequest.ArtifactChunk()
        chunk.data = data
        chunk.crc = Int64(CRC32.checksum(data))
        return chunk
    }
}

/// A local file about to be uploaded, checked before the stream starts.
private struct LocalArtifact: Sendable {
    let path: String
    let fileName: String
    let size: Int

    /// The artifact name on the server: `files/` makes Spark add it like `SparkContext.addFile`.
    var name: String { "files/\(fileName)" }

    init(_ url: URL) throws {
        path = url.path
        fileName = url.lastPathComponent
        guard !fileName.isEmpty, fileName != "/" else {
            throw SparkConnectError.invalidArgument("artifact path \(path) has no file name")
        }
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw SparkConnectError.unreadableFile(path: path, reason: "\(error.localizedDescription)")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular, let size = attributes[.size] as? Int else {
            throw SparkConnectError.unreadableFile(path: path, reason: "not a regular file")
        }
        self.size = size
    }

    func open() throws -> FileHandle {
        do {
            return try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw SparkConnectError.unreadableFile(path: path, reason: "\(error.localizedDescription)")
        }
    }
}
