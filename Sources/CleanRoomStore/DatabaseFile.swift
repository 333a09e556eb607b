#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The database file on disk, checked and, when allowed, created private before SQLite opens it.
struct DatabaseFile {
    let path: String

    private static let groupAndOtherBits: mode_t = 0o077

    /// Creates the file with mode 0600 when it is missing and `createIfMissing` allows it, and refuses a file
    /// that group or others can access. SQLite creates the `-wal` and `-shm` files with the database's mode.
    func prepare(createIfMissing: Bool) throws {
        var info = stat()
        if stat(self.path, &info) != 0 {
            guard errno == ENOENT else {
                throw StoreError(code: .cannotOpen, message: "cannot inspect the database file \(self.path)")
            }
            guard createIfMissing else {
                throw StoreError(
                    code: .notFound,
                    message: "there is no database at \(self.path); check the home, or run `cleanroom init` there"
                )
            }
            let descriptor = open(self.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if descriptor >= 0 {
                close(descriptor)
                return
            }
            guard errno == EEXIST, stat(self.path, &info) == 0 else {
                throw StoreError(
                    code: .cannotOpen,
                    message: "cannot create the database file \(self.path); check that its folder exists and is writable"
                )
            }
        }
        guard info.st_mode & Self.groupAndOtherBits == 0 else {
            throw StoreError(
                code: .insecurePermissions,
                message: "the database file \(self.path) is accessible by group or others (mode "
                    + "\(String(info.st_mode & 0o777, radix: 8))); run `chmod 600 \(self.path)`"
            )
        }
    }
}
