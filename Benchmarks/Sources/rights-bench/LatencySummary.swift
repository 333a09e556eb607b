/// Percentiles of a set of request latencies (nearest rank), in milliseconds.
struct LatencySummary: Sendable {
    /// The number of requests.
    let count: Int
    let p50: Double
    let p90: Double
    let p99: Double
    let max: Double
    let mean: Double
    /// The first request's latency: the one that meets cold caches and statements not yet prepared.
    let first: Double
    /// The slowest request's place in the run, from 1.
    let slowestPosition: Int
    /// The sum of all latencies, in seconds.
    let totalSeconds: Double

    /// Summarizes latencies given in seconds; `seconds` must not be empty.
    init(seconds: [Double]) {
        let sorted = seconds.sorted().map { $0 * 1000 }
        func rank(_ fraction: Double) -> Double {
            let position = Int((fraction * Double(sorted.count)).rounded(.up))
            return sorted[Swift.max(1, Swift.min(sorted.count, position)) - 1]
        }
        self.count = sorted.count
        self.p50 = rank(0.50)
        self.p90 = rank(0.90)
        self.p99 = rank(0.99)
        self.max = sorted[sorted.count - 1]
        self.first = seconds[0] * 1000
        self.slowestPosition = (seconds.indices.max { seconds[$0] < seconds[$1] } ?? 0) + 1
        self.totalSeconds = seconds.reduce(0, +)
        self.mean = self.totalSeconds * 1000 / Double(sorted.count)
    }
}
