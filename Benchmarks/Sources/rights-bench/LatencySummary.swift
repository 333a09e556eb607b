/// Percentiles of a set of request latencies (nearest rank), in milliseconds.
struct LatencySummary: Sendable {
    /// The number of requests.
    let count: Int
    let p50: Double
    let p90: Double
    let p99: Double
    let max: Double
    let mean: Double
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
        self.totalSeconds = seconds.reduce(0, +)
        self.mean = self.totalSeconds * 1000 / Double(sorted.count)
    }
}
