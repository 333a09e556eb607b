import CleanRoomCore
import CleanRoomCrypto
import Foundation
import Testing

struct PolicyDigestTests {
    private func load(_ yaml: String) throws -> Policy {
        try PolicyLoader.load(yaml: yaml, fileName: "test.yaml")
    }

    /// The canonical form is pinned: it feeds the digest in every audit entry, so a change must be deliberate.
    @Test func canonicalJSONHasSortedKeysDefaultsAndNoWhiteSpace() throws {
        let policy = try self.load(PolicyTestSupport.minimal)
        let expected = #"""
            {"audiences":{"retention":"P30D"},"audit":{"checkpoint_every":1000},"controller":{"name":"Test Shop"},\#
            "identifiers":{"default_region":"DE","email_profiles":["basic","gmail_dots","google","uid2"],\#
            "phone_forms":["digits","e164"]},"limits":{"queries_per_minute":120,"request_body_bytes":67108864,\#
            "request_timeout_seconds":30,"rows_per_batch":10000},"principals":[{"dimensions":["country"],\#
            "metrics":["people"],"name":"publisher-a","partner":"Publisher A","purposes":["analytics"],\#
            "role":"partner","segments":[]}],"privacy":{"differencing_guard_exempt":[],"k":10},\#
            "purposes":[{"consent_signal":"analytics","description":"Aggregate statistics.",\#
            "direct_marketing":false,"lawful_basis":"consent","name":"analytics","tcf_purposes":[]},\#
            {"consent_signal":"fraud_prevention","description":"Fraud patterns.","direct_marketing":false,\#
            "lawful_basis":"legitimate_interest","name":"fraud_prevention","tcf_purposes":[]}],\#
            "rights":{"deadline":"P1M"},"schema":{"attributes":[{"category":"profile","name":"country",\#
            "quasi_identifier":false,"type":"enum","values":["DE","FR"]}],"categories":[{"name":"profile",\#
            "retention":"P2Y"}],"events":[{"amount":true,"category":"profile","items":false,"name":"purchase"}]},\#
            "version":1}
            """#
        #expect(policy.canonicalJSON == expected)
    }

    @Test func digestIsLowercaseHexSHA256OfTheCanonicalJSON() throws {
        let policy = try self.load(PolicyTestSupport.minimal)
        #expect(policy.digest == Hex.encode(SHA256.hash(Array(policy.canonicalJSON.utf8))))
        #expect(policy.digest == "19b46cff95e7bf2b711b24de21113580a42be0a5fe2d9c018a6961209b0d5886")
    }

    /// The same policy written differently: comments, key order, flow style, quoting, explicit defaults.
    @Test func digestIgnoresCommentsKeyOrderFormattingAndExplicitDefaults() throws {
        let rewritten = """
            # The same policy, written another way.
            identifiers: {default_region: "DE", email_profiles: [uid2, basic, google, gmail_dots]}
            principals:
            - {partner: 'Publisher A', role: partner, name: publisher-a, metrics: [people],
               dimensions: [country], purposes: [analytics], segments: []}
            privacy: {k: 10, differencing_guard_exempt: []}
            schema:
              events: [{name: purchase, category: profile, amount: true, items: false}]
              attributes:
              - category: profile
                values:
                - DE
                - FR
                type: enum
                name: country
                quasi_identifier: false
              categories: [{retention: P2Y, name: profile}]
            purposes:
            - lawful_basis: consent
              name: analytics
              consent_signal: analytics     # the default, written out
              description: "Aggregate statistics."
            - {name: fraud_prevention, description: Fraud patterns., lawful_basis: legitimate_interest}
            controller: {name: Test Shop}
            rights: {deadline: P1M}
            version: 1

            """
        let original = try self.load(PolicyTestSupport.minimal)
        let other = try self.load(rewritten)
        #expect(other.canonicalJSON == original.canonicalJSON)
        #expect(other.digest == original.digest)
        #expect(other == original)
    }

    @Test func defaultPolicyDigestSurvivesStrippingComments() throws {
        let policy = try PolicyLoader.load(contentsOf: PolicyTestSupport.defaultPolicyPath)
        let text = try String(contentsOfFile: PolicyTestSupport.defaultPolicyPath, encoding: .utf8)
        let stripped = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
            .map { line in line.range(of: "   # ").map { String(line[..<$0.lowerBound]) } ?? String(line) }
            .joined(separator: "\n")
        #expect(stripped.count < text.count - 1000)
        #expect(try self.load(stripped).digest == policy.digest)
    }

    /// The canonical JSON is itself a policy file, and loading it changes nothing.
    @Test func canonicalJSONLoadsToTheSamePolicy() throws {
        let policy = try PolicyLoader.load(contentsOf: PolicyTestSupport.defaultPolicyPath)
        let reloaded = try self.load(policy.canonicalJSON)
        #expect(reloaded == policy)
        #expect(reloaded.canonicalJSON == policy.canonicalJSON)
    }

    @Test(arguments: [
        ("k: 10", "k: 11"),
        ("Aggregate statistics.", "Aggregate statistics!"),
        ("lawful_basis: consent", "lawful_basis: legitimate_interest"),
        ("retention: P2Y", "retention: P3Y"),
        ("values: [DE, FR]", "values: [FR, DE]"),
        ("amount: true", "amount: false"),
        ("default_region: DE", "default_region: FR"),
        ("metrics: [people]", "metrics: [people, events]"),
        ("role: partner\n    partner: Publisher A", "role: partner\n    partner: Publisher B"),
        ("controller:\n  name: Test Shop", "controller:\n  name: Test Shop\n  contact: dpo office"),
    ])
    func digestChangesOnASemanticChange(original: String, changed: String) throws {
        let before = try self.load(PolicyTestSupport.minimal)
        let after = try self.load(PolicyTestSupport.minimal(replacing: original, with: changed))
        #expect(after.digest != before.digest)
        #expect(after != before)
    }

    @Test func canonicalJSONEscapesText() throws {
        let yaml = PolicyTestSupport.minimal(
            replacing: "name: Test Shop",
            with: #"name: "Shop \"Nord\" \\ Süd\tGmbH""#
        )
        let policy = try self.load(yaml)
        #expect(policy.canonicalJSON.contains(#"{"name":"Shop \"Nord\" \\ Süd\tGmbH"}"#))
        #expect(try self.load(policy.canonicalJSON).controller.name == "Shop \"Nord\" \\ Süd\tGmbH")
    }
}
