internal import CleanRoomCrypto

/// The id of an uploaded audience: 28 random lowercase letters (over 131 bits), unguessable, so knowing one's own
/// ids says nothing about another partner's.
///
/// Letters only: an id goes into audit entries, whose screen refuses runs of digits (phone numbers) and of hex or
/// Base64 characters (hashes), and a random id of digits and letters would now and then look like one.
enum AudienceID {
    /// The number of letters in an id.
    static let length = 28

    /// A new random id.
    ///
    /// - Throws: what ``SecureRandom`` throws when no random bytes are available.
    static func generate() throws -> String {
        var letters: [UInt8] = []
        while letters.count < Self.length {
            // Bytes from 234 up are dropped, so each of the 26 letters is equally likely (234 = 9 × 26).
            for byte in try SecureRandom.bytes(count: 32) where byte < 234 && letters.count < Self.length {
                letters.append(UInt8(ascii: "a") + byte % 26)
            }
        }
        return String(decoding: letters, as: UTF8.self)
    }

    /// Whether `text` has the shape of an id (it may still name no audience).
    static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == Self.length && text.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
    }
}
