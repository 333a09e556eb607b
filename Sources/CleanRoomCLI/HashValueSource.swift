/// One value read from an input of `cleanroom hash`: its text, or the sign that its bytes were not UTF-8.
enum HashInputValue: Equatable {
    case text(String)
    case undecodable

    /// The value of `bytes`: their text when they are UTF-8.
    init(utf8 bytes: some Collection<UInt8>) {
        self = String(validating: bytes, as: UTF8.self).map(Self.text) ?? .undecodable
    }
}

/// The values of one input, in order: its lines, or one column of its CSV rows.
protocol HashValueSource {
    /// The next value, `nil` at the end of the input.
    ///
    /// - Throws: ``HashCommandError`` when the input cannot be read to its end.
    mutating func next() throws(HashCommandError) -> HashInputValue?
}
