import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A file only its owner may read (mode 0600), written whole or not at all: a temporary file beside it, synced,
/// then renamed over it, and the folder synced. For outputs that hold personal data or must match an audit entry.
///
/// Create it before the work whose result it will hold, so that a destination that cannot be written is found
/// before anything is recorded; then ``commit(_:)`` the bytes, or ``abandon()``.
final class PrivateFile {
    private let path: String
    private let temporary: String
    private var descriptor: Int32

    /// Opens a new temporary file beside `path`.
    init(creatingAt path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        self.temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        self.descriptor = open(self.temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard self.descriptor >= 0 else {
            throw CLIError(
                code: .unwritableOutput,
                message: "\(path) cannot be written (\(String(cString: strerror(errno)))); check its folder")
        }
    }

    deinit {
        self.abandon()
    }

    /// Writes `bytes`, syncs them, and puts the file in place.
    func commit(_ bytes: [UInt8]) throws {
        var written = 0
        var failure: Int32?
        while written < bytes.count, failure == nil {
            let result = bytes[written...].withUnsafeBytes { Glibc.write(self.descriptor, $0.baseAddress, $0.count) }
            if result > 0 {
                written += result
            } else if result == 0 || errno != EINTR {
                failure = result == 0 ? EIO : errno
            }
        }
        if failure == nil, fsync(self.descriptor) != 0 { failure = errno }
        if failure == nil, rename(self.temporary, self.path) != 0 { failure = errno }
        if let failure {
            throw CLIError(
                code: .unwritableOutput, message: "\(self.path) could not be written (\(String(cString: strerror(failure))))")
        }
        close(self.descriptor)
        self.descriptor = -1
        let folder = open(URL(fileURLWithPath: self.path).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// Removes the temporary file, if it was not committed.
    func abandon() {
        guard self.descriptor >= 0 else { return }
        close(self.descriptor)
        self.descriptor = -1
        unlink(self.temporary)
    }

    /// Writes `bytes` to `path` at once.
    static func write(_ bytes: [UInt8], to path: String) throws {
        try PrivateFile(creatingAt: path).commit(bytes)
    }
}
