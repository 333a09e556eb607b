public import CleanRoomCore
public import CleanRoomStore
public import Foundation

/// Decides whether a person's data may be used for a purpose at a time: the one place every computation asks
/// (DESIGN.md sections 5, 6.1 and 7).
///
/// The basis comes from the policy (the purpose's lawful basis and the consent signal it reads) and the person's
/// consent ledger, where the latest signal by the time it was given wins:
/// - a **consent** purpose needs its signal granted, and not withdrawn or objected to since;
/// - a **legitimate-interest** purpose may be used unless the person objected (a `false` for its signal is an
///   objection, GDPR Art. 21(1)); CleanRoom has no "compelling grounds" override, so every objection holds, and
///   for **direct marketing** (Art. 21(3)) it is absolute by law as well;
/// - signals given after `time` do not count yet, so a computation can be replayed as of its time.
///
/// Signals given at the same instant are ordered most protective last — granted, then withdrawn, then objection —
/// so a tie never opens access; among equal signals the arrival order (recording time) decides.
public struct PurposeBinding: Sendable {
    private let purposes: [String: Policy.Purpose]

    /// The binding of `policy`'s purposes.
    public init(policy: Policy) {
        self.purposes = Dictionary(uniqueKeysWithValues: policy.purposes.map { ($0.name, $0) })
    }

    /// Why a person counts for a purpose, or why not.
    public struct Decision: Sendable, Hashable, CustomStringConvertible {
        /// Whether the person's data may be used.
        public let allowed: Bool
        /// The rule that decided (`consent_granted`, `no_consent`, `consent_withdrawn`, `objection`,
        /// `legitimate_interest`).
        public let reason: String

        static let consentGranted = Decision(allowed: true, reason: "consent_granted")
        static let noConsent = Decision(allowed: false, reason: "no_consent")
        static let consentWithdrawn = Decision(allowed: false, reason: "consent_withdrawn")
        static let objection = Decision(allowed: false, reason: "objection")
        static let legitimateInterest = Decision(allowed: true, reason: "legitimate_interest")

        public var description: String { self.reason }
    }

    /// Whether `purpose` is one the policy declares.
    public func knows(_ purpose: String) -> Bool {
        self.purposes[purpose] != nil
    }

    /// The purposes a person counts for at `time`, by name.
    public func purposes(allowedAt time: Date, ledger: [StoredConsent]) -> [String] {
        self.purposes.keys.sorted().filter { (try? self.decide($0, at: time, ledger: ledger).allowed) == true }
    }

    /// Whether the data of the person whose consent ledger is `ledger` (in any order) may be used for `purpose`
    /// at `time`.
    ///
    /// - Throws: ``RightsError`` `unknownPurpose` for a purpose the policy does not declare.
    public func decide(_ purpose: String, at time: Date, ledger: [StoredConsent]) throws(RightsError) -> Decision {
        guard let declared = self.purposes[purpose] else {
            throw RightsError(
                code: .unknownPurpose, message: "the policy declares no purpose named \(purpose)")
        }
        let latest = ledger.lazy
            .filter { $0.purpose == declared.consentSignal && $0.occurredAt <= time }
            .max(by: StoredConsent.givenBefore)
        switch declared.lawfulBasis {
        case .consent:
            switch latest?.signal {
            case .granted?: return .consentGranted
            case .objection?: return .objection
            case .some: return .consentWithdrawn
            case nil: return .noConsent
            }
        case .legitimateInterest:
            switch latest?.signal {
            case .withdrawn?, .objection?: return .objection
            default: return .legitimateInterest
            }
        }
    }
}
