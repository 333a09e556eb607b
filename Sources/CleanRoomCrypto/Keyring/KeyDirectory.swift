#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX file operations of the keyring: a private directory, key files created exclusively and
/// durably, and reads that refuse files others can access.
struct KeyDirectory: Sendable {
    /// The directory path as given.
    let path: String

    /// Key files are one short line; anything much longer is not a key file.
    private static let maximumFileSize = 4096
    private static let fileTypeMask: mode_t = 0o170000
    private static let directoryType: mode_t = 0o040000
    private static let regularFileType: mode_t = 0o100000
    private static let groupAndOtherBits: mode_t = 0o077

    /// The full path of the file `name` in this directory.
    func path(of name: String) -> String {
        self.path.hasSuffix("/") ? self.path + name : self.path + "/" + name
    }

    // MARK: Directory

    /// Creates the directory with mode 0700 unless it exists; returns whether it was created.
    func createIfAbsent() throws -> Bool {
        if mkdir(self.path, 0o700) == 0 {
            // The umask may have removed bits; set exactly 0700.
            guard chmod(self.path, 0o700) == 0 else {
                throw Self.failure("could not set mode 0700 on the keys directory", self.path, errno)
            }
            try Self.sync(directory: Self.parent(of: self.path))
            return true
        }
        let code = errno
        guard code == EEXIST else {
            throw Self.failure("could not create the keys directory", self.path, code)
        }
        return false
    }

    /// Gives an existing directory mode 0700 when group or others can access it but it holds no key file
    /// yet, as a fresh checkout's `keys/` holding only its README does: nothing secret was ever exposed
    /// there. Returns whether it changed the mode. A loose directory that already holds keys is left as
    /// it is, for ``requirePrivate()`` to refuse.
    func tightenIfHoldingNoKeys() throws -> Bool {
        var info = stat()
        guard stat(self.path, &info) == 0, info.st_mode & Self.fileTypeMask == Self.directoryType,
            info.st_mode & Self.groupAndOtherBits != 0, try self.keyFileNames().isEmpty
        else {
            return false
        }
        guard chmod(self.path, 0o700) == 0 else {
            throw Self.failure("could not set mode 0700 on the keys directory", self.path, errno)
        }
        return true
    }

    /// The names of the key files present (key-encryption keys, match key, audit key pair).
    func keyFileNames() throws -> [String] {
        let fixed = [KeyFileName.match, KeyFileName.auditSigning, KeyFileName.auditVerifying].filter(self.contains)
        return try self.keyEncryptionKeyVersions().map(KeyFileName.keyEncryption(version:)) + fixed
    }

    /// Checks the mode of the key file `name`: a regular file that neither group nor others can access.
    func requirePrivateFile(named name: String) throws {
        let filePath = self.path(of: name)
        var info = stat()
        guard lstat(filePath, &info) == 0 else {
            throw Self.failure("could not inspect the key file", filePath, errno)
        }
        try Self.requirePrivateRegularFile(mode: info.st_mode, path: filePath)
    }

    /// Checks that the directory exists and that neither group nor others have any access to it.
    func requirePrivate() throws {
        var info = stat()
        guard stat(self.path, &info) == 0 else {
            let code = errno
            if code == ENOENT {
                throw KeyringError(
                    code: .missingKey,
                    message: "the keys directory \(self.path) does not exist; create the keyring first",
                    path: self.path
                )
            }
            throw Self.failure("could not inspect the keys directory", self.path, code)
        }
        guard info.st_mode & Self.fileTypeMask == Self.directoryType else {
            throw KeyringError(
                code: .fileSystemFailure, message: "the keys directory \(self.path) is not a directory", path: self.path
            )
        }
        guard info.st_mode & Self.groupAndOtherBits == 0 else {
            throw KeyringError(
                code: .insecurePermissions,
                message: "the keys directory \(self.path) is accessible by group or others "
                    + "(mode \(Self.octal(info.st_mode))); run `chmod 700 \(self.path)`",
                path: self.path
            )
        }
    }

    /// Makes the directory's entries durable.
    func sync() throws {
        try Self.sync(directory: self.path)
    }

    /// The versions of the `kek-v<N>.key` files present, in ascending order.
    func keyEncryptionKeyVersions() throws -> [Int] {
        guard let stream = opendir(self.path) else {
            throw Self.failure("could not list the keys directory", self.path, errno)
        }
        defer { closedir(stream) }
        var versions: [Int] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let version = KeyFileName.keyEncryptionVersion(of: name) {
                versions.append(version)
            }
        }
        return versions.sorted()
    }

    // MARK: Files

    /// Tells whether the directory exists.
    var exists: Bool {
        var info = stat()
        return stat(self.path, &info) == 0
    }

    /// Tells whether an entry called `name` exists (a dangling link counts).
    func contains(_ name: String) -> Bool {
        var info = stat()
        return lstat(self.path(of: name), &info) == 0
    }

    /// Creates the file `name` with mode 0600 holding `contents`, unless an entry of that name exists;
    /// returns whether it was created. Never overwrites.
    ///
    /// The contents go to a temporary file opened with `O_CREAT | O_EXCL | O_NOFOLLOW`, are written and
    /// `fsync`ed, and only then is the file linked to its name; `link` fails rather than replace an
    /// existing entry. So the name only ever refers to a complete key, even after a crash. The caller
    /// syncs the directory once its files are in place.
    func createFileExclusively(named name: String, contents: [UInt8]) throws -> Bool {
        let finalPath = self.path(of: name)
        let temporaryPath = self.path(of: ".\(name).\(Hex.encode(try SecureRandom.bytes(count: 8))).tmp")
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Self.failure("could not create a key file", temporaryPath, errno)
        }
        defer { unlink(temporaryPath) }
        do {
            guard fchmod(descriptor, 0o600) == 0 else {
                throw Self.failure("could not set mode 0600 on a key file", temporaryPath, errno)
            }
            try Self.writeAll(contents, to: descriptor, path: temporaryPath)
            guard fsync(descriptor) == 0 else {
                throw Self.failure("could not flush a key file to disk", temporaryPath, errno)
            }
        } catch {
            close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else {
            throw Self.failure("could not close a key file", temporaryPath, errno)
        }
        if link(temporaryPath, finalPath) == 0 {
            return true
        }
        let code = errno
        guard code == EEXIST else {
            throw Self.failure("could not create the key file", finalPath, code)
        }
        return false
    }

    /// Returns the contents of the key file `name`, refusing a file that is missing, not a regular
    /// file, accessible by group or others, or too large to be a key file.
    ///
    /// - Parameter missingAdvice: What to do when the file is missing, appended to the message.
    func readKeyFile(named name: String, missingAdvice: String) throws -> [UInt8] {
        let filePath = self.path(of: name)
        let descriptor = open(filePath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            switch code {
            case ENOENT:
                throw KeyringError(
                    code: .missingKey, message: "the key file \(filePath) is missing; \(missingAdvice)", path: filePath
                )
            case ELOOP:
                throw KeyringError(
                    code: .malformedKey,
                    message: "the key file \(filePath) is a symbolic link; replace it with the key file itself",
                    path: filePath
                )
            default:
                throw Self.failure("could not open the key file", filePath, code)
            }
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw Self.failure("could not inspect the key file", filePath, errno)
        }
        try Self.requirePrivateRegularFile(mode: info.st_mode, path: filePath)
        guard info.st_size <= Self.maximumFileSize else {
            throw KeyringError(
                code: .malformedKey,
                message: "the key file \(filePath) is \(info.st_size) bytes, too large to be a key file",
                path: filePath
            )
        }
        return try Self.readAll(from: descriptor, path: filePath)
    }

    // MARK: Helpers

    /// Refuses a key file whose `mode` (from `lstat` or `fstat`) is not a regular file, or lets group or
    /// others access it.
    private static func requirePrivateRegularFile(mode: mode_t, path: String) throws {
        guard mode & Self.fileTypeMask == Self.regularFileType else {
            throw KeyringError(code: .malformedKey, message: "the key file \(path) is not a regular file", path: path)
        }
        guard mode & Self.groupAndOtherBits == 0 else {
            throw KeyringError(
                code: .insecurePermissions,
                message: "the key file \(path) is accessible by group or others "
                    + "(mode \(Self.octal(mode))); run `chmod 600 \(path)`",
                path: path
            )
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw Self.failure("could not write a key file", path, code)
                }
                offset += written
            }
        }
    }

    private static func readAll(from descriptor: Int32, path: String) throws -> [UInt8] {
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: Self.maximumFileSize + 1)
        while contents.count <= Self.maximumFileSize {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw Self.failure("could not read the key file", path, code)
            }
            if count == 0 { break }
            contents += buffer.prefix(count)
        }
        return contents
    }

    private static func sync(directory: String) throws {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw Self.failure("could not open the directory to flush it", directory, errno)
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw Self.failure("could not flush the directory to disk", directory, errno)
        }
    }

    private static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") {
            trimmed = trimmed.dropLast()
        }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    private static func octal(_ mode: mode_t) -> String {
        let digits = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private static func failure(_ what: String, _ path: String, _ code: Int32) -> KeyringError {
        KeyringError(
            code: .fileSystemFailure, message: "\(what) \(path): \(String(cString: strerror(code)))", path: path
        )
    }
}
