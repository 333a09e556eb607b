import CleanRoomCore
import Foundation
import Testing

/// How a TC string's choices become the policy's consent signals.
struct PolicyTCFTests {
    /// `minimal` with TCF mappings: analytics (consent) on TCF 9, fraud_prevention (legitimate interest) on TCF 8,
    /// and a consent purpose `measurement` reading analytics' signal on TCF 10.
    static let policy: Policy = {
        var yaml = PolicyTestSupport.minimal(
            replacing: "    lawful_basis: consent\n", with: "    lawful_basis: consent\n    tcf_purposes: [9]\n")
        yaml = yaml.replacingOccurrences(
            of: "    lawful_basis: legitimate_interest\n",
            with: """
                    lawful_basis: legitimate_interest
                    tcf_purposes: [8]
                  - name: measurement
                    description: Counts.
                    lawful_basis: consent
                    consent_signal: analytics
                    tcf_purposes: [10]

                """)
        return try! PolicyLoader.load(yaml: yaml, fileName: "tcf.yaml")
    }()

    /// Published strings (iabtcf-java's decoder tests; the Perl GDPR::IAB::TCFv2 tests): purpose consents 3–9; and
    /// purpose consents 1, 3, 9, 10 with legitimate interest for 3, 4, 5, 8, 9, 10.
    static let consents3to9 = "COrEAV4OrXx94ACABBENAHCIAD-AAAAAAACAAxAAAAgAIAwgAgAAAAEAgQAAAAAEAYQAQAAAACAAAABAAA"
    static let perl = "CLcVDxRMWfGmWAVAHCENAXCkAKDAADnAABRgA5mdfCKZuYJez-NQm0TBMYA4oCAAGQYIAAAAAAEAIAEgAA"

    @Test func aSignalSharedByTwoPurposesIsGrantedOnlyWhenBothAre() throws {
        // TCF 9 is consented but not 10: analytics' own purpose holds, measurement's does not.
        #expect(Self.policy.consentChoices(from: try TCString(decoding: Self.consents3to9))["analytics"] == false)
        #expect(Self.policy.consentChoices(from: try TCString(decoding: Self.perl))["analytics"] == true)
    }

    @Test func aLegitimateInterestPurposeHoldsOnConsentOrOnLegitimateInterest() throws {
        // Consent to 8 in the first string, legitimate interest (without consent) for 8 in the second.
        #expect(Self.policy.consentChoices(from: try TCString(decoding: Self.consents3to9))["fraud_prevention"] == true)
        #expect(Self.policy.consentChoices(from: try TCString(decoding: Self.perl))["fraud_prevention"] == true)
    }

    @Test func aPolicyWithoutTCFMappingsReadsNothingFromAString() throws {
        let plain = try PolicyLoader.load(yaml: PolicyTestSupport.minimal, fileName: "plain.yaml")
        #expect(plain.consentChoices(from: try TCString(decoding: Self.perl)).isEmpty)
    }
}
