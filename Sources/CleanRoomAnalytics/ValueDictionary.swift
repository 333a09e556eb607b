/// Texts coded as small integers, so that columns hold 4-byte codes instead of strings. Code 0 means "none".
struct ValueDictionary: Sendable {
    private(set) var texts: [String] = [""]
    private var codes: [String: UInt32] = [:]

    /// The code of `text`, adding it when new.
    mutating func code(adding text: String) -> UInt32 {
        if let code = self.codes[text] { return code }
        let code = UInt32(self.texts.count)
        self.texts.append(text)
        self.codes[text] = code
        return code
    }

    /// The code of `text`, or `nil` when no one has it.
    func code(of text: String) -> UInt32? {
        self.codes[text]
    }

    /// The text of `code` (`""` for 0).
    func text(of code: UInt32) -> String {
        self.texts[Int(code)]
    }

    /// The number of codes, "none" included.
    var count: Int { self.texts.count }
}
