import OpenAPIRuntime
import Recognition
import ServerAPI

/// The operations of the OpenAPI document (`ServerAPI.APIProtocol`), over one served model. Failures
/// are thrown as `Problem`s (or left to `ProblemTranslation`), never returned as ad-hoc responses.
struct APIHandler: APIProtocol {
    let model: ServedModel
    let configuration: ServerConfiguration
    let readiness: Readiness

    func classify(_ input: Operations.Classify.Input) async throws -> Operations.Classify.Output {
        let start = ContinuousClock.now
        let top = input.query.top ?? 5
        guard (1...1000).contains(top) else { throw Problem.badRequest("top must be between 1 and 1000; got \(top)") }
        let bytes = try await PhotoBody.bytes(of: input.body, limit: configuration.maxBodyBytes)
        let seconds = Int(configuration.requestTimeout.components.seconds)
        let (prediction, timings) = try await withDeadline(
            configuration.requestTimeout,
            expired: { [retryAfter = configuration.retryAfterSeconds] in
                Problem.busy("not answered within \(seconds) s; the server is overloaded", retryAfter: retryAfter)
            },
            client: ClientDeparture.current,
            { [recognizer = model.recognizer] in try await recognizer.classifyTimed(bytes, name: "photo", top: top) })
        return .ok(.init(body: .json(.init(
            label: prediction.label, probability: prediction.probability,
            top: prediction.top.map { .init(label: $0.label, probability: $0.probability) },
            model: model.id,
            timings: .init(
                decodeMs: timings.decode.milliseconds, networkMs: timings.network.milliseconds,
                totalMs: (ContinuousClock.now - start).milliseconds)))))
    }

    func getModel(_ input: Operations.GetModel.Input) async throws -> Operations.GetModel.Output {
        let bundle = model.recognizer.bundle
        let metrics = bundle.metrics
        return .ok(.init(body: .json(.init(
            id: model.id, labels: bundle.labels, featureCount: bundle.featureCount,
            pcaComponents: bundle.pca?.componentCount,
            backbone: bundle.backbone.map { .init(name: $0.name, sha256: $0.sha256, featureCount: $0.featureCount) },
            sources: bundle.sources,
            metrics: .init(
                trainRows: metrics.trainRows, skippedRows: metrics.skippedRows, iterations: metrics.iterations,
                converged: metrics.converged, trainAccuracy: metrics.trainAccuracy, c: metrics.c,
                classWeight: metrics.classWeight, validationRows: metrics.validationRows,
                validationAccuracy: metrics.validationAccuracy, validationLoss: metrics.validationLoss),
            workers: model.recognizer.pool.workerCount, maxWaiting: model.recognizer.pool.maxWaiting))))
    }

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        switch readiness.current {
        case .ok: .ok(.init(body: .json(.init(status: .ok))))
        case .starting: .serviceUnavailable(.init(body: .json(.init(status: .starting))))
        case .stopping: .serviceUnavailable(.init(body: .json(.init(status: .stopping))))
        }
    }
}

extension Duration {
    /// The duration in milliseconds.
    var milliseconds: Double { Double(components.seconds) * 1e3 + Double(components.attoseconds) / 1e15 }
}
