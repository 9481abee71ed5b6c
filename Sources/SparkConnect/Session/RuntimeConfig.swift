import SparkConnectProtos

/// A session's runtime configuration (`spark.conf`): SQL and execution settings set per session.
public struct RuntimeConfig: Sendable {
    /// The session whose settings this reads and writes.
    public let session: SparkSession

    /// Sets `key` to `value` for this session.
    public func set(_ key: String, _ value: String) async throws {
        try await set([key: value])
    }

    /// Sets several keys at once.
    public func set(_ pairs: [String: String]) async throws {
        var set = ConfigRequest.Set()
        set.pairs = pairs.sorted { $0.key < $1.key }.map { key, value in
            var pair = KeyValue()
            pair.key = key
            pair.value = value
            return pair
        }
        var operation = ConfigRequest.Operation()
        operation.set = set
        _ = try await session.config(operation, rpc: "Config(set)")
    }

    /// The value of `key`, or nil when it is neither set nor has a default.
    public func get(_ key: String) async throws -> String? {
        var operation = ConfigRequest.Operation()
        operation.getOption.keys = [key]
        let pairs = try await session.config(operation, rpc: "Config(get)")
        guard let pair = pairs.first(where: { $0.key == key }) else { return nil }
        return pair.hasValue ? pair.value : nil
    }

    /// Resets `key` to its default.
    public func unset(_ key: String) async throws {
        var operation = ConfigRequest.Operation()
        operation.unset.keys = [key]
        _ = try await session.config(operation, rpc: "Config(unset)")
    }
}

extension SparkSession {
    /// Runs one Config RPC and returns its key/value pairs.
    func config(_ operation: ConfigRequest.Operation, rpc: String) async throws -> [KeyValue] {
        var request = ConfigRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = clientType
        request.operation = operation
        if let serverSideSessionID { request.clientObservedServerSideSessionID = serverSideSessionID }
        let response = try await call(rpc) {
            try await service.config(request, metadata: metadata, options: callOptions)
        }
        observe(serverSideSessionID: response.serverSideSessionID)
        return response.pairs
    }
}
