/// The keys of one CleanRoom installation, kept as files in a `keys/` directory.
///
/// | file | holds |
/// |---|---|
/// | `kek-v1.key`, `kek-v2.key`, … | key-encryption keys, one per version; the highest is current |
/// | `match.key` | the HMAC-SHA256 key that turns match hashes into pseudonyms |
/// | `audit-ed25519.key` | the Ed25519 seed that signs audit checkpoints |
/// | `audit-ed25519.pub` | its public key, for auditors |
///
/// Each file is one line `cleanroom-key v1 <purpose> <base64>` (purposes `key-encryption`, `match`,
/// `audit-signing`, `audit-verifying`) with mode 0600, in a directory with mode 0700.
/// ``create(in:)`` makes what is absent and never overwrites; ``open(in:)`` refuses a keyring that
/// group or others can read, or whose files are missing or malformed.
///
/// Data keys are wrapped under the current key-encryption key. After ``rotateKeyEncryptionKey()``,
/// keys wrapped under older versions still unwrap, and ``rewrap(_:context:)`` moves them to the new
/// version; an old `kek-v<N>.key` may be deleted once nothing wrapped under it remains.
///
/// `Keyring` is an immutable-after-open value, safe to share across tasks. ``rotateKeyEncryptionKey()``
/// changes only the copy it is called on; other processes see the new version when they open the
/// keyring again.
public struct Keyring: Sendable, CustomStringConvertible {
    /// The keys directory.
    public let directory: String
    /// The HMAC-SHA256 key for pseudonyms: pseudonym = HMAC-SHA256(match key, match hash).
    public let matchKey: SymmetricKey
    /// The Ed25519 key that signs audit checkpoints.
    public let auditSigningKey: Ed25519PrivateKey
    /// The version of the newest key-encryption key, the one ``wrap(_:context:)`` uses.
    public private(set) var currentKeyEncryptionKeyVersion: Int
    private var keyEncryptionKeys: [Int: SymmetricKey]

    /// Every key-encryption key version in the keyring, ascending.
    public var keyEncryptionKeyVersions: [Int] {
        self.keyEncryptionKeys.keys.sorted()
    }

    // MARK: Creating and opening

    /// Creates the keys that are absent in `directory`, and the directory itself, and reports what it did.
    ///
    /// Creates the directory (mode 0700) if needed, then each absent file with mode 0600: `kek-v1.key` when
    /// no key-encryption key exists, `match.key`, `audit-ed25519.key`, and `audit-ed25519.pub` derived from
    /// the private key on disk. Files are written completely and `fsync`ed before they get their name, and
    /// the directory is `fsync`ed afterwards. An existing file is never changed, so running it again is
    /// harmless and reports everything as already present.
    ///
    /// - Throws: ``KeyringError`` with ``KeyringError/Code/insecurePermissions`` when an existing directory
    ///   that already holds keys, or an existing key file, is accessible by group or others (a loose
    ///   directory holding no key yet is tightened to 0700), ``KeyringError/Code/missingKey`` when
    ///   `audit-ed25519.pub` exists without its private key, ``KeyringError/Code/fileSystemFailure`` when a
    ///   file operation fails.
    @discardableResult
    public static func create(in directory: String) throws -> KeyringCreationReport {
        let keys = KeyDirectory(path: directory)
        var report = KeyringCreationReport(directory: directory)
        report.createdDirectory = try keys.createIfAbsent()
        report.tightenedDirectory = try keys.tightenIfHoldingNoKeys()
        try keys.requirePrivate()
        for name in try keys.keyFileNames() {
            try keys.requirePrivateFile(named: name)
        }

        let versions = try keys.keyEncryptionKeyVersions()
        if versions.isEmpty {
            let name = KeyFileName.keyEncryption(version: 1)
            let key = try SymmetricKey.generate()
            report.record(name, created: try keys.createKeyFile(name, key: key.bytes, purpose: .keyEncryption))
        } else {
            report.existingFiles += versions.map(KeyFileName.keyEncryption(version:))
        }

        if keys.contains(KeyFileName.match) {
            report.record(KeyFileName.match, created: false)
        } else {
            let key = try SymmetricKey.generate()
            let created = try keys.createKeyFile(KeyFileName.match, key: key.bytes, purpose: .match)
            report.record(KeyFileName.match, created: created)
        }

        if keys.contains(KeyFileName.auditSigning) {
            report.record(KeyFileName.auditSigning, created: false)
        } else {
            guard !keys.contains(KeyFileName.auditVerifying) else {
                let path = keys.path(of: KeyFileName.auditSigning)
                throw KeyringError(
                    code: .missingKey,
                    message: "the key file \(path) is missing but its public key \(KeyFileName.auditVerifying) "
                        + "exists; restore \(KeyFileName.auditSigning) from a backup, or remove "
                        + "\(KeyFileName.auditVerifying) to create a new audit signing key pair (earlier checkpoints "
                        + "then verify only against the old public key)",
                    path: path
                )
            }
            let key = try Ed25519PrivateKey.generate()
            let created = try keys.createKeyFile(
                KeyFileName.auditSigning, key: key.rawRepresentation, purpose: .auditSigning
            )
            report.record(KeyFileName.auditSigning, created: created)
        }
        // Derive the public key from the private key on disk, whoever wrote it.
        let signingKey = try Self.readAuditSigningKey(in: keys)
        let created = try keys.createKeyFile(
            KeyFileName.auditVerifying, key: signingKey.publicKey.rawRepresentation, purpose: .auditVerifying
        )
        report.record(KeyFileName.auditVerifying, created: created)

        try keys.sync()
        return report
    }

    /// Checks, without reading any key, that nobody but the owner can access the keys in `directory`.
    ///
    /// For commands that use a home but need no key: they refuse to run beside exposed keys all the same.
    /// A missing directory, or one that holds no key file yet, passes.
    ///
    /// - Throws: ``KeyringError`` with ``KeyringError/Code/insecurePermissions`` naming the directory or
    ///   the first exposed key file, and the `chmod` that fixes it.
    public static func verifyPermissions(in directory: String) throws {
        let keys = KeyDirectory(path: directory)
        guard keys.exists else { return }
        let names = try keys.keyFileNames()
        guard !names.isEmpty else { return }
        try keys.requirePrivate()
        for name in names {
            try keys.requirePrivateFile(named: name)
        }
    }

    /// Opens the keyring in `directory`, checking its permissions and every key file.
    ///
    /// - Throws: ``KeyringError``: ``KeyringError/Code/insecurePermissions`` when the directory is not
    ///   private (mode 0700 or stricter) or a key file is not (0600 or stricter), naming the file and the
    ///   `chmod` that fixes it; ``KeyringError/Code/missingKey`` when the directory, a key file or every
    ///   key-encryption key is absent; ``KeyringError/Code/malformedKey`` when a file is not a valid key file
    ///   of its kind, or the audit public key does not match the private key.
    public static func open(in directory: String) throws -> Keyring {
        let keys = KeyDirectory(path: directory)
        try keys.requirePrivate()
        let matchKey = try SymmetricKey(
            bytes: Self.readKey(
                KeyFileName.match, purpose: .match, in: keys,
                missingAdvice: "restore it from a backup: pseudonyms made with another match key do not match"
            )
        )
        let auditSigningKey = try Self.readAuditSigningKey(in: keys)
        let publicKey = try Self.readKey(
            KeyFileName.auditVerifying, purpose: .auditVerifying, in: keys,
            missingAdvice: "create the keyring again to derive it from \(KeyFileName.auditSigning)"
        )
        guard publicKey == auditSigningKey.publicKey.rawRepresentation else {
            let path = keys.path(of: KeyFileName.auditVerifying)
            throw KeyringError(
                code: .malformedKey,
                message: "the key file \(path) does not hold the public key of \(KeyFileName.auditSigning); "
                    + "restore the pair from a backup",
                path: path
            )
        }
        var keyEncryptionKeys: [Int: SymmetricKey] = [:]
        for version in try keys.keyEncryptionKeyVersions() {
            keyEncryptionKeys[version] = try Self.readKeyEncryptionKey(version: version, in: keys)
        }
        guard let current = keyEncryptionKeys.keys.max() else {
            let path = keys.path(of: KeyFileName.keyEncryption(version: 1))
            throw KeyringError(
                code: .missingKey,
                message: "the keys directory \(directory) holds no key-encryption key (kek-v1.key, kek-v2.key, …); "
                    + "restore them from a backup, or create the keyring if it is new",
                path: path
            )
        }
        return Keyring(
            directory: directory, matchKey: matchKey, auditSigningKey: auditSigningKey,
            currentKeyEncryptionKeyVersion: current, keyEncryptionKeys: keyEncryptionKeys
        )
    }

    // MARK: Data keys

    /// Wraps `dataKey` under the current key-encryption key, binding it to `context`.
    ///
    /// - Parameter context: Who or what the data key belongs to (for example the subject id); ``unwrap(_:context:)``
    ///   needs the same bytes.
    public func wrap(_ dataKey: DataKey, context: [UInt8]) throws -> WrappedDataKey {
        let version = self.currentKeyEncryptionKeyVersion
        let sealed = try AES256GCM.sealCombined(
            dataKey.key.bytes, key: try self.keyEncryptionKey(version: version),
            authenticating: WrappedDataKey.associatedData(version: version, context: context)
        )
        return try WrappedDataKey(keyEncryptionKeyVersion: version, sealed: sealed)
    }

    /// A wrapper of many data keys under the current key-encryption key, which OpenSSL expands once for all of
    /// them: for an ingest creating a data key per new person. Not for use by two threads at once.
    public func wrapper() throws -> Wrapper {
        let version = self.currentKeyEncryptionKeyVersion
        return Wrapper(
            version: version, sealer: try AES256GCM.KeyedSealer(key: try self.keyEncryptionKey(version: version)))
    }

    /// Wraps data keys as ``Keyring/wrap(_:context:)`` does, under the key-encryption key current when it was made.
    public struct Wrapper {
        let version: Int
        let sealer: AES256GCM.KeyedSealer

        /// `dataKey` wrapped and bound to `context`, as ``Keyring/wrap(_:context:)`` gives it.
        public func wrap(_ dataKey: DataKey, context: [UInt8]) throws -> WrappedDataKey {
            let sealed = try self.sealer.sealCombined(
                dataKey.key.bytes,
                authenticating: WrappedDataKey.associatedData(version: self.version, context: context))
            return try WrappedDataKey(keyEncryptionKeyVersion: self.version, sealed: sealed)
        }
    }

    /// Unwraps a data key wrapped under any key-encryption key version still in the keyring.
    ///
    /// - Throws: ``KeyringError/Code/missingKey`` when its version is not in the keyring;
    ///   ``CryptoError/Code/authenticationFailure`` when the context differs, the wrapped bytes or the
    ///   version were altered, or the key-encryption key file was replaced.
    public func unwrap(_ wrapped: WrappedDataKey, context: [UInt8]) throws -> DataKey {
        let version = wrapped.keyEncryptionKeyVersion
        let bytes = try AES256GCM.openCombined(
            wrapped.sealed, key: try self.keyEncryptionKey(version: version),
            authenticating: WrappedDataKey.associatedData(version: version, context: context)
        )
        return DataKey(key: try SymmetricKey(bytes: bytes))
    }

    /// Returns `wrapped` wrapped under the current key-encryption key, after checking that it unwraps.
    ///
    /// A key already at the current version is returned unchanged.
    public func rewrap(_ wrapped: WrappedDataKey, context: [UInt8]) throws -> WrappedDataKey {
        let dataKey = try self.unwrap(wrapped, context: context)
        guard wrapped.keyEncryptionKeyVersion != self.currentKeyEncryptionKeyVersion else { return wrapped }
        return try self.wrap(dataKey, context: context)
    }

    // MARK: Rotation

    /// Writes a new key-encryption key `kek-v<N+1>.key` (mode 0600, exclusive, `fsync`ed) and makes it current.
    ///
    /// N is the highest version on disk or in this keyring. Older versions stay, so keys wrapped under them
    /// still unwrap; moving them with ``rewrap(_:context:)`` is the caller's job.
    ///
    /// - Returns: The new version.
    /// - Throws: ``KeyringError/Code/conflict`` when another process created the same version meanwhile;
    ///   ``KeyringError/Code/insecurePermissions`` or ``KeyringError/Code/fileSystemFailure`` as for ``open(in:)``.
    @discardableResult
    public mutating func rotateKeyEncryptionKey() throws -> Int {
        let keys = KeyDirectory(path: self.directory)
        try keys.requirePrivate()
        let newest = max(try keys.keyEncryptionKeyVersions().last ?? 0, self.currentKeyEncryptionKeyVersion)
        guard newest < KeyFileName.maximumKeyEncryptionVersion else {
            throw KeyringError(
                code: .conflict,
                message: "no key-encryption key version is left after \(newest)",
                path: keys.path(of: KeyFileName.keyEncryption(version: newest))
            )
        }
        let version = newest + 1
        let name = KeyFileName.keyEncryption(version: version)
        let key = try SymmetricKey.generate()
        guard try keys.createKeyFile(name, key: key.bytes, purpose: .keyEncryption) else {
            throw KeyringError(
                code: .conflict,
                message: "\(name) appeared while rotating: another process rotated at the same time; "
                    + "open the keyring again and retry",
                path: keys.path(of: name)
            )
        }
        try keys.sync()
        self.keyEncryptionKeys[version] = key
        self.currentKeyEncryptionKeyVersion = version
        return version
    }

    /// A summary without key material.
    public var description: String {
        let versions = self.keyEncryptionKeyVersions.map(String.init).joined(separator: ", ")
        return "Keyring(\(self.directory), key-encryption key versions: \(versions), "
            + "current: \(self.currentKeyEncryptionKeyVersion))"
    }

    // MARK: Reading files

    private func keyEncryptionKey(version: Int) throws -> SymmetricKey {
        guard let key = self.keyEncryptionKeys[version] else {
            let path = KeyDirectory(path: self.directory).path(of: KeyFileName.keyEncryption(version: version))
            throw KeyringError(
                code: .missingKey,
                message: "the key-encryption key version \(version) (\(path)) is not in the keyring; restore it from "
                    + "a backup, or open the keyring again if another process has just rotated",
                path: path
            )
        }
        return key
    }

    private static func readKey(
        _ name: String, purpose: KeyPurpose, in keys: KeyDirectory, missingAdvice: String
    ) throws -> [UInt8] {
        let contents = try keys.readKeyFile(named: name, missingAdvice: missingAdvice)
        return try KeyFileFormat.decode(contents, purpose: purpose, path: keys.path(of: name))
    }

    private static func readKeyEncryptionKey(version: Int, in keys: KeyDirectory) throws -> SymmetricKey {
        try SymmetricKey(
            bytes: Self.readKey(
                KeyFileName.keyEncryption(version: version), purpose: .keyEncryption, in: keys,
                missingAdvice: "restore it from a backup"
            )
        )
    }

    private static func readAuditSigningKey(in keys: KeyDirectory) throws -> Ed25519PrivateKey {
        try Ed25519PrivateKey(
            rawRepresentation: Self.readKey(
                KeyFileName.auditSigning, purpose: .auditSigning, in: keys,
                missingAdvice: "restore it from a backup: checkpoints signed with a new key do not verify "
                    + "against the published public key"
            )
        )
    }
}
