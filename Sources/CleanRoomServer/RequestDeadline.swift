internal import Hummingbird
internal import NIOCore
internal import NIOPosix
internal import Synchronization

/// The policy's `limits.request_timeout_seconds`: each request must be answered within that time of arriving.
///
/// Reading the body and the blocking work of a request (a scan, an upload's pseudonyms, an ingest) race the deadline:
///
/// - a body not received in time is answered 408 `request_timeout`, and nothing is done with it;
/// - work not finished in time is answered 503 `timeout` with the rule `limits.request_timeout_seconds`. The work
///   itself is not cut short — an answer half computed, a batch half written must end cleanly — so what it does is
///   still audited and committed as usual (an answer audited this way was computed but never delivered; an ingest
///   is then completed, and sending it again with the same `Idempotency-Key` says so).
struct RequestDeadline: Sendable {
    /// The seconds allowed.
    let seconds: Int
    /// When they are up.
    let instant: NIODeadline

    /// A deadline `seconds` from now.
    init(seconds: Int) {
        self.seconds = seconds
        self.instant = .now() + .seconds(Int64(seconds))
    }

    /// Runs `work`, unless the deadline passes first.
    ///
    /// - Throws: `failure` when the deadline passes first (after `work` was cancelled), or what `work` throws.
    func race<T: Sendable>(_ failure: ServiceError, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: .nanoseconds(max(0, (self.instant - .now()).nanoseconds)))
                throw failure
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// Runs blocking `work` on one of `threads`, throwing ``timedOut`` when the deadline passes first: work already
    /// under way then goes on to its end, its result dropped; work still waiting for a thread is skipped.
    func runBlocking<T: Sendable>(on threads: NIOThreadPool, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        let timedOut = self.timedOut
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let answer = Mutex<CheckedContinuation<T, any Error>?>(continuation)
            let timer = MultiThreadedEventLoopGroup.singleton.next().scheduleTask(deadline: self.instant) {
                answer.withLock { $0.take() }?.resume(throwing: timedOut)
            }
            threads.submit { state in
                // Answered already (the deadline passed while this waited for a thread): nothing to do.
                guard answer.withLock({ $0 != nil }) else { return }
                let result: Result<T, any Error> = state == .active
                    ? Result { try work() } : .failure(ServiceError.unavailable("the service is shutting down"))
                timer.cancel()
                answer.withLock { $0.take() }?.resume(with: result)
            }
        }
    }

    /// The error of work that did not finish in time.
    var timedOut: ServiceError {
        ServiceError(
            .serviceUnavailable, code: "timeout",
            message: "the request was not answered within \(self.seconds) s (limits.request_timeout_seconds); "
                + "narrow it or try again later",
            rule: "limits.request_timeout_seconds", retryAfter: 1)
    }

    /// The error of a body that did not arrive in time.
    var bodyTimedOut: ServiceError {
        ServiceError(
            .requestTimeout, code: "request_timeout",
            message: "the request body did not arrive within \(self.seconds) s (limits.request_timeout_seconds)")
    }
}

/// Gives each request its deadline, from the policy.
struct DeadlineMiddleware: RouterMiddleware {
    let seconds: Int

    func handle(
        _ request: Request, context: ServiceRequestContext,
        next: (Request, ServiceRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.deadline = RequestDeadline(seconds: self.seconds)
        return try await next(request, context)
    }
}
