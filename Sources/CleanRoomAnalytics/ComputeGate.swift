internal import Dispatch

/// Lets at most `limit` computations (scans, mining, matching) run at once; the others wait their turn. Each
/// computation already uses every core, so running more at once only makes them all slower — while the waits
/// that follow a computation (the audit's sync, the record's commit) do not hold a turn, so many answers can
/// share one sync.
final class ComputeGate: Sendable {
    private let turns: DispatchSemaphore

    init(limit: Int) {
        self.turns = DispatchSemaphore(value: max(1, limit))
    }

    /// Runs `computation` once a turn is free.
    func run<Result, Failure: Error>(_ computation: () throws(Failure) -> Result) throws(Failure) -> Result {
        self.turns.wait()
        defer { self.turns.signal() }
        return try computation()
    }
}
