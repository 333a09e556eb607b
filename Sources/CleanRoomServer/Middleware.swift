internal import CleanRoomAudit
internal import CleanRoomCore
internal import Logging
internal import Hummingbird
internal import Foundation
internal import NIOCore

/// Authenticates `/v1` requests by bearer token; a failure is audited, counted, rate-limited per client and
/// answered 401 (or 429 once a client has failed too often).
struct AuthenticationMiddleware: RouterMiddleware {
    let service: CleanRoomService

    func handle(
        _ request: Request, context: ServiceRequestContext,
        next: (Request, ServiceRequestContext) async throws -> Response
    ) async throws -> Response {
        let client = context.client
        let header = request.headers[.authorization] ?? ""
        let token = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : ""
        // Only a presented token can be a guess: a client that failed too often is held off before its next one
        // is even checked, while a request without credentials is simply told to bring them.
        if !header.isEmpty, let wait = self.service.failures.retryAfter(for: client) {
            throw ServiceError(
                .tooManyRequests, code: "too_many_failures",
                message: "too many failed authentications from this client; wait before trying again",
                retryAfter: wait)
        }
        guard let principal = self.service.tokens.principal(for: token) else {
            if !header.isEmpty { self.service.failures.count(client) }
            self.service.metrics.failedAuthentication()
            do {
                try self.service.audit.append(AuditRecord(
                    principal: "anonymous", role: "none", action: .authenticationFailure,
                    request: .object([
                        "route": .string(context.endpointPath ?? "unmatched"),
                        "credentials": .string(header.isEmpty ? "none" : "invalid"),
                    ]),
                    decision: .refused("auth.invalid_token"), policyDigest: self.service.policy.digest))
            } catch {
                throw ServiceError.unavailable("the failed authentication could not be audited")
            }
            throw ServiceError.unauthorized
        }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }
}

/// Counts every request and its latency by route and status, and logs it (route pattern, status, milliseconds:
/// never a path's values, a body or a token).
struct MetricsMiddleware: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(
        _ request: Request, context: ServiceRequestContext,
        next: (Request, ServiceRequestContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            self.record(context, status: response.status.code, since: started)
            return response
        } catch let error as any HTTPResponseError {
            self.record(context, status: error.status.code, since: started)
            if let refusal = error as? ServiceError, let rule = refusal.rule { self.metrics.refusal(rule: rule) }
            throw error
        } catch {
            self.record(context, status: 500, since: started)
            throw error
        }
    }

    private func record(_ context: ServiceRequestContext, status: Int, since started: ContinuousClock.Instant) {
        let route = context.endpointPath ?? "unmatched"
        let duration = ContinuousClock.now - started
        self.metrics.request(route: route, status: status, duration: duration)
        context.logger.info(
            "request",
            metadata: [
                "route": "\(route)", "status": "\(status)", "ms": "\(duration / .milliseconds(1))",
            ])
    }
}

/// Answers requests no route takes in the service's error shape: 405 with `Allow` when the path exists under other
/// methods, 404 otherwise.
struct RouteFallbackMiddleware: RouterMiddleware {
    /// Each route's path as components (`nil` for a `{parameter}`), with the methods it answers.
    let routes: [(components: [Substring?], methods: [HTTPRequest.Method])]

    init(routes: [(path: String, method: HTTPRequest.Method)]) {
        var byPath: [String: [HTTPRequest.Method]] = [:]
        for route in routes { byPath[route.path, default: []].append(route.method) }
        self.routes = byPath.map { path, methods in
            (path.split(separator: "/").map { $0.hasPrefix("{") ? nil : $0 }, methods)
        }
    }

    func handle(
        _ request: Request, context: ServiceRequestContext,
        next: (Request, ServiceRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let components = request.uri.path.split(separator: "/")
            let methods = self.routes.filter { route in
                route.components.count == components.count
                    && zip(route.components, components).allSatisfy { $0 == nil || $0 == $1 }
            }.flatMap(\.methods)
            guard !methods.isEmpty else {
                throw ServiceError(.notFound, code: "not_found", message: "no route has this path; see /openapi.yaml")
            }
            throw ServiceError(
                .methodNotAllowed, code: "method_not_allowed",
                message: "this path answers \(methods.map(\.rawValue).sorted().joined(separator: ", ")) only",
                allow: methods.map(\.rawValue).sorted().joined(separator: ", "))
        }
    }
}
