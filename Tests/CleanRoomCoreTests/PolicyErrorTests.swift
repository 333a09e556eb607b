import CleanRoomCore
import Foundation
import Testing

/// One broken variant of the minimal policy and the error it must give.
struct BrokenPolicy: CustomTestStringConvertible, Sendable {
    let name: String
    let target: String
    let replacement: String
    let code: PolicyError.Code
    let line: Int
    let column: Int
    let message: String
    /// Whether this is the only error; false where the change also breaks what refers to it.
    var isOnlyError = true

    var testDescription: String { self.name }

    var yaml: String { PolicyTestSupport.minimal(replacing: self.target, with: self.replacement) }
}

struct PolicyErrorTests {
    static let brokenPolicies: [BrokenPolicy] = [
        BrokenPolicy(
            name: "unknown purpose in a principal",
            target: "purposes: [analytics]",
            replacement: "purposes: [analytics, ads]",
            code: .unknownReference,
            line: 32,
            column: 27,
            message: "unknown purpose 'ads' in principal 'publisher-a' (known: analytics, fraud_prevention); "
                + "declare it under 'purposes' or correct the name"
        ),
        BrokenPolicy(
            name: "k below 2",
            target: "k: 10",
            replacement: "k: 1",
            code: .invalidValue,
            line: 27,
            column: 6,
            message: "'k' of 'privacy' is 1; it must be at least 2, or single people could be seen (the default is 50)"
        ),
        BrokenPolicy(
            name: "retention not a duration",
            target: "retention: P2Y",
            replacement: "retention: 2 years",
            code: .invalidValue,
            line: 14,
            column: 18,
            message: "'retention' of data category 'profile' '2 years' is not a period; write an ISO 8601 duration "
                + "of years, months, weeks or days such as P2Y, P6M, P4W, P30D or P1Y6M"
        ),
        BrokenPolicy(
            name: "bad indentation",
            target: "    lawful_basis: consent",
            replacement: "      lawful_basis: consent",
            code: .yamlSyntax,
            line: 7,
            column: 19,
            message: "YAML syntax error: mapping values are not allowed in this context; check the indentation "
                + "(spaces only, no tabs), the ':' after each key and the quoting"
        ),
        BrokenPolicy(
            name: "unknown key",
            target: "privacy:\n",
            replacement: "retention_days: 30\nprivacy:\n",
            code: .unknownKey,
            line: 26,
            column: 1,
            message: "unknown key 'retention_days' in the policy; known keys: version, controller, purposes, "
                + "schema, identifiers, privacy, principals, rights, audiences, audit, limits"
        ),
        BrokenPolicy(
            name: "missing required key",
            target: "    lawful_basis: consent\n",
            replacement: "",
            code: .missingKey,
            line: 5,
            column: 5,
            message: "purpose 'analytics' has no 'lawful_basis'; add it (consent or legitimate_interest)"
        ),
        BrokenPolicy(
            name: "wrong type",
            target: "k: 10",
            replacement: "k: ten",
            code: .wrongType,
            line: 27,
            column: 6,
            message: "'k' of 'privacy' must be a whole number in decimal digits, not the text 'ten'"
        ),
        BrokenPolicy(
            name: "misspelt key",
            target: "lawful_basis: consent",
            replacement: "lawfull_basis: consent",
            code: .unknownKey,
            line: 7,
            column: 5,
            message: "unknown key 'lawfull_basis' in purpose 'analytics'; did you mean 'lawful_basis'? known keys: "
                + "name, description, lawful_basis, consent_signal, direct_marketing, tcf_purposes"
        ),
        BrokenPolicy(
            name: "quoted number",
            target: "k: 10",
            replacement: "k: \"10\"",
            code: .wrongType,
            line: 27,
            column: 6,
            message: "'k' of 'privacy' must be a whole number in decimal digits, not the text '10'"
        ),
        BrokenPolicy(
            name: "text where a list belongs",
            target: "purposes: [analytics]",
            replacement: "purposes: analytics",
            code: .wrongType,
            line: 32,
            column: 15,
            message: "'purposes' of principal 'publisher-a' must be a list, not the text 'analytics'"
        ),
        BrokenPolicy(
            name: "list where a mapping belongs",
            target: "controller:\n  name: Test Shop",
            replacement: "controller:\n  - Test Shop",
            code: .wrongType,
            line: 3,
            column: 3,
            message: "'controller' must be a mapping of keys to values, not a list"
        ),
        BrokenPolicy(
            name: "duplicate purpose",
            target: "- name: fraud_prevention",
            replacement: "- name: analytics",
            code: .duplicateName,
            line: 8,
            column: 11,
            message: "purpose 'analytics' is declared twice (first declared on line 5); rename or remove one"
        ),
        BrokenPolicy(
            name: "duplicate YAML key",
            target: "  name: Test Shop\n",
            replacement: "  name: Test Shop\n  name: Other Shop\n",
            code: .duplicateKey,
            line: 3,
            column: 3,
            message: "the key 'name' appears twice in one mapping; keep one"
        ),
        BrokenPolicy(
            name: "tab in indentation",
            target: "  default_region: DE",
            replacement: "\tdefault_region: DE",
            code: .yamlSyntax,
            line: 25,
            column: 1,
            message: "YAML syntax error: found character that cannot start any token (while scanning for the next "
                + "token started on line 25); check the indentation (spaces only, no tabs), the ':' after each key "
                + "and the quoting"
        ),
        BrokenPolicy(
            name: "unknown lawful basis",
            target: "lawful_basis: legitimate_interest",
            replacement: "lawful_basis: legitimate_interests",
            code: .invalidValue,
            line: 10,
            column: 19,
            message: "'lawful_basis' of purpose 'fraud_prevention' cannot be 'legitimate_interests'; did you mean "
                + "'legitimate_interest'? use one of: consent, legitimate_interest"
        ),
        BrokenPolicy(
            name: "unknown dimension",
            target: "dimensions: [country]",
            replacement: "dimensions: [country, city]",
            code: .unknownReference,
            line: 33,
            column: 27,
            message: "unknown dimension 'city' in principal 'publisher-a' (known: country); dimensions are "
                + "attributes; declare it under 'schema: attributes' or correct the name"
        ),
        BrokenPolicy(
            name: "unknown metric",
            target: "metrics: [people]",
            replacement: "metrics: [peple]",
            code: .invalidValue,
            line: 34,
            column: 15,
            message: "an entry of 'metrics' of principal 'publisher-a' cannot be 'peple'; did you mean 'people'? "
                + "use one of: people, events, amount_sum, amount_avg, conversion_rate, recency_days_avg, "
                + "frequency_avg, monetary_avg"
        ),
        BrokenPolicy(
            name: "unknown category of an event type",
            target: "category: profile\n      amount",
            replacement: "category: sales\n      amount",
            code: .unknownReference,
            line: 22,
            column: 17,
            message: "unknown data category 'sales' in event type 'purchase' (known: profile); declare it under "
                + "'schema: categories' or correct the name"
        ),
        BrokenPolicy(
            name: "partner without partner name",
            target: "    partner: Publisher A\n",
            replacement: "",
            code: .missingKey,
            line: 29,
            column: 5,
            message: "principal 'publisher-a' has role partner but no 'partner'; add the partner organization's name"
        ),
        BrokenPolicy(
            name: "auditor with purposes",
            target: "role: partner\n    partner: Publisher A",
            replacement: "role: auditor",
            code: .invalidValue,
            line: 31,
            column: 5,
            message: "principal 'publisher-a' has role auditor, which runs no queries; remove 'purposes'",
            isOnlyError: false
        ),
        BrokenPolicy(
            name: "region not ISO 3166-1",
            target: "default_region: DE",
            replacement: "default_region: UK",
            code: .invalidValue,
            line: 25,
            column: 19,
            message: "'default_region' of 'identifiers' 'UK' is not an ISO 3166-1 alpha-2 region known to "
                + "libphonenumber; use two capital letters such as DE, FR, GB or US"
        ),
        BrokenPolicy(
            name: "attribute named like an identifier column",
            target: "- name: country",
            replacement: "- name: email",
            code: .invalidValue,
            line: 16,
            column: 13,
            message: "attribute name 'email' is reserved: identifier columns (email, phone, device_id, customer_id) "
                + "and consent_<purpose> columns share the CSV header with attributes; choose another name",
            isOnlyError: false
        ),
        BrokenPolicy(
            name: "enum without values",
            target: "      values: [DE, FR]\n",
            replacement: "",
            code: .missingKey,
            line: 16,
            column: 7,
            message: "attribute 'country' has no 'values'; add it (the list of allowed values)"
        ),
        BrokenPolicy(
            name: "values on a string attribute",
            target: "type: enum",
            replacement: "type: string",
            code: .invalidValue,
            line: 18,
            column: 7,
            message: "'values' applies only to type enum, but attribute 'country' has type string; remove 'values' "
                + "or change the type"
        ),
        BrokenPolicy(
            name: "rights deadline beyond one month",
            target: "privacy:\n",
            replacement: "rights:\n  deadline: P2M\nprivacy:\n",
            code: .invalidValue,
            line: 27,
            column: 13,
            message: "'deadline' of 'rights' is P2M; GDPR Art. 12(3) requires an answer within one month, so use at "
                + "most P1M (an extension is decided per request)"
        ),
        BrokenPolicy(
            name: "TCF purpose out of range",
            target: "    lawful_basis: consent\n",
            replacement: "    lawful_basis: consent\n    tcf_purposes: [7, 12]\n",
            code: .invalidValue,
            line: 8,
            column: 23,
            message:
                "an entry of 'tcf_purposes' of purpose 'analytics' is 12; IAB TCF v2.2 purposes are numbered 1 to 11"
        ),
        BrokenPolicy(
            name: "partner exempt from the differencing guard",
            target: "  k: 10\n",
            replacement: "  k: 10\n  differencing_guard_exempt: [publisher-a]\n",
            code: .invalidValue,
            line: 28,
            column: 31,
            message: "principal 'publisher-a' has role partner; only owner principals may be exempt from the "
                + "differencing guard"
        ),
        BrokenPolicy(
            name: "unsupported version",
            target: "version: 1",
            replacement: "version: 2",
            code: .invalidValue,
            line: 1,
            column: 10,
            message: "'version' is 2, but this CleanRoom reads version 1 only"
        ),
        BrokenPolicy(
            name: "two YAML documents",
            target: "privacy:\n",
            replacement: "---\nprivacy:\n",
            code: .yamlSyntax,
            line: 26,
            column: 1,
            message: "YAML syntax error: but found another document (expected a single document in the stream "
                + "started on line 1); check the indentation (spaces only, no tabs), the ':' after each key and the "
                + "quoting"
        ),
    ]

    @Test(arguments: Self.brokenPolicies)
    func brokenPolicyGivesOneClearError(_ broken: BrokenPolicy) throws {
        let error = try #require(PolicyTestSupport.loadError(broken.yaml))
        #expect(error.code == broken.code)
        #expect(error.file == "test.yaml")
        #expect(error.line == broken.line)
        #expect(error.column == broken.column)
        #expect(error.message == broken.message)
        #expect(error.description == "test.yaml:\(broken.line):\(broken.column): \(broken.message)")
        if broken.isOnlyError {
            #expect(error.additionalErrors.isEmpty, "\(error.report)")
        }
    }

    @Test func everyProblemIsReportedInFileOrder() throws {
        var yaml = PolicyTestSupport.minimal(replacing: "purposes: [analytics]", with: "purposes: [ads]")
        yaml = yaml.replacingOccurrences(of: "k: 10", with: "k: 0")
        yaml = yaml.replacingOccurrences(of: "retention: P2Y", with: "retention: forever")
        let error = try #require(PolicyTestSupport.loadError(yaml))
        let all = [error] + error.additionalErrors
        #expect(all.map(\.line) == [14, 27, 32])
        #expect(all.map(\.code) == [.invalidValue, .invalidValue, .unknownReference])
        #expect(error.report.split(separator: "\n").count == 3)
        #expect(error.report.hasPrefix("test.yaml:14:18: 'retention' of data category 'profile' 'forever'"))
    }

    /// A broken purpose is reported once; principals naming it do not add "unknown purpose" errors.
    @Test func aBrokenDeclarationDoesNotCascade() throws {
        let yaml = PolicyTestSupport.minimal(replacing: "    description: Aggregate statistics.\n", with: "")
        let error = try #require(PolicyTestSupport.loadError(yaml))
        #expect(error.code == .missingKey)
        #expect(error.line == 5)
        #expect(error.additionalErrors.isEmpty, "\(error.report)")
    }

    @Test func anEmptyPolicyIsRejected() throws {
        let error = try #require(PolicyTestSupport.loadError("# nothing here\n"))
        #expect(error.code == .missingKey)
        #expect(error.description == "test.yaml: the policy is empty; start from policies/default.yaml")
    }

    @Test func missingSectionsAreEachReported() throws {
        let error = try #require(PolicyTestSupport.loadError("version: 1\n"))
        let all = [error] + error.additionalErrors
        #expect(all.allSatisfy { $0.code == .missingKey && $0.line == 1 && $0.column == 1 })
        #expect(
            all.map(\.message) == [
                "the policy has no 'controller'; add it",
                "the policy has no 'purposes'; add it",
                "the policy has no 'schema'; add it",
                "the policy has no 'identifiers'; add it with at least 'default_region'",
            ]
        )
    }

    @Test func anOwnerMayBeExemptFromTheDifferencingGuard() throws {
        let yaml = PolicyTestSupport.minimal(
            replacing: "role: partner\n    partner: Publisher A",
            with: "role: owner"
        ).replacingOccurrences(of: "  k: 10\n", with: "  k: 10\n  differencing_guard_exempt: [publisher-a]\n")
        let policy = try PolicyLoader.load(yaml: yaml, fileName: "test.yaml")
        #expect(policy.privacy.differencingGuardExemptions == ["publisher-a"])
    }

    @Test func aRegionAttributeMustHoldRegions() throws {
        let good = PolicyTestSupport.minimal(
            replacing: "  default_region: DE\n",
            with: "  default_region: DE\n  region_attribute: country\n"
        )
        #expect(try PolicyLoader.load(yaml: good, fileName: "test.yaml").identifiers.regionAttribute == "country")
        let bad = good.replacingOccurrences(of: "values: [DE, FR]", with: "values: [DE, France]")
        let error = try #require(PolicyTestSupport.loadError(bad))
        #expect(error.code == .invalidValue)
        #expect(error.line == 26)
        #expect(error.message.contains("a value of attribute 'country' 'France' is not an ISO 3166-1 alpha-2 region"))
    }
}
