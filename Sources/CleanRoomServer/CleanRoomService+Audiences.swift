internal import CleanRoomAnalytics
internal import CleanRoomAudit
internal import CleanRoomCore
internal import Foundation
internal import Hummingbird
internal import NIOCore

extension CleanRoomService {
    /// A partner's audiences: `POST /v1/audiences` (one SHA-256 hex per line, or a Customer Match CSV with hashed
    /// `Email`/`Phone` columns), `GET /v1/audiences`, `DELETE /v1/audiences/{id}`, and
    /// `POST /v1/audiences/{id}/overlap` with an optional query body (purpose `partner_matching`, a breakdown by
    /// allowed dimensions or segments). Lists are kept only as pseudonyms and never returned; a partner sees only
    /// its own, and an overlap is a query answer under the whole privacy contract.
    func addAudienceRoutes(to group: RouterGroup<ServiceRequestContext>) {
        let audiences = group.group("audiences")
        audiences.post { request, context in
            let principal = try self.require([.partner], context)
            let body = Data(try await self.body(of: request, context).readableBytesView)
            let summary = try await self.offThread(within: context.deadline) { () throws -> AudienceSummary in
                do throws(AudienceError) {
                    return try self.audiences.upload(body, as: principal.name)
                } catch {
                    throw ServiceError(error)
                }
            }
            return Response.json(summary.json, status: .created)
        }
        audiences.get { _, context in
            let principal = try self.require([.partner], context)
            do throws(AudienceError) {
                let listed = try self.audiences.audiences(of: principal.name)
                return Response.json(.object(["audiences": .array(listed.map(\.json))]))
            } catch {
                throw ServiceError(error)
            }
        }
        audiences.delete("{id}") { _, context in
            let principal = try self.require([.partner], context)
            do throws(AudienceError) {
                try self.audiences.delete(context.parameters.get("id") ?? "", as: principal.name)
            } catch {
                throw ServiceError(error)
            }
            return Response(status: .noContent)
        }
        audiences.post("{id}/overlap") { request, context in
            let principal = try self.require([.partner], context)
            try self.admitQuery(principal, action: .audienceOverlap)
            let body = try await self.body(of: request, context)
            let query: Query
            do throws(AnalyticsError) {
                query = body.readableBytes == 0
                    ? Query(purpose: AudienceBook.purpose) : try Query.decode(json: Data(body.readableBytesView))
            } catch {
                throw ServiceError(try self.refuse(error, principal: principal))
            }
            let id = context.parameters.get("id") ?? ""
            let answer = try await self.answer(context) { () throws(AnalyticsError) in
                try self.analyst.overlap(audience: id, in: self.audiences, query: query, as: principal.name)
            }
            self.metrics.suppressed(cells: answer.suppressedCellCount)
            return Response.json(answer.json)
        }
    }
}

extension ServiceError {
    /// The HTTP form of an audience error.
    init(_ error: AudienceError) {
        let status: HTTPResponse.Status =
            switch error.code {
            case .invalidUpload: .badRequest
            case .tooManyHashes: .contentTooLarge
            case .forbidden: .forbidden
            case .notFound: .notFound
            default: .serviceUnavailable
            }
        self.init(status, code: error.code.rawValue, message: error.message, rule: error.rule)
    }
}
