/// The text form of a normalized phone number that gets hashed (DESIGN.md section 4).
public enum PhoneForm: String, Sendable, Hashable, CaseIterable, Codable {
    /// `+` and digits, as E.164 writes it (`+4930123456`): Google, UID2.
    case e164
    /// The E.164 digits without the `+` (`4930123456`): Meta, Snap.
    case digits
}
