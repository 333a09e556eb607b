internal import Prometheus

/// The service's metrics in Prometheus' text format (`GET /metrics`): requests and their latency by route and
/// status, refusals by rule, suppressed cells, ingested rows and failed authentications.
final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    private static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]

    /// Counts a finished request and records its latency.
    func request(route: String, status: Int, duration: Duration) {
        let labels = [("route", route), ("status", String(status))]
        self.registry.makeCounter(
            descriptor: .init(
                namespace: "cleanroom", metricName: "http_requests", unitName: "total",
                helpText: "HTTP requests answered, by route and status"),
            labels: labels
        ).increment()
        self.registry.makeDurationHistogram(
            descriptor: .init(
                namespace: "cleanroom", metricName: "http_request_duration", unitName: "seconds",
                helpText: "HTTP request latency, by route"),
            labels: [("route", route)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// Counts a request refused by a policy or privacy rule.
    func refusal(rule: String) {
        self.registry.makeCounter(
            descriptor: .init(
                namespace: "cleanroom", metricName: "refusals", unitName: "total",
                helpText: "Requests refused, by the rule that refused them"),
            labels: [("rule", rule)]
        ).increment()
    }

    /// Counts the cells an answer suppressed.
    func suppressed(cells: Int) {
        self.registry.makeCounter(
            descriptor: .init(
                namespace: "cleanroom", metricName: "suppressed_cells", unitName: "total",
                helpText: "Answer cells suppressed under the privacy contract")
        ).increment(by: Int64(cells))
    }

    /// Counts a failed authentication.
    func failedAuthentication() {
        self.registry.makeCounter(
            descriptor: .init(
                namespace: "cleanroom", metricName: "authentication_failures", unitName: "total",
                helpText: "Requests whose bearer token did not authenticate")
        ).increment()
    }

    /// The metrics in Prometheus' text exposition format.
    var text: String {
        self.registry.emitToString()
    }
}
