internal import CleanRoomAudit
internal import CleanRoomCore
internal import Hummingbird
internal import Foundation
internal import NIOCore

extension CleanRoomService {
    /// `/healthz` (the process answers), `/readyz` (the policy is loaded and the audit log accepts entries, so
    /// requests can be answered; 503 otherwise), `/metrics` (Prometheus text) and `/openapi.yaml` (the API's
    /// description). None needs a token.
    func addHealthRoutes(to router: Router<ServiceRequestContext>) {
        router.get("healthz") { _, _ in
            Response.json(.object(["status": .string("ok")]))
        }
        router.get("readyz") { _, _ in
            guard self.audit.isWritable else {
                throw ServiceError.unavailable("the audit log cannot be written, so nothing is answered")
            }
            return Response.json(.object([
                "status": .string("ready"), "policy_digest": .string(self.policy.digest),
                "audit_entries": .integer(self.audit.size),
            ]))
        }
        router.get("openapi.yaml") { _, _ in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
                let document = FileManager.default.contents(atPath: url.path)
            else {
                throw ServiceError.unavailable("the OpenAPI document is missing from this build")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/yaml"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: document)))
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: self.metrics.text)))
        }
    }
}
