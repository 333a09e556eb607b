public import CleanRoomCrypto

/// The SHA-256 of a normalized identifier's UTF-8 bytes: what partners upload and what the pseudonym is made of.
///
/// Its text form is transport only. A partner file may give 64 hexadecimal characters in any case or 44 Base64
/// characters (UID2's habit); both decode to the same 32 bytes. A match hash is never stored and never printed:
/// its description and debug description are redacted, and its mirror has no children, so `dump` shows no byte.
public struct MatchHash: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The 32 bytes of the SHA-256 digest.
    public let bytes: [UInt8]

    /// The hash of `normalized`, which must already be normalized (see ``IdentifierNormalizer``).
    public init(normalized: String) {
        self.bytes = SHA256.hash(normalized)
    }

    /// Decodes a hash from a partner file, white space around it ignored.
    ///
    /// Accepted: 64 hexadecimal characters in either case, or 44 Base64 characters with `=` padding in the
    /// standard alphabet (`+`, `/`) or the URL-safe one (`-`, `_`), decoding to 32 bytes. Rejected: anything
    /// else, unpadded Base64 and Base64 mixing the two alphabets included. The error's field is `match_hash`;
    /// set it to the column's name if need be.
    public init(transport text: String) throws(IdentifierError) {
        let trimmed = UnicodeText.trimmingWhiteSpace(text)
        let decoded: [UInt8]? = switch trimmed.utf8.count {
        case 64: Hex.decode(trimmed)
        case 44: Base64.decode(trimmed)
        default: nil
        }
        guard let decoded, decoded.count == SHA256.byteCount else {
            throw IdentifierError(
                code: .invalidHash, field: "match_hash",
                message: "the match hash is neither 64 hexadecimal nor 44 Base64 characters encoding a SHA-256")
        }
        self.bytes = decoded
    }

    /// The hash whose 32 bytes are `bytes`; `nil` for another length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == SHA256.byteCount else { return nil }
        self.bytes = Array(bytes)
    }

    /// The 64 lowercase hexadecimal characters.
    public var hex: String { Hex.encode(self.bytes) }

    /// The 44 Base64 characters, standard alphabet with padding, as UID2 wants them.
    public var base64: String { Base64.encode(self.bytes) }

    /// The stored pseudonym: HMAC-SHA256 under the owner's match key over the 32 bytes of the hash.
    public func pseudonym(matchKey: SymmetricKey) -> Pseudonym {
        Self.pseudonym(HMACSHA256.authenticationCode(for: self.bytes, key: matchKey))
    }

    /// The stored pseudonym, computed with an authenticator built once from the match key: the fast path
    /// for pseudonymizing many hashes.
    public func pseudonym(using matchKey: HMACSHA256.Authenticator) -> Pseudonym {
        Self.pseudonym(matchKey.authenticationCode(for: self.bytes))
    }

    /// The stored pseudonym, computed with a session of the match key's authenticator: the fast path for one
    /// thread pseudonymizing a run of hashes.
    public func pseudonym(using session: HMACSHA256.Session) -> Pseudonym {
        Self.pseudonym(session.authenticationCode(for: self.bytes))
    }

    /// Writes the pseudonym of the identifier normalized as `normalized` into `pseudonym` (32 bytes): the bytes
    /// of `MatchHash(normalized: normalized).pseudonym(using: session)`, with no array made on the way. The fast
    /// path for an ingest's millions of identifiers.
    public static func writePseudonym(
        ofNormalized normalized: String, using session: HMACSHA256.Session, into pseudonym: UnsafeMutableRawBufferPointer
    ) {
        var text = normalized
        text.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(byteCount: SHA256.byteCount, alignment: 1) { hash in
                SHA256.hash(UnsafeRawBufferPointer(utf8), into: hash)
                session.authenticate(UnsafeRawBufferPointer(hash), into: pseudonym)
            }
        }
    }

    private static func pseudonym(_ code: [UInt8]) -> Pseudonym {
        guard let pseudonym = Pseudonym(bytes: code) else {
            preconditionFailure("HMAC-SHA256 gives 32 bytes")
        }
        return pseudonym
    }

    /// `MatchHash(redacted)`: a hash of an identifier is never printed (DESIGN.md section 6.7).
    public var description: String { "MatchHash(redacted)" }

    /// `MatchHash(redacted)`, as ``description``.
    public var debugDescription: String { self.description }

    /// A mirror without children, so `dump` and debuggers show no byte of the hash.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
