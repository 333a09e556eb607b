/// Times work on the monotonic clock.
enum Stopwatch {
    /// Runs `body` and returns its result with the time it took, in seconds.
    static func time<T>(_ body: () throws -> T) rethrows -> (T, seconds: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        return (result, seconds(clock.now - start))
    }

    /// A duration in seconds.
    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
