import CleanRoomServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Yams

/// `openapi.yaml` describes exactly the routes the service has, and the service serves it.
struct OpenAPITests {
    static let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("openapi.yaml")

    /// Each operation of the document, as "METHOD /path/{parameter}".
    func documentedOperations() throws -> Set<String> {
        let text = try String(contentsOf: Self.document, encoding: .utf8)
        let root = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect(root["openapi"] as? String == "3.1.0")
        let paths = try #require(root["paths"] as? [String: [String: Any]])
        return Set(paths.flatMap { path, operations in
            operations.keys.map { "\($0.uppercased()) \(path)" }
        })
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws {
        let fixture = try ServiceFixture()
        let routes = Set(fixture.service.router().routes.map { route in
            // Hummingbird writes a captured parameter as {name}, as OpenAPI does; its paths may lack a leading slash.
            let path = route.path.description
            return "\(route.method.rawValue) \(path.hasPrefix("/") ? path : "/" + path)"
        })
        let documented = try self.documentedOperations()
        #expect(routes.count == 21)
        #expect(routes.subtracting(documented).isEmpty, "undocumented: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "documented, not served: \(documented.subtracting(routes).sorted())")
    }

    @Test func theServiceServesTheDocument() async throws {
        let fixture = try ServiceFixture()
        let expected = try Data(contentsOf: Self.document)
        try await fixture.test { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(Data(response.body.readableBytesView) == expected)
        }
    }
}
