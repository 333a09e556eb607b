public import CleanRoomAnalytics
public import Hummingbird
internal import CleanRoomCore
internal import Foundation

/// An error answered to a client, in the service's one error shape (DESIGN.md section 10):
/// `{"error": {"code": …, "message": …, "field": …, "rule": …}}`, with the HTTP status of its kind.
///
/// Messages say what was wrong and what to do; none names a person, an identifier, a hash or a pseudonym.
public struct ServiceError: HTTPResponseError, Sendable, Equatable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// What went wrong, for programs (`invalid_query`, `unauthorized`, `refused`, …).
    public var code: String
    /// What went wrong and what to do.
    public var message: String
    /// The request field at fault, for bad input.
    public var field: String?
    /// The policy or privacy rule that refused the request.
    public var rule: String?
    /// Seconds to wait before retrying, for 429.
    public var retryAfter: Int?
    /// The methods the path answers, for 405.
    public var allow: String?

    /// An error with its status, code and message.
    public init(
        _ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, rule: String? = nil,
        retryAfter: Int? = nil, allow: String? = nil
    ) {
        self.allow = allow
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.rule = rule
        self.retryAfter = retryAfter
    }

    /// The HTTP form of an analytics error: 400 bad input, 403 not allowed, 404 no such audience, 422 refused by the
    /// privacy contract, 503 when the answer could not be audited (fail closed).
    public init(_ error: AnalyticsError) {
        let status: HTTPResponse.Status =
            switch error.code {
            case .invalidQuery, .invalidSegments: .badRequest
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .refused: .unprocessableContent
            default: .serviceUnavailable
            }
        self.init(status, code: error.code.rawValue, message: error.message, field: error.field, rule: error.rule)
    }

    static let unauthorized = ServiceError(
        .unauthorized, code: "unauthorized",
        message: "send the principal's bearer token in the Authorization header (cleanroom principal add issues one)")

    static func forbidden(role: String) -> ServiceError {
        ServiceError(
            .forbidden, code: "forbidden", message: "this route is not open to the role \(role)", rule: "role.route")
    }

    static func badRequest(_ message: String, field: String? = nil) -> ServiceError {
        ServiceError(.badRequest, code: "invalid_request", message: message, field: field)
    }

    static func unavailable(_ message: String) -> ServiceError {
        ServiceError(.serviceUnavailable, code: "unavailable", message: message)
    }

    /// The error's JSON body.
    var json: CanonicalJSON {
        var error: [String: CanonicalJSON] = ["code": .string(self.code), "message": .string(self.message)]
        error["field"] = self.field.map(CanonicalJSON.string)
        error["rule"] = self.rule.map(CanonicalJSON.string)
        return .object(["error": .object(error)])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = Response.json(self.json, status: self.status)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        if let allow { response.headers[.allow] = allow }
        return response
    }
}

extension Response {
    /// A JSON response of canonical JSON text.
    static func json(_ value: CanonicalJSON, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.text + "\n")))
    }
}
