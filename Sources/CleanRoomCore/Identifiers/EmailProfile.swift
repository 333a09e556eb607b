/// The ways ad platforms normalize an e-mail address after the common steps (DESIGN.md section 4).
///
/// Every profile first trims white space, applies Unicode NFC and lowercases; they differ only in what they do
/// to the local part of Gmail addresses. A partner's file hashed under any of them matches, because every owner
/// e-mail is indexed under the hash of each profile.
public enum EmailProfile: String, Sendable, Hashable, CaseIterable, Codable {
    /// Nothing more: Meta custom audiences, and Google Customer Match files made the older way.
    case basic
    /// `gmail.com` and `googlemail.com`: drop every dot and a `+tag` from the local part. Google Data Manager,
    /// Google Ads Customer Match and enhanced conversions, DV360. Identity resolution joins subjects on it.
    case google
    /// `gmail.com` and `googlemail.com`: drop the dots only. Campaign Manager 360 enhanced conversions.
    case gmailDots = "gmail_dots"
    /// `gmail.com` only: drop the dots and a `+tag`. Unified ID 2.0.
    ///
    /// UID2's documentation says to lowercase; its operator service (`InputUtil.normalizeEmailString`) lowercases
    /// ASCII letters only. Addresses with non-ASCII capitals (`JÖRG@…`) therefore hash differently when UID2's
    /// service normalizes them; this profile follows the documentation and the common steps.
    case uid2
}
