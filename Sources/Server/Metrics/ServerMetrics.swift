import CoreMetrics
import Prometheus

/// The server's Prometheus metrics, in a registry of its own (so several servers can live in one
/// process, as in tests): requests by route and status, latency, in-flight requests, queue depth.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let inFlight: CoreMetrics.Meter
    private let queueDepth: CoreMetrics.Gauge
    private let admitted: CoreMetrics.Gauge

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Seconds, from a cached /healthz to a photo waiting behind a full line.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.factory = factory
        inFlight = CoreMetrics.Meter(label: "orchard_http_requests_in_flight", factory: factory)
        queueDepth = CoreMetrics.Gauge(label: "orchard_classify_queue_depth", factory: factory)
        admitted = CoreMetrics.Gauge(label: "orchard_classify_admitted", factory: factory)
    }

    /// A request started.
    func started() { inFlight.increment() }

    /// A request ended with `status` after `duration`; `route` is the matched pattern.
    func finished(method: String, route: String, status: Int, duration: Duration) {
        inFlight.decrement()
        let dimensions = [("method", method), ("route", route), ("status", String(status))]
        CoreMetrics.Counter(label: "orchard_http_requests_total", dimensions: dimensions, factory: factory).increment()
        CoreMetrics.Timer(label: "orchard_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// The Prometheus text exposition, with the queue gauges read now.
    func exposition(queueDepth waiting: Int, admitted inGate: Int) -> [UInt8] {
        queueDepth.record(waiting)
        admitted.record(inGate)
        return registry.emitToBuffer()
    }
}
