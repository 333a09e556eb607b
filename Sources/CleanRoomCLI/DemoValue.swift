/// An attribute value of a customer record, as JSON writes it.
enum DemoValue: Sendable, Equatable {
    /// A JSON string.
    case string(String)
    /// A JSON number without fraction.
    case integer(Int)
    /// `true` or `false`.
    case boolean(Bool)

    /// Writes the value as the value of the key just written.
    func write(to line: inout DemoJSONLine) {
        switch self {
        case .string(let text): line.string(text)
        case .integer(let number): line.integer(number)
        case .boolean(let flag): line.boolean(flag)
        }
    }
}
