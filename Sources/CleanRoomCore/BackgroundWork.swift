public import Foundation

/// Work running on a thread of its own, whose outcome a caller waits for only when it needs it: the start-up steps
/// of an ingest (checking the input, loading the identity index, verifying the database) run beside each other.
public final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchGroup()
    // Written once before `done` is left; read only after waiting on it.
    private var outcome: Result<Value, any Error>

    /// Starts `body` on a thread named `name`.
    public init(name: String, _ body: @escaping @Sendable () throws -> Value) {
        self.outcome = .failure(CancellationError())
        self.done.enter()
        let thread = Thread { [self] in
            self.outcome = Result { try body() }
            self.done.leave()
        }
        thread.name = name
        thread.start()
    }

    /// Starts `body` on `queue`, after the work queued there before it.
    public init(on queue: DispatchQueue, _ body: @escaping @Sendable () throws -> Value) {
        self.outcome = .failure(CancellationError())
        self.done.enter()
        queue.async { [self] in
            self.outcome = Result { try body() }
            self.done.leave()
        }
    }

    /// Work already done, with `value`.
    public init(value: Value) {
        self.outcome = .success(value)
    }

    /// Waits for the work and returns its value.
    ///
    /// - Throws: What the work threw.
    public func value() throws -> Value {
        self.done.wait()
        return try self.outcome.get()
    }
}
