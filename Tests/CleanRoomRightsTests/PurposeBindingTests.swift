import CleanRoomCore
@testable import CleanRoomRights
import CleanRoomStore
import Foundation
import Testing

/// The repository's default policy: analytics and ads_measurement (consent), ads_personalization and
/// partner_matching (consent, direct marketing), fraud_prevention and service_quality (legitimate interest).
let defaultPolicy: Policy = {
    let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("policies/default.yaml").path
    return try! PolicyLoader.load(contentsOf: path)
}()

/// Whose data may be used for which purpose, when.
struct PurposeBindingTests {
    let binding = PurposeBinding(policy: defaultPolicy)
    static let subject = SubjectID(1)

    static func time(_ seconds: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(1_780_000_000 + seconds)) }

    static func signal(
        _ purpose: String, _ signal: StoredConsent.Signal, at seconds: Int, recorded: Int? = nil
    ) -> StoredConsent {
        StoredConsent(
            subject: Self.subject, purpose: purpose, signal: signal, occurredAt: Self.time(seconds),
            recordedAt: Self.time(recorded ?? seconds), source: "test")
    }

    @Test func aConsentPurposeNeedsItsSignalGranted() throws {
        #expect(try self.binding.decide("analytics", at: Self.time(100), ledger: []).reason == "no_consent")
        let granted = [Self.signal("analytics", .granted, at: 10)]
        #expect(try self.binding.decide("analytics", at: Self.time(100), ledger: granted).allowed)
        // Another purpose's signal does not count.
        #expect(try !self.binding.decide("ads_measurement", at: Self.time(100), ledger: granted).allowed)
    }

    @Test func theLatestSignalByTheTimeItWasGivenWinsWhateverTheArrivalOrder() throws {
        let ledger = [
            Self.signal("analytics", .withdrawn, at: 50, recorded: 60),
            Self.signal("analytics", .granted, at: 10, recorded: 70),  // arrived last, given first
        ]
        #expect(try self.binding.decide("analytics", at: Self.time(100), ledger: ledger).reason == "consent_withdrawn")
        #expect(try self.binding.decide("analytics", at: Self.time(100), ledger: ledger.reversed()).allowed == false)
        // As of a time between the two signals, the grant still held.
        #expect(try self.binding.decide("analytics", at: Self.time(30), ledger: ledger).allowed)
        // A signal counts from the instant it was given: the exact boundary is included.
        #expect(try !self.binding.decide("analytics", at: Self.time(50), ledger: ledger).allowed)
        #expect(try self.binding.decide("analytics", at: Self.time(49), ledger: ledger).allowed)
        #expect(try !self.binding.decide("analytics", at: Self.time(9), ledger: ledger).allowed)
    }

    @Test func aTieAtTheSameInstantNeverOpensAccess() throws {
        for order in [[StoredConsent.Signal.granted, .withdrawn], [.withdrawn, .granted]] {
            let ledger = order.enumerated().map { Self.signal("analytics", $1, at: 20, recorded: 20 + $0) }
            #expect(try !self.binding.decide("analytics", at: Self.time(100), ledger: ledger).allowed)
        }
        let objected = [Self.signal("fraud_prevention", .objection, at: 20), Self.signal("fraud_prevention", .granted, at: 20)]
        #expect(try self.binding.decide("fraud_prevention", at: Self.time(100), ledger: objected).reason == "objection")
    }

    @Test func aGrantGivenAfterAWithdrawalRestoresConsent() throws {
        let ledger = [
            Self.signal("analytics", .granted, at: 10), Self.signal("analytics", .withdrawn, at: 20),
            Self.signal("analytics", .granted, at: 30),
        ]
        #expect(try self.binding.decide("analytics", at: Self.time(100), ledger: ledger).allowed)
    }

    @Test func aLegitimateInterestPurposeHoldsUnlessThePersonObjects() throws {
        #expect(try self.binding.decide("fraud_prevention", at: Self.time(100), ledger: []).reason == "legitimate_interest")
        for signal in [StoredConsent.Signal.objection, .withdrawn] {
            let ledger = [Self.signal("fraud_prevention", signal, at: 10)]
            #expect(try self.binding.decide("fraud_prevention", at: Self.time(100), ledger: ledger).reason == "objection")
            #expect(try self.binding.decide("fraud_prevention", at: Self.time(5), ledger: ledger).allowed)
        }
        // An objection to one purpose leaves the others.
        let ledger = [Self.signal("fraud_prevention", .objection, at: 10)]
        #expect(try self.binding.decide("service_quality", at: Self.time(100), ledger: ledger).allowed)
    }

    @Test func anObjectionToADirectMarketingPurposeExcludesThePerson() throws {
        let ledger = [
            Self.signal("ads_personalization", .granted, at: 10), Self.signal("ads_personalization", .objection, at: 20),
        ]
        #expect(try self.binding.decide("ads_personalization", at: Self.time(100), ledger: ledger).reason == "objection")
    }

    @Test func thePurposesAPersonCountsForAreListed() {
        let ledger = [Self.signal("analytics", .granted, at: 10), Self.signal("service_quality", .objection, at: 10)]
        #expect(self.binding.purposes(allowedAt: Self.time(100), ledger: ledger) == ["analytics", "fraud_prevention"])
    }

    @Test func anUnknownPurposeIsRefusedByName() {
        let error = #expect(throws: RightsError.self) { try self.binding.decide("profiling", at: Self.time(0), ledger: []) }
        #expect(error?.code == .unknownPurpose)
        #expect(error?.message.contains("profiling") == true)
    }
}
