import Foundation

/// The Base64 of signed notes and checkpoints: the standard alphabet with padding (RFC 4648 section 4).
enum NoteBase64 {
    /// Returns `bytes` in standard, padded Base64.
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Decodes canonical standard Base64: the spelling ``encode(_:)`` gives, and no other.
    ///
    /// Returns `nil` for white space, the URL-safe alphabet, missing or extra padding, and unused low bits
    /// that are not zero, so that every byte string has exactly one accepted text.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        guard let data = Data(base64Encoded: String(text)), data.base64EncodedString() == text else {
            return nil
        }
        return [UInt8](data)
    }
}
