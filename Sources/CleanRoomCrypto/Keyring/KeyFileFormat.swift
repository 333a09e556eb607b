internal import FoundationEssentials

/// What a key file holds; written into the file so that one key cannot be mistaken for another.
enum KeyPurpose: String, Sendable {
    /// A key-encryption key (`kek-v<N>.key`).
    case keyEncryption = "key-encryption"
    /// The HMAC key for pseudonyms (`match.key`).
    case match
    /// The Ed25519 seed that signs audit checkpoints (`audit-ed25519.key`).
    case auditSigning = "audit-signing"
    /// The Ed25519 public key that verifies them (`audit-ed25519.pub`).
    case auditVerifying = "audit-verifying"
}

/// The names of the files in a keys directory.
enum KeyFileName {
    static let match = "match.key"
    static let auditSigning = "audit-ed25519.key"
    static let auditVerifying = "audit-ed25519.pub"
    private static let keyEncryptionPrefix = "kek-v"
    private static let keyEncryptionSuffix = ".key"

    /// The largest version; versions are bound into wrapped keys as 32-bit numbers.
    static let maximumKeyEncryptionVersion = Int(UInt32.max)

    /// `kek-v<version>.key`.
    static func keyEncryption(version: Int) -> String {
        "\(Self.keyEncryptionPrefix)\(version)\(Self.keyEncryptionSuffix)"
    }

    /// The version in a name of the form `kek-v<version>.key` (decimal, no leading zero, at least 1),
    /// or `nil` for any other name.
    static func keyEncryptionVersion(of name: String) -> Int? {
        guard name.hasPrefix(Self.keyEncryptionPrefix), name.hasSuffix(Self.keyEncryptionSuffix) else { return nil }
        let digits = name.dropFirst(Self.keyEncryptionPrefix.count).dropLast(Self.keyEncryptionSuffix.count)
        guard let first = digits.first, first != "0", digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let version = Int(digits), version <= Self.maximumKeyEncryptionVersion
        else {
            return nil
        }
        return version
    }
}

/// The key file format: one line `cleanroom-key v1 <purpose> <base64>` ended by a newline, where
/// `<purpose>` is one of ``KeyPurpose`` and `<base64>` the standard, padded Base64 of the 32 key bytes.
///
/// For example `cleanroom-key v1 match 3q2+7w…=`. Text keeps the files easy to inspect and back up; the
/// purpose stops a key from being used for another job after a file is copied to the wrong name.
enum KeyFileFormat {
    private static let magic = "cleanroom-key"
    private static let version = "v1"
    /// Every key in the keyring is 32 bytes: AES-256 and HMAC keys, the Ed25519 seed and public key.
    static let keyByteCount = 32

    /// Returns the file contents for `key`.
    static func encode(_ key: [UInt8], purpose: KeyPurpose) -> [UInt8] {
        let line = "\(Self.magic) \(Self.version) \(purpose.rawValue) \(Data(key).base64EncodedString())\n"
        return Array(line.utf8)
    }

    /// Returns the 32 key bytes in `contents`, read from `path`, checking every part of the line.
    ///
    /// The error messages never quote the contents, which are secret.
    static func decode(_ contents: [UInt8], purpose: KeyPurpose, path: String) throws -> [UInt8] {
        let expected = "one line `\(Self.magic) \(Self.version) \(purpose.rawValue) <base64 of 32 bytes>`"
        func malformed(_ reason: String) -> KeyringError {
            KeyringError(
                code: .malformedKey,
                message: "the key file \(path) \(reason); it must hold \(expected). Restore it from a backup",
                path: path
            )
        }
        var body = contents[...]
        if body.last == UInt8(ascii: "\n") {
            body = body.dropLast()
        }
        guard let line = String(validating: body, as: UTF8.self) else {
            throw malformed("is not text")
        }
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 4, fields[0] == Self.magic else {
            throw malformed("is not a CleanRoom key file")
        }
        guard fields[1] == Self.version else {
            throw malformed("has an unknown format version")
        }
        guard fields[2] == purpose.rawValue else {
            let found = KeyPurpose(rawValue: String(fields[2])).map { "a \($0.rawValue) key" }
                ?? "an unknown kind of key"
            throw malformed("holds \(found)")
        }
        guard let key = Data(base64Encoded: String(fields[3])) else {
            throw malformed("holds invalid Base64")
        }
        guard key.count == Self.keyByteCount else {
            throw malformed("holds \(key.count) key bytes instead of \(Self.keyByteCount)")
        }
        return Array(key)
    }
}

extension KeyDirectory {
    /// Creates the key file `name` holding `key` for `purpose`, unless it exists; returns whether it was created.
    func createKeyFile(_ name: String, key: [UInt8], purpose: KeyPurpose) throws -> Bool {
        try self.createFileExclusively(named: name, contents: KeyFileFormat.encode(key, purpose: purpose))
    }
}
