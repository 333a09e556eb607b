import CleanRoomAudit
import CleanRoomCore
import CleanRoomServer
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing

/// The service's routes, roles and errors.
struct ServiceRouteTests {
    /// Each authenticated route, with a request that succeeds for a role that may use it.
    static let routes: [(method: HTTPRequest.Method, uri: String, body: String?, roles: Set<Policy.Role>)] = [
        (.post, "/v1/audiences", String(repeating: "ab", count: 32) + "\n", [.partner]),
        (.get, "/v1/audiences", nil, [.partner]),
        (.delete, "/v1/audiences/nosuchaudience", nil, [.partner]),
        (.post, "/v1/audiences/nosuchaudience/overlap", nil, [.partner]),
        (.post, "/v1/query", #"{"purpose": "analytics", "groupBy": ["country"]}"#, [.owner]),
        (.post, "/v1/rules", #"{"purpose": "analytics", "minSupport": 0.1, "minConfidence": 0.5}"#, [.owner]),
        (.get, "/v1/segments", nil, [.owner, .partner]),
        (.get, "/v1/audit/entries?limit=5", nil, [.auditor]),
        (.get, "/v1/audit/checkpoint", nil, [.auditor]),
        (.get, "/v1/audit/proof/0", nil, [.auditor]),
        (.get, "/v1/audit/verify", nil, [.auditor]),
        (.post, "/v1/rights/withdraw", #"{"customer_id": "c-1", "purposes": ["analytics"]}"#, [.owner]),
        (.post, "/v1/rights/object", #"{"customer_id": "c-2", "purposes": ["fraud_prevention"]}"#, [.owner]),
        (.post, "/v1/rights/access", #"{"customer_id": "c-3"}"#, [.owner]),
        (.post, "/v1/rights/erase", #"{"customer_id": "c-4"}"#, [.owner]),
        (.get, "/v1/rights?open=true", nil, [.owner]),
        (.post, "/v1/ingest?kind=customers", #"{"type":"customer","customer_id":"c-99","attributes":{"country":"DE"}}"#,
         [.owner]),
    ]

    @Test func everyRouteAnswersOnlyItsRolesAndRefusesMissingOrInvalidTokens() async throws {
        let fixture = try ServiceFixture(failedAuthenticationLimit: 100)
        try await fixture.test { client in
            for route in Self.routes {
                let body = route.body.map { ByteBuffer(string: $0) }
                for role in Policy.Role.allCases {
                    let response = try await client.execute(
                        uri: route.uri, method: route.method, headers: fixture.headers(role), body: body)
                    // A partner may query, but not for the analytics purpose these bodies name: also 403. An allowed
                    // role gets its answer: created for an upload, not found for an audience nobody has.
                    let allowed: Set<HTTPResponse.Status> = [.ok, .created, .notFound]
                    #expect(
                        route.roles.contains(role) ? allowed.contains(response.status) : response.status == .forbidden,
                        "\(route.uri) as \(role): \(response.status) \(String(buffer: response.body))")
                }
                let none = try await client.execute(uri: route.uri, method: route.method, body: body)
                #expect(none.status == .unauthorized, "\(route.uri) without a token")
                #expect(none.error["code"] as? String == "unauthorized")
                let invalid = try await client.execute(
                    uri: route.uri, method: route.method,
                    headers: [.authorization: "Bearer crt_" + String(repeating: "0", count: 64)], body: body)
                #expect(invalid.status == .unauthorized, "\(route.uri) with a made-up token")
            }
        }
        let failures = try fixture.auditRecords().filter { $0.action == .authenticationFailure }
        #expect(failures.count == 2 * Self.routes.count)
        #expect(failures.allSatisfy { $0.decision == .refused("auth.invalid_token") })
    }

    @Test func aPartnerQueryIsAnsweredUnderThePrivacyContractAndAudited() async throws {
        let fixture = try ServiceFixture()
        try await fixture.test { client in
            let answer = try await client.execute(
                uri: "/v1/query", method: .post, headers: fixture.headers(.partner),
                body: ByteBuffer(string: #"{"purpose": "ads_measurement", "groupBy": ["country"]}"#))
            #expect(answer.status == .ok)
            let cells = answer.json["cells"] as? [[String: Any]] ?? []
            #expect(cells.first { $0["country"] as? String == "DE" }?["people"] as? Int == 20)
            #expect(cells.first { $0["country"] as? String == "LU" }?["suppressed"] as? Bool == true)
            #expect(answer.json["audit_sequence"] is Int)

            let forbidden = try await client.execute(
                uri: "/v1/query", method: .post, headers: fixture.headers(.partner),
                body: ByteBuffer(string: #"{"purpose": "ads_measurement", "groupBy": ["city"]}"#))
            #expect(forbidden.status == .forbidden)
            #expect(forbidden.error["rule"] as? String == "principal.dimension")

            let malformed = try await client.execute(
                uri: "/v1/query", method: .post, headers: fixture.headers(.partner),
                body: ByteBuffer(string: #"{"purpose": "ads_measurement", "metrics": ["pepole"]}"#))
            #expect(malformed.status == .badRequest)
            #expect(malformed.error["field"] as? String == "metrics")
        }
        let decisions = try fixture.auditRecords().filter { $0.action == .query }.map(\.decision)
        #expect(decisions == [
            .allowed("privacy.contract_met"), .refused("principal.dimension"), .refused("query.invalid"),
        ])
    }

    @Test func healthReadinessAndMetricsNeedNoToken() async throws {
        let fixture = try ServiceFixture()
        try await fixture.test { client in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            #expect(ready.json["policy_digest"] as? String == fixture.policy.digest)
            _ = try await client.execute(uri: "/v1/segments", method: .get)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            let text = String(buffer: metrics.body)
            #expect(text.contains("cleanroom_http_requests_total"))
            #expect(text.contains("cleanroom_authentication_failures_total 1"))
        }
    }

    @Test func readinessFailsClosedWhenTheAuditLogCannotBeWritten() async throws {
        let fixture = try ServiceFixture()
        try fixture.audit.close()
        try await fixture.test { client in
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .serviceUnavailable)
            let query = try await client.execute(
                uri: "/v1/query", method: .post, headers: fixture.headers(.owner),
                body: ByteBuffer(string: #"{"purpose": "analytics"}"#))
            #expect(query.status == .serviceUnavailable)
        }
    }

    @Test func repeatedFailedAuthenticationIsSlowedDown() async throws {
        let fixture = try ServiceFixture()
        try await fixture.test { client in
            for _ in 0..<10 {
                let response = try await client.execute(
                    uri: "/v1/segments", method: .get, headers: [.authorization: "Bearer guess"])
                #expect(response.status == .unauthorized)
            }
            let limited = try await client.execute(uri: "/v1/segments", method: .get, headers: fixture.headers(.owner))
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
        }
    }

    @Test func theAuditorsRoutesReadProveAndVerifyTheLog() async throws {
        let fixture = try ServiceFixture()
        try await fixture.test { client in
            let entries = try await client.execute(
                uri: "/v1/audit/entries?from=0&limit=2", method: .get, headers: fixture.headers(.auditor))
            #expect((entries.json["entries"] as? [Any])?.count == 2)
            let proof = try await client.execute(uri: "/v1/audit/proof/1", method: .get, headers: fixture.headers(.auditor))
            #expect(proof.json["proof"] is [String])
            let verify = try await client.execute(uri: "/v1/audit/verify", method: .get, headers: fixture.headers(.auditor))
            #expect(verify.json["verified"] as? Bool == true)
            let missing = try await client.execute(
                uri: "/v1/audit/proof/99999", method: .get, headers: fixture.headers(.auditor))
            #expect(missing.status == .notFound)
        }
        #expect(try fixture.auditRecords().filter { $0.action == .auditRead }.count == 4)
    }
}

/// The owner's routes change what the next query counts.
struct OwnerRouteTests {
    func people(_ client: any TestClientProtocol, _ fixture: ServiceFixture) async throws -> Int? {
        let answer = try await client.execute(
            uri: "/v1/query", method: .post, headers: fixture.headers(.owner),
            body: ByteBuffer(string: #"{"purpose": "analytics"}"#))
        return (answer.json["total"] as? [String: Any])?["people"] as? Int
    }

    @Test func ingestWithdrawalAndErasureReachTheNextQuery() async throws {
        let fixture = try ServiceFixture(exemptOwner: true)
        try await fixture.test { client in
            #expect(try await self.people(client, fixture) == 30)
            let lines = (100..<110).map { person in
                #"{"type":"customer","customer_id":"c-\#(person)","attributes":{"country":"DE"},"#
                    + #""consent":{"analytics":true},"consent_at":"2026-01-01T00:00:00Z"}"#
            }.joined(separator: "\n")
            let headers = fixture.headers(.owner) + [HTTPField(name: HTTPField.Name("Idempotency-Key")!, value: "crm-2026-11-25")]
            let ingest = try await client.execute(
                uri: "/v1/ingest", method: .post, headers: headers, body: ByteBuffer(string: lines + "\n{not json}\n"))
            #expect(ingest.status == .ok)
            #expect(ingest.json["accepted"] as? Int == 10)
            #expect((ingest.json["rejects"] as? [[String: Any]])?.first?["reason"] as? String == "malformed_json")
            #expect(try await self.people(client, fixture) == 40)
            let replay = try await client.execute(
                uri: "/v1/ingest", method: .post, headers: headers, body: ByteBuffer(string: lines + "\n{not json}\n"))
            #expect(replay.status == .conflict)
            #expect(replay.error["code"] as? String == "already_ingested")

            let withdraw = try await client.execute(
                uri: "/v1/rights/withdraw", method: .post, headers: fixture.headers(.owner),
                body: ByteBuffer(string: #"{"customer_id": "c-100", "purposes": ["analytics"]}"#))
            #expect(withdraw.json["outcome"] as? String == "withdrawn")
            #expect(try await self.people(client, fixture) == 39)

            let access = try await client.execute(
                uri: "/v1/rights/access", method: .post, headers: fixture.headers(.owner),
                body: ByteBuffer(string: #"{"customer_id": "c-101"}"#))
            #expect(access.status == .ok)
            #expect(String(buffer: access.body).contains("c-101"))

            let erase = try await client.execute(
                uri: "/v1/rights/erase", method: .post, headers: fixture.headers(.owner),
                body: ByteBuffer(string: #"{"customer_id": "c-102"}"#))
            #expect(erase.json["outcome"] as? String == "erased")
            #expect(!String(buffer: erase.body).contains("c-102"))
            #expect(try await self.people(client, fixture) == 38)

            let unknown = try await client.execute(
                uri: "/v1/rights/erase", method: .post, headers: fixture.headers(.owner),
                body: ByteBuffer(string: #"{"customer_id": "c-404"}"#))
            #expect(unknown.json["outcome"] as? String == "no_data_held")
            let bad = try await client.execute(
                uri: "/v1/rights/withdraw", method: .post, headers: fixture.headers(.owner),
                body: ByteBuffer(string: #"{"customer_id": "c-103"}"#))
            #expect(bad.status == .badRequest)
            #expect(bad.error["field"] as? String == "purposes")
        }
    }
}

/// Requests no route takes.
struct RouteFallbackTests {
    @Test func anUnknownPathIs404AndAKnownPathUnderAnotherMethodIs405WithAllow() async throws {
        let fixture = try ServiceFixture()
        try await fixture.test { client in
            let missing = try await client.execute(uri: "/v1/nothing", method: .get, headers: fixture.headers(.owner))
            #expect(missing.status == .notFound)
            #expect(missing.error["code"] as? String == "not_found")
            let wrong = try await client.execute(uri: "/v1/query", method: .get, headers: fixture.headers(.owner))
            #expect(wrong.status == .methodNotAllowed)
            #expect(wrong.headers[.allow] == "POST")
            let parameter = try await client.execute(uri: "/v1/audit/proof/3", method: .delete)
            #expect(parameter.status == .methodNotAllowed)
            #expect(parameter.headers[.allow] == "GET")
        }
    }
}

/// The policy's limits.
struct LimitTests {
    @Test func aPrincipalOverItsQueriesPerMinuteIsToldToWaitAndTheRefusalIsAudited() async throws {
        let fixture = try ServiceFixture(queriesPerMinute: 3)
        try await fixture.test { client in
            for expected in [HTTPResponse.Status.ok, .ok, .ok, .tooManyRequests] {
                let response = try await client.execute(
                    uri: "/v1/query", method: .post, headers: fixture.headers(.owner),
                    body: ByteBuffer(string: #"{"purpose": "analytics"}"#))
                #expect(response.status == expected)
                if expected == .tooManyRequests {
                    #expect(response.error["rule"] as? String == "limits.queries_per_minute")
                    #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 0)
                }
            }
            // Another principal has its own allowance.
            let partner = try await client.execute(
                uri: "/v1/query", method: .post, headers: fixture.headers(.partner),
                body: ByteBuffer(string: #"{"purpose": "ads_measurement"}"#))
            #expect(partner.status == .ok)
        }
        #expect(try fixture.auditRecords().contains { $0.decision == .refused("limits.queries_per_minute") })
    }

    @Test func aBodyOverThePolicysSizeIsRefused() async throws {
        let fixture = try ServiceFixture(requestBodyBytes: 100)
        try await fixture.test { client in
            let response = try await client.execute(
                uri: "/v1/query", method: .post, headers: fixture.headers(.owner),
                body: ByteBuffer(string: #"{"purpose": "analytics", "metrics": ["people"]"# + String(repeating: " ", count: 200) + "}"))
            #expect(response.status == .contentTooLarge)
        }
    }
}

/// Partner audiences over HTTP: the issue's probes.
struct AudienceRouteTests {
    @Test func decoysAroundOneTargetAndOtherNormalizationProfilesLearnNothingOverHTTP() async throws {
        let fixture = try ServiceFixture()
        // Gmail addresses with dots and a +tag: each e-mail profile gives another hash of the same person.
        let numbers = 1...12
        try fixture.ingestEmails(numbers.map { "Anna.Berg\($0)+shop@gmail.com" })
        let basic = { @Sendable (number: Int) in MatchHash(normalized: "anna.berg\(number)+shop@gmail.com").hex }
        let google = { @Sendable (number: Int) in MatchHash(normalized: "annaberg\(number)@gmail.com").hex }
        let gmailDots = { @Sendable (number: Int) in MatchHash(normalized: "annaberg\(number)+shop@gmail.com").hex }
        let decoys = (1...4).map { MatchHash(normalized: "decoy-\($0)-\(UUID().uuidString)@example.com").hex }
        try await fixture.test { client in
            let partner = fixture.headers(.partner)
            func overlap(_ hashes: [String]) async throws -> TestResponse {
                let upload = try await client.execute(
                    uri: "/v1/audiences", method: .post, headers: partner,
                    body: ByteBuffer(string: hashes.joined(separator: "\n") + "\n"))
                let id = try #require(upload.json["id"] as? String)
                return try await client.execute(uri: "/v1/audiences/\(id)/overlap", method: .post, headers: partner)
            }
            func total(_ response: TestResponse) -> [String: Any] { response.json["total"] as? [String: Any] ?? [:] }
            // k − 1 decoys and one target: suppressed, whether the target matches or not.
            #expect(total(try await overlap(decoys + [basic(7)]))["suppressed"] as? Bool == true)
            #expect(total(try await overlap(decoys + [basic(99)]))["suppressed"] as? Bool == true)
            // The target under every profile is still one person: the decoys do not reach k with it.
            #expect(total(try await overlap(decoys + [basic(7), google(7), gmailDots(7)]))["suppressed"] as? Bool
                == true)
            // The whole list under one profile, then under another: the same 12 people, so the same answer.
            #expect(total(try await overlap(numbers.map(google)))["people"] as? Int == 12)
            #expect(total(try await overlap(numbers.map(basic)))["people"] as? Int == 12)
            // Under another profile without one person: refused by the differencing guard.
            let refused = try await overlap(numbers.dropLast().map(gmailDots))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.error["rule"] as? String == "privacy.differencing_guard")
        }
    }

    @Test func uploadsListOverlapAndTheDifferencingGuardOverHTTP() async throws {
        let fixture = try ServiceFixture()
        try fixture.ingestEmails(count: 12)
        try await fixture.test { client in
            let partner = fixture.headers(.partner)
            let all = (1...12).map { ServiceFixture.emailHash($0) }.joined(separator: "\n")
            let upload = try await client.execute(
                uri: "/v1/audiences", method: .post, headers: partner, body: ByteBuffer(string: all + "\n"))
            #expect(upload.status == .created)
            let id = try #require(upload.json["id"] as? String)
            #expect(!String(buffer: upload.body).contains(ServiceFixture.emailHash(1)))
            let listed = try await client.execute(uri: "/v1/audiences", method: .get, headers: partner)
            #expect((listed.json["audiences"] as? [[String: Any]])?.first?["id"] as? String == id)

            let overlap = try await client.execute(uri: "/v1/audiences/\(id)/overlap", method: .post, headers: partner)
            #expect(overlap.status == .ok)
            #expect((overlap.json["total"] as? [String: Any])?["people"] as? Int == 12)

            // One hash alone: suppressed, never 0 or 1.
            let one = try await client.execute(
                uri: "/v1/audiences", method: .post, headers: partner,
                body: ByteBuffer(string: ServiceFixture.emailHash(1) + "\n"))
            let oneID = try #require(one.json["id"] as? String)
            let single = try await client.execute(uri: "/v1/audiences/\(oneID)/overlap", method: .post, headers: partner)
            #expect((single.json["total"] as? [String: Any])?["suppressed"] as? Bool == true)

            // The same list without one hash: refused by the differencing guard.
            let minusOne = (2...12).map { ServiceFixture.emailHash($0) }.joined(separator: "\n")
            let second = try await client.execute(
                uri: "/v1/audiences", method: .post, headers: partner, body: ByteBuffer(string: minusOne + "\n"))
            let secondID = try #require(second.json["id"] as? String)
            let refused = try await client.execute(
                uri: "/v1/audiences/\(secondID)/overlap", method: .post, headers: partner)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.error["rule"] as? String == "privacy.differencing_guard")

            // Deleted: gone for its partner.
            #expect(try await client.execute(uri: "/v1/audiences/\(id)", method: .delete, headers: partner).status
                == .noContent)
            #expect(try await client.execute(uri: "/v1/audiences/\(id)/overlap", method: .post, headers: partner).status
                == .notFound)
        }
    }
}
