import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A file only its owner may read (mode 0600), written whole or not at all: a temporary file beside it, synced,
/// then renamed over it. For outputs that hold personal data, such as an access export.
enum PrivateFile {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CLIError(
                code: .unwritableOutput,
                message: "\(path) cannot be written (\(String(cString: strerror(errno)))); check its folder")
        }
        var written = 0
        var failure: Int32?
        while written < bytes.count, failure == nil {
            let result = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if result >= 0 { written += result } else if errno != EINTR { failure = errno }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw CLIError(
                code: .unwritableOutput, message: "\(path) could not be written (\(String(cString: strerror(failure))))")
        }
    }
}
