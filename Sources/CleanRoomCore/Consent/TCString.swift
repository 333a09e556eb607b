public import Foundation

/// The core segment of an IAB Transparency & Consent Framework v2 TC string (TCF v2.0 to v2.3), decoded.
///
/// A TC string is one or more segments joined by `.`, each URL-safe Base64 without padding of a bit stream
/// ("Consent string and vendor list formats v2", IAB Tech Lab). The first segment is the core one: the
/// user's choices for purposes, special features and vendors, and the publisher's restrictions. The segments
/// that may follow (disclosed vendors, the obsolete allowed vendors, publisher TC) are checked to be
/// well-formed segments and otherwise ignored.
///
/// Decoding checks the format, not the CMP's compliance with TCF policy: a string with policy version 2 or
/// with `isServiceSpecific == false` decodes, and it is up to the caller whether such a string still counts
/// (TCF v2.2 deems strings of policy version below 4 invalid after 30 September 2023, and global-scope
/// strings invalid since 2021). The one policy rule enforced is the one the format states for policy version 4
/// and later: the legitimate interest bits of purposes 3 to 6 must be 0.
public struct TCString: Sendable, Equatable {
    /// The version of the encoding format; always 2.
    public let version: Int
    /// When the string was created. TCF v2.2 CMPs write the day (midnight UTC) of the last update here.
    public let created: Date
    /// When the string was last updated (the format's resolution is a decisecond; TCF v2.2 CMPs write a day).
    public let lastUpdated: Date
    /// The id of the consent management platform that last updated the string.
    public let cmpID: Int
    /// The version of that CMP.
    public let cmpVersion: Int
    /// The CMP's number for the screen on which the user gave consent.
    public let consentScreen: Int
    /// The ISO 639-1 language of the CMP's interface, as two upper-case letters (`EN`).
    public let consentLanguage: String
    /// The version of the Global Vendor List the string was made with.
    public let vendorListVersion: Int
    /// The TCF policy version of that vendor list: 2 for TCF v2.0 and v2.1, 4 for v2.2, 5 for v2.3.
    public let policyVersion: Int
    /// Whether the choices apply to this service only; TCF requires `true` since global scope was withdrawn.
    public let isServiceSpecific: Bool
    /// Whether the CMP used texts other than the IAB standard ones (modified stacks or illustrations).
    public let useNonStandardTexts: Bool
    /// The special features (1...12) the user opted in to.
    public let specialFeatureOptIns: Set<Int>
    /// The purposes (1...24) the user consented to.
    public let purposeConsents: Set<Int>
    /// The purposes (1...24) for which legitimate interest was disclosed and the user did not object.
    public let purposeLegitimateInterests: Set<Int>
    /// Whether purpose 1 was not disclosed because the publisher's jurisdiction does not require consent for
    /// it; a missing consent for purpose 1 then says nothing about the user's choice.
    public let purposeOneTreatment: Bool
    /// The ISO 3166-1 alpha-2 country (two upper-case letters) whose law governs the publisher; `AA` when unset.
    public let publisherCountryCode: String
    /// The vendors (ids from the Global Vendor List) the user consented to.
    public let vendorConsents: Set<Int>
    /// The vendors whose legitimate interest was disclosed and not objected to.
    public let vendorLegitimateInterests: Set<Int>
    /// The publisher's restrictions on vendors' purposes, in the order of the string.
    public let publisherRestrictions: [PublisherRestriction]

    /// The purposes that TCF policy never allows on the basis of legitimate interest: purpose 1 (store and
    /// access information on a device) always, and purposes 3 to 6 (personalised ads and content profiles and
    /// their use) since TCF v2.2.
    public static let purposesExcludedFromLegitimateInterest: Set<Int> = [1, 3, 4, 5, 6]

    /// Whether the user consented to every purpose in `purposes`.
    ///
    /// An empty set gives `false`: a check that names no purpose must not pass as if it had been granted.
    public func consents(toAll purposes: Set<Int>) -> Bool {
        !purposes.isEmpty && purposes.isSubset(of: self.purposeConsents)
    }

    /// Whether legitimate interest stands for every purpose in `purposes`: disclosed, not objected to, and
    /// allowed by current TCF policy for that purpose.
    ///
    /// Purposes in ``purposesExcludedFromLegitimateInterest`` give `false` whatever the string says, so an
    /// older string (policy version 2) cannot lend legitimate interest to personalised advertising. An empty
    /// set gives `false`.
    public func legitimateInterests(inAll purposes: Set<Int>) -> Bool {
        !purposes.isEmpty
            && purposes.isDisjoint(with: Self.purposesExcludedFromLegitimateInterest)
            && purposes.isSubset(of: self.purposeLegitimateInterests)
    }
}

extension TCString {
    /// A publisher's restriction of one purpose for some vendors (the core segment's PubRestrictionEntry).
    public struct PublisherRestriction: Sendable, Equatable {
        /// What the publisher requires of the vendors for the purpose (RestrictionType, 2 bits).
        public struct Kind: Hashable, Sendable, CustomStringConvertible {
            /// The value in the string: 0, 1 or 2 (3 is undefined and rejected).
            public let rawValue: Int

            init(rawValue: Int) { self.rawValue = rawValue }

            /// The purpose is not allowed at all, whatever the vendor declared.
            public static let notAllowed = Kind(rawValue: 0)
            /// The vendor must have consent, even where it declared legitimate interest as flexible.
            public static let requireConsent = Kind(rawValue: 1)
            /// The vendor must rely on legitimate interest, even where it declared consent as flexible.
            public static let requireLegitimateInterest = Kind(rawValue: 2)

            /// `not_allowed`, `require_consent` or `require_legitimate_interest`.
            public var description: String {
                switch self.rawValue {
                case 0: "not_allowed"
                case 1: "require_consent"
                default: "require_legitimate_interest"
                }
            }
        }

        /// The purpose restricted (1...63).
        public let purposeID: Int
        /// What the publisher requires.
        public let kind: Kind
        /// The vendors restricted, as ascending, disjoint, non-adjacent ranges of ids. A publisher may cover ids
        /// not in the Global Vendor List, so the ranges are kept as such rather than expanded.
        public let vendorRanges: [ClosedRange<Int>]

        /// Creates a restriction; `vendorRanges` are merged into ascending, disjoint, non-adjacent ranges.
        public init(purposeID: Int, kind: Kind, vendorRanges: [ClosedRange<Int>]) {
            self.purposeID = purposeID
            self.kind = kind
            self.vendorRanges = vendorRanges.merged()
        }

        /// Whether the restriction covers vendor `vendorID`.
        public func applies(toVendor vendorID: Int) -> Bool {
            var low = 0
            var high = self.vendorRanges.count
            while low < high {
                let middle = (low + high) / 2
                if self.vendorRanges[middle].upperBound < vendorID {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            return low < self.vendorRanges.count && self.vendorRanges[low].contains(vendorID)
        }
    }
}

extension [ClosedRange<Int>] {
    /// The ranges sorted by lower bound and merged where they overlap or touch.
    func merged() -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for range in self.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound + 1 {
                result[result.count - 1] = last.lowerBound...Swift.max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
