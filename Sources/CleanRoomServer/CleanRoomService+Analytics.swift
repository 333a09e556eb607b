internal import CleanRoomAnalytics
internal import CleanRoomAudit
internal import CleanRoomCore
internal import Foundation
internal import Hummingbird
internal import NIOCore

extension CleanRoomService {
    /// `POST /v1/query`, `POST /v1/rules` and `GET /v1/segments`, for owners and partners.
    func addAnalyticsRoutes(to group: RouterGroup<ServiceRequestContext>) {
        group.post("query") { request, context in
            let principal = try self.require([.owner, .partner], context)
            try self.admitQuery(principal, action: .query)
            let body = Data(try await self.body(of: request, context).readableBytesView)
            let query: Query
            do throws(AnalyticsError) {
                query = try Query.decode(json: body)
            } catch {
                throw ServiceError(try self.refuse(error, principal: principal))
            }
            let answer = try await self.answer(context) { () throws(AnalyticsError) in
                try self.analyst.run(query, as: principal.name)
            }
            self.metrics.suppressed(cells: answer.suppressedCellCount)
            return Response.json(answer.json)
        }
        group.post("rules") { request, context in
            let principal = try self.require([.owner, .partner], context)
            try self.admitQuery(principal, action: .rules)
            let body = Data(try await self.body(of: request, context).readableBytesView)
            let rules: RulesRequest
            do throws(AnalyticsError) {
                rules = try RulesRequest.decode(json: body)
            } catch {
                throw ServiceError(try self.refuse(error, principal: principal))
            }
            let answer = try await self.answer(context) { () throws(AnalyticsError) in
                try self.analyst.rules(rules, as: principal.name)
            }
            return Response.json(answer.json)
        }
        group.get("segments") { _, context in
            let principal = try self.require([.owner, .partner], context)
            let segments = self.segments.segments.filter { principal.segments.contains($0.name) }
            return Response.json(.object([
                "segments": .array(segments.map { segment in
                    .object([
                        "name": .string(segment.name),
                        "description": segment.description.map(CanonicalJSON.string) ?? .null,
                        "where": .array(segment.conditions.map(\.canonicalJSON)),
                    ])
                })
            ]))
        }
    }

    /// Audits an unreadable request as refused, and returns the error to answer with.
    func refuse(_ error: AnalyticsError, principal: Policy.Principal) throws -> AnalyticsError {
        do {
            return try self.analyst.refuseUnreadable(error, as: principal.name)
        } catch {
            throw ServiceError(error)
        }
    }

    /// Runs an analytics request on a blocking thread (a scan and the audit's sync would hold an event loop; the
    /// analyst lets only as many scans run at once as there are cores) within the request's deadline, answering its
    /// errors in the service's error shape.
    func answer<Answer: Sendable>(
        _ context: ServiceRequestContext, _ body: @escaping @Sendable () throws(AnalyticsError) -> Answer
    ) async throws -> Answer {
        try await self.offThread(within: context.deadline) { () throws -> Answer in
            do throws(AnalyticsError) {
                return try body()
            } catch {
                throw ServiceError(error)
            }
        }
    }
}
