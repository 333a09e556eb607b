import CleanRoomCore
import Foundation
import Testing

/// Policies and helpers shared by the policy suites.
enum PolicyTestSupport {
    /// The repository's `policies/default.yaml`, found from this file's place in the package.
    static var defaultPolicyPath: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // CleanRoomCoreTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
            .appendingPathComponent("policies/default.yaml")
            .path
    }

    /// A small valid policy; the tests below break it one line at a time. Line numbers matter.
    static let minimal = """
        version: 1
        controller:
          name: Test Shop
        purposes:
          - name: analytics
            description: Aggregate statistics.
            lawful_basis: consent
          - name: fraud_prevention
            description: Fraud patterns.
            lawful_basis: legitimate_interest
        schema:
          categories:
            - name: profile
              retention: P2Y
          attributes:
            - name: country
              type: enum
              values: [DE, FR]
              category: profile
          events:
            - name: purchase
              category: profile
              amount: true
        identifiers:
          default_region: DE
        privacy:
          k: 10
        principals:
          - name: publisher-a
            role: partner
            partner: Publisher A
            purposes: [analytics]
            dimensions: [country]
            metrics: [people]

        """

    /// `minimal` with the first occurrence of `target` replaced by `replacement`.
    static func minimal(replacing target: String, with replacement: String) -> String {
        let range = Self.minimal.range(of: target)!
        return Self.minimal.replacingCharacters(in: range, with: replacement)
    }

    /// The error loading `yaml` throws; records an issue when it loads.
    static func loadError(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> PolicyError? {
        do {
            _ = try PolicyLoader.load(yaml: yaml, fileName: "test.yaml")
            Issue.record("the policy loaded, but an error was expected", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }
}
