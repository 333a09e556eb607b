/// The kinds of personal identifier CleanRoom accepts (DESIGN.md section 4).
public enum IdentifierKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// An e-mail address.
    case email
    /// A telephone number.
    case phone
    /// A mobile advertising id (IDFA / AAID).
    case deviceID = "device_id"
    /// The owner's own customer id.
    case customerID = "customer_id"
}
