internal import CleanRoomCore
internal import CleanRoomRights
internal import CleanRoomStore
internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

extension CleanRoomService {
    /// The owner's rights routes: `POST /v1/rights/{withdraw|object|access|erase}` with the person's identifier,
    /// and `GET /v1/rights?open=true&overdue=true`. The body names the person by one identifier
    /// (`{"email": …}`, `phone` with an optional `region`, `device_id` or `customer_id`) and, to withdraw or object,
    /// `"purposes": [...]` or `"all": true`. Answers never repeat the identifier; an access request answers the
    /// export itself (the person's own data, for the owner to deliver).
    func addRightsRoutes(to group: RouterGroup<ServiceRequestContext>) {
        let rights = group.group("rights")
        for kind in ["withdraw", "object", "access", "erase"] {
            rights.post(RouterPath(kind)) { request, context in
                let principal = try self.require([.owner], context)
                let fields = try self.jsonObject(try await self.body(of: request, context))
                let person = try Self.person(in: fields)
                let desk = try self.desk(for: principal)
                let outcome: RightsDesk.Outcome
                do {
                    switch kind {
                    case "withdraw": outcome = try desk.withdraw(person, purposes: try Self.purposes(in: fields))
                    case "object": outcome = try desk.object(person, purposes: try Self.purposes(in: fields))
                    case "erase": outcome = try desk.erase(person)
                    default:
                        let (accessed, export) = try desk.access(person)
                        if let export {
                            return Response(
                                status: .ok,
                                headers: [
                                    .contentType: "application/json",
                                    HTTPField.Name("CleanRoom-Request")!: accessed.request.description,
                                    HTTPField.Name("CleanRoom-Audit-Sequence")!: String(accessed.auditSequence),
                                ],
                                body: ResponseBody(byteBuffer: ByteBuffer(bytes: export)))
                        }
                        outcome = accessed
                    }
                } catch let error as RightsError {
                    throw ServiceError(error)
                }
                return Response.json(.object([
                    "request": .integer(Int(outcome.request.rawValue)), "outcome": .string(outcome.outcome),
                    "purposes": .array(outcome.purposes.map(CanonicalJSON.string)),
                    "audit_sequence": .integer(outcome.auditSequence),
                ]))
            }
        }
        rights.get { request, context in
            let principal = try self.require([.owner], context)
            let open = try Self.flag(request, "open")
            let overdue = try Self.flag(request, "overdue")
            let requests = try self.desk(for: principal).requests(openOnly: open, overdueAt: overdue ? Date() : nil)
            let time = { (date: Date?) in date.map { CanonicalJSON.string($0.formatted(.iso8601)) } ?? .null }
            return Response.json(.object([
                "requests": .array(requests.map { request in
                    .object([
                        "request": .integer(Int(request.id.rawValue)), "kind": .string(request.kind.rawValue),
                        "received_at": time(request.receivedAt), "deadline": time(request.deadline),
                        "completed_at": time(request.completedAt),
                        "outcome": request.outcome.map(CanonicalJSON.string) ?? .null,
                    ])
                })
            ]))
        }
    }

    /// A `true`/`false` query parameter, `false` when absent.
    private static func flag(_ request: Request, _ name: String) throws -> Bool {
        switch request.uri.queryParameters.get(name) {
        case nil, "false": return false
        case "true": return true
        default: throw ServiceError.badRequest("\(name) is true or false", field: name)
        }
    }

    /// The rights desk answering for `principal`.
    private func desk(for principal: Policy.Principal) throws -> RightsDesk {
        try RightsDesk(
            store: self.store, keyring: self.keyring, policy: self.policy, index: self.identities, audit: self.audit,
            principal: (principal.name, principal.role.rawValue))
    }

    /// A JSON object body.
    func jsonObject(_ body: ByteBuffer) throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        else {
            throw ServiceError.badRequest("the body is a JSON object")
        }
        return object
    }

    /// The person named by the body's one identifier field.
    private static func person(in fields: [String: Any]) throws -> PersonIdentifier {
        let kinds: [(String, IdentifierKind)] = [
            ("email", .email), ("phone", .phone), ("device_id", .deviceID), ("customer_id", .customerID),
        ]
        let given = kinds.filter { fields[$0.0] != nil }
        guard given.count == 1, let (field, kind) = given.first else {
            throw ServiceError.badRequest(
                "name the person by exactly one of email, phone, device_id, customer_id", field: "identifier")
        }
        guard let value = fields[field] as? String else {
            throw ServiceError.badRequest("the identifier is a string", field: field)
        }
        return PersonIdentifier(kind: kind, value: value, region: fields["region"] as? String)
    }

    /// The purposes a withdrawal or objection names: a list, or `nil` for `"all": true`.
    private static func purposes(in fields: [String: Any]) throws -> [String]? {
        if fields["all"] as? Bool == true { return nil }
        guard let purposes = fields["purposes"] as? [String], !purposes.isEmpty else {
            throw ServiceError.badRequest("name the purposes (\"purposes\": [...]) or \"all\": true", field: "purposes")
        }
        return purposes
    }
}

extension ServiceError {
    /// The HTTP form of a rights error: bad input is 400; an erasure done but not yet cleared from the write-ahead
    /// log is 503, its message saying so.
    init(_ error: RightsError) {
        switch error.code {
        case .checkpointPending:
            self.init(.serviceUnavailable, code: error.code.rawValue, message: error.message)
        case .unknownPurpose, .notConsentBased:
            self.init(.badRequest, code: error.code.rawValue, message: error.message, field: "purposes")
        default:
            self.init(.badRequest, code: error.code.rawValue, message: error.message, field: "identifier")
        }
    }
}
