public import CleanRoomAnalytics
public import CleanRoomAudit
public import CleanRoomCore
public import CleanRoomCrypto
public import CleanRoomIngest
public import CleanRoomStore
public import Hummingbird
public import Logging
internal import CleanRoomRights
internal import ServiceLifecycle
internal import UnixSignals
internal import Foundation
internal import NIOCore

/// The clean-room service (DESIGN.md sections 1 and 10): the routes of owners, partners and auditors over one
/// home's store, policy, keys and audit log, with authentication, roles and metrics.
///
/// Every route under `/v1` needs a principal's bearer token and allows only its roles; failed authentications
/// are audited and rate-limited. Answers go through the same ``Analyst`` as the command line, so every one is
/// audited before it leaves.
public struct CleanRoomService: Sendable {
    let store: Store
    let policy: Policy
    let segments: SegmentCatalog
    let keyring: Keyring
    let audit: AuditLog
    let auditDirectory: String
    let auditOrigin: String
    let analyst: Analyst
    let audiences: AudienceBook
    let identities: IdentityIndex
    let ingestor: Ingestor
    let tokens: PrincipalTokens
    let metrics = ServiceMetrics()
    let failures: RateLimiter
    let queries: RateLimiter

    /// A service over opened parts of a home. `auditDirectory` and `auditOrigin` are where and how `audit` keeps
    /// its entries (for the auditor's routes); `identities` is the identity index the ingest gateway and the rights
    /// desk share. A client that fails to authenticate `failedAuthenticationLimit` times within a minute is refused
    /// until the minute is over.
    public init(
        store: Store, policy: Policy, segments: SegmentCatalog, keyring: Keyring, audit: AuditLog,
        auditDirectory: String, auditOrigin: String, engine: CohortEngine, identities: IdentityIndex,
        tokens: PrincipalTokens, failedAuthenticationLimit: Int = 10
    ) throws {
        self.failures = RateLimiter(limit: failedAuthenticationLimit)
        self.queries = RateLimiter(limit: policy.limits.queriesPerMinute)
        self.identities = identities
        self.audiences = try AudienceBook(store: store, keyring: keyring, policy: policy, audit: audit)
        self.ingestor = try Ingestor(store: store, keyring: keyring, policy: policy, index: identities, audit: audit)
        self.store = store
        self.policy = policy
        self.segments = segments
        self.keyring = keyring
        self.audit = audit
        self.auditDirectory = auditDirectory
        self.auditOrigin = auditOrigin
        self.analyst = Analyst(engine: engine, store: store, policy: policy, segments: segments, audit: audit)
        self.tokens = tokens
    }

    /// The router of every route.
    public func router() -> Router<ServiceRequestContext> {
        let routes = Router(context: ServiceRequestContext.self)
        self.addRoutes(to: routes)
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: self.metrics))
        router.add(middleware: DeadlineMiddleware(seconds: self.policy.limits.requestTimeoutSeconds))
        router.add(middleware: RouteFallbackMiddleware(routes: routes.routes.map { route in
            let path = route.path.description
            return (path.hasPrefix("/") ? path : "/" + path, route.method)
        }))
        self.addRoutes(to: router)
        return router
    }

    private func addRoutes(to router: Router<ServiceRequestContext>) {
        self.addHealthRoutes(to: router)
        let v1 = router.group("v1").add(middleware: AuthenticationMiddleware(service: self))
        self.addAnalyticsRoutes(to: v1)
        self.addAuditRoutes(to: v1)
        self.addRightsRoutes(to: v1)
        self.addIngestRoutes(to: v1)
        self.addAudienceRoutes(to: v1)
    }

    /// Reads a request body of at most the policy's limit, before the request's deadline.
    func body(of request: Request, _ context: ServiceRequestContext) async throws -> ByteBuffer {
        let limit = self.policy.limits.requestBodyBytes
        let collect = { @Sendable () async throws -> ByteBuffer in
            var request = request
            do {
                return try await request.collectBody(upTo: limit)
            } catch is NIOTooManyBytesError {
                throw ServiceError(
                    .contentTooLarge, code: "too_large", message: "the request body is larger than \(limit) bytes")
            }
        }
        guard let deadline = context.deadline else { return try await collect() }
        return try await deadline.race(deadline.bodyTimedOut, collect)
    }

    /// Refuses unless the request's principal has one of `roles`; returns the principal.
    func require(_ roles: Set<Policy.Role>, _ context: ServiceRequestContext) throws -> Policy.Principal {
        guard let principal = context.principal else { throw ServiceError.unauthorized }
        guard roles.contains(principal.role) else { throw ServiceError.forbidden(role: principal.role.rawValue) }
        return principal
    }

    /// Counts a query of `principal` against the policy's queries per minute, refusing it (429, audited with the
    /// rule `limits.queries_per_minute`) when over.
    func admitQuery(_ principal: Policy.Principal, action: AuditAction) throws {
        if let wait = self.queries.retryAfter(for: principal.name) {
            do {
                try self.audit.append(AuditRecord(
                    principal: principal.name, role: principal.role.rawValue, action: action,
                    decision: .refused("limits.queries_per_minute"), policyDigest: self.policy.digest))
            } catch {
                throw ServiceError.unavailable("the refusal could not be audited")
            }
            throw ServiceError(
                .tooManyRequests, code: "too_many_queries",
                message: "at most \(self.policy.limits.queriesPerMinute) queries a minute; wait before the next",
                rule: "limits.queries_per_minute", retryAfter: wait)
        }
        self.queries.count(principal.name)
    }

    /// Appends an audit entry for a request that reads the audit log itself, or fails closed.
    func auditRead(_ principal: Policy.Principal, _ what: String) throws {
        do {
            try self.audit.append(AuditRecord(
                principal: principal.name, role: principal.role.rawValue, action: .auditRead,
                request: .object(["read": .string(what)]), decision: .allowed("role.auditor"),
                policyDigest: self.policy.digest))
        } catch {
            throw ServiceError.unavailable("the request could not be audited, so it is not answered")
        }
    }
}

extension CleanRoomService {
    /// Serves on `host`:`port` until SIGTERM or SIGINT, sweeping retention daily (the caller sweeps once before
    /// starting); in-flight requests finish before it returns. The caller then closes the audit log (its final
    /// checkpoint) and the store.
    public func serve(host: String, port: Int, logger: Logger) async throws {
        try await self.server(host: host, port: port, logger: logger).run()
    }

    /// The service's server on `host`:`port`, to run and stop in-process (``ServiceRunner``).
    public func server(host: String, port: Int, logger: Logger) -> ServiceRunner {
        let sweep = RetentionSweep(
            store: self.store, policy: self.policy, audit: self.audit, principal: ("service", "admin"))
        let app = Application(
            router: self.router(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "cleanroom"),
            logger: logger)
        return ServiceRunner(group: ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [app, RetentionService(sweep: sweep, interval: .seconds(86_400), logger: logger)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)))
    }
}

/// A running service that can also be stopped from inside the process, gracefully: in-flight requests finish.
public struct ServiceRunner: Sendable {
    let group: ServiceGroup

    /// Runs until SIGTERM, SIGINT or ``stop()``.
    public func run() async throws {
        try await self.group.run()
    }

    /// Stops the service gracefully.
    public func stop() async {
        await self.group.triggerGracefulShutdown()
    }
}
