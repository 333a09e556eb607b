internal import CleanRoomAudit
internal import CleanRoomCore
public import Hummingbird
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
        if let wait = self.service.failures.retryAfter(for: client) {
            throw ServiceError(
                .tooManyRequests, code: "too_many_failures",
                message: "too many failed authentications from this client; wait before trying again",
                retryAfter: wait)
        }
        let header = request.headers[.authorization] ?? ""
        let token = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : ""
        guard let principal = self.service.tokens.principal(for: token) else {
            self.service.failures.fail(client)
            self.service.metrics.failedAuthentication()
            do {
                try self.service.audit.append(AuditRecord(
                    principal: "anonymous", role: "none", action: .authenticationFailure,
                    request: .object([
                        "route": .string(request.uri.path),
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

/// Counts every request and its latency by route and status.
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
        self.metrics.request(
            route: context.endpointPath ?? "unmatched", status: status, duration: ContinuousClock.now - started)
    }
}
