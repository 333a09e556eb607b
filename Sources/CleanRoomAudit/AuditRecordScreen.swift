import CleanRoomCore

/// The last line of defence of DESIGN.md section 6.7: refuses a record with a string that looks like an
/// identifier, a hash of one or a pseudonym.
///
/// Callers canonicalize requests so that only shapes, purposes, counts and digests remain; this screen
/// catches a mistake before it becomes permanent in an append-only log. It flags, in any string of the record
/// outside the digest fields:
/// - an e-mail address (a `@` between non-space characters);
/// - seven or more digits, allowing the separators people type in phone numbers (`+`, spaces, `-`, `.`, `(`,
///   `)`);
/// - a device id (32 hex digits, with or without hyphens);
/// - a hash or pseudonym: 64 hex digits, or 43–44 Base64 characters.
/// Digests of policies, results and batches are allowed only under keys that end in `digest` (`policy_digest`,
/// `result_digest`, `content_digest` in a request).
enum AuditRecordScreen {
    /// Throws ``AuditError/Code/identifyingContent`` naming the field (never the value) that looks identifying.
    static func check(_ record: AuditRecord) throws {
        try Self.check(string: record.principal, field: "principal")
        try Self.check(string: record.role, field: "role")
        try Self.check(string: record.action.rawValue, field: "action")
        try Self.check(string: record.decision.rule, field: "decision.rule")
        if let purpose = record.purpose { try Self.check(string: purpose, field: "purpose") }
        try Self.check(value: record.request, field: "request")
        for (field, digest) in [("policy_digest", record.policyDigest), ("result_digest", record.resultDigest ?? "")] {
            guard digest.isEmpty || Self.isHexDigest(digest) else {
                throw AuditError(
                    code: .identifyingContent, message: "\(field) must be 64 lowercase hex digits (a SHA-256 digest)")
            }
        }
    }

    private static func check(value: CanonicalJSON, field: String) throws {
        switch value {
        case .object(let members):
            for (key, member) in members {
                try Self.check(string: key, field: field + " key")
                if key.hasSuffix("digest"), case .string(let digest) = member, Self.isHexDigest(digest) { continue }
                try Self.check(value: member, field: field + "." + key)
            }
        case .array(let elements):
            for element in elements { try Self.check(value: element, field: field + "[]") }
        case .string(let string):
            try Self.check(string: string, field: field)
        case .integer, .number, .bool, .null:
            break
        }
    }

    private static func check(string: String, field: String) throws {
        let reason: String? =
            if Self.hasEmailShape(string) { "an e-mail address" }
            else if Self.hasPhoneShape(string) { "a phone number" }
            else if Self.hasHashShape(string) { "a device id, a hash or a pseudonym" }
            else { nil }
        if let reason {
            throw AuditError(
                code: .identifyingContent,
                message: "the audit record's \(field) looks like \(reason); audit entries hold request shapes, "
                    + "purposes, counts and digests only"
            )
        }
    }

    private static func isHexDigest(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { Self.isLowerHex($0) }
    }

    private static func hasEmailShape(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")) else { return false }
        return at > 0 && at < bytes.count - 1 && bytes[at - 1] != UInt8(ascii: " ") && bytes[at + 1] != UInt8(ascii: " ")
    }

    /// Seven or more digits in a row, allowing the separators typed in phone numbers. An RFC 3339 date
    /// (`2026-11-25`, eight digits between hyphens) is no phone number and is skipped; in a time the colons
    /// break the run.
    private static func hasPhoneShape(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var digits = 0
        var index = 0
        while index < bytes.count {
            if Self.isDate(bytes, at: index) {
                digits = 0
                index += 10
                continue
            }
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                if digits >= 7 { return true }
            case UInt8(ascii: "+"), UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("),
                UInt8(ascii: ")"):
                break
            default:
                digits = 0
            }
            index += 1
        }
        return false
    }

    /// Whether `YYYY-MM-DD` starts at `index`, not preceded or followed by another digit.
    private static func isDate(_ bytes: [UInt8], at index: Int) -> Bool {
        guard index + 10 <= bytes.count, index == 0 || !Self.isDigit(bytes[index - 1]),
            index + 10 == bytes.count || !Self.isDigit(bytes[index + 10])
        else {
            return false
        }
        for offset in 0..<10 {
            let byte = bytes[index + offset]
            guard offset == 4 || offset == 7 ? byte == UInt8(ascii: "-") : Self.isDigit(byte) else { return false }
        }
        return true
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// 32 or more hex digits in a row (hyphens allowed between them), or 43 or more Base64 characters in a row
    /// with a digit among them (a long snake-case name is not a hash).
    private static func hasHashShape(_ text: String) -> Bool {
        var hexRun = 0
        var base64Run = 0
        var base64RunHasDigit = false
        for byte in text.utf8 {
            if Self.isHex(byte) {
                hexRun += 1
            } else if byte != UInt8(ascii: "-") {
                hexRun = 0
            }
            if Self.isBase64(byte) {
                base64Run += 1
                base64RunHasDigit = base64RunHasDigit || Self.isDigit(byte)
            } else {
                base64Run = 0
                base64RunHasDigit = false
            }
            if hexRun >= 32 || (base64Run >= 43 && base64RunHasDigit) { return true }
        }
        return false
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        Self.isLowerHex(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    private static func isBase64(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}
