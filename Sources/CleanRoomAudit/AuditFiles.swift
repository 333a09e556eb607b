#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of an audit folder, and the POSIX calls that make them durable.
///
/// ```
/// audit/
///   log-000000000000.jsonl   entries 0 … (one segment per `segmentCapacity` entries, named by its first entry)
///   log-000000100000.jsonl
///   checkpoint               the latest signed checkpoint
///   checkpoints/000000008000.checkpoint   every signed checkpoint, named by its tree size
/// ```
struct AuditFiles: Sendable {
    /// The audit folder.
    let directory: String

    var checkpointsDirectory: String { self.directory + "/checkpoints" }
    var latestCheckpoint: String { self.directory + "/checkpoint" }

    func segmentPath(firstSequence: Int) -> String {
        self.directory + "/" + Self.segmentName(firstSequence: firstSequence)
    }

    func checkpointPath(size: Int) -> String {
        self.checkpointsDirectory + "/" + Self.padded(size) + ".checkpoint"
    }

    static func segmentName(firstSequence: Int) -> String { "log-" + Self.padded(firstSequence) + ".jsonl" }

    /// The first sequence number in a segment's name, or `nil` when the name is not a segment's.
    static func firstSequence(ofSegment name: String) -> Int? {
        guard name.hasPrefix("log-"), name.hasSuffix(".jsonl") else { return nil }
        let digits = name.dropFirst(4).dropLast(6)
        guard digits.count == 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    /// The checkpoint sizes present in `checkpoints/`, ascending.
    func checkpointSizes() throws -> [Int] {
        try Self.names(in: self.checkpointsDirectory).compactMap { name -> Int? in
            guard name.hasSuffix(".checkpoint") else { return nil }
            let digits = name.dropLast(11)
            guard digits.count == 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(digits)
        }.sorted()
    }

    /// The segments present, by first sequence number, ascending.
    func segments() throws -> [Int] {
        try Self.names(in: self.directory).compactMap(Self.firstSequence(ofSegment:)).sorted()
    }

    /// Creates the folder and `checkpoints/` (mode 0700) when absent.
    func createDirectories() throws {
        for path in [self.directory, self.checkpointsDirectory] {
            if mkdir(path, 0o700) != 0 && errno != EEXIST {
                throw AuditError(code: .writeFailed, message: "cannot create the audit folder \(path): \(Self.reason())")
            }
        }
    }

    private static func padded(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    static func names(in directory: String) throws -> [String] {
        guard let stream = opendir(directory) else {
            if errno == ENOENT { return [] }
            throw AuditError(code: .readFailed, message: "cannot list the audit folder \(directory): \(Self.reason())")
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            names.append(withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            })
        }
        return names
    }

    /// The whole contents of a file.
    static func read(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw AuditError(code: .readFailed, message: "cannot open \(path): \(Self.reason())")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw AuditError(code: .readFailed, message: "cannot read \(path): \(Self.reason())")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    /// Writes `bytes` to a new file at `path` through a temporary file that is synced and then renamed into
    /// place, and syncs the folder: the name only ever refers to complete contents.
    static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String) throws {
        let temporary = path + ".tmp"
        let file = try AppendFile(path: temporary, truncate: true)
        try file.append(bytes)
        try file.sync()
        guard rename(temporary, path) == 0 else {
            throw AuditError(code: .writeFailed, message: "cannot rename \(temporary) to \(path): \(Self.reason())")
        }
        try Self.syncDirectory(directory)
    }

    /// Makes a folder's entries (new or renamed files) durable.
    static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw AuditError(code: .writeFailed, message: "cannot open the folder \(path) to sync it: \(Self.reason())")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw AuditError(code: .writeFailed, message: "cannot sync the folder \(path): \(Self.reason())")
        }
    }

    /// Cuts a file to `length` bytes and syncs it.
    static func truncate(_ path: String, to length: Int) throws {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0, ftruncate(descriptor, off_t(length)) == 0, fsync(descriptor) == 0 else {
            let reason = Self.reason()
            if descriptor >= 0 { close(descriptor) }
            throw AuditError(code: .writeFailed, message: "cannot truncate \(path) to \(length) bytes: \(reason)")
        }
        close(descriptor)
    }

    static func reason() -> String { String(cString: strerror(errno)) }
}

/// A file opened for appending, mode 0600; closed when released.
final class AppendFile: @unchecked Sendable {
    let path: String
    private let descriptor: Int32

    init(path: String, truncate: Bool = false) throws {
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0)
        let descriptor = open(path, flags, 0o600)
        guard descriptor >= 0 else {
            throw AuditError(code: .writeFailed, message: "cannot open \(path) for writing: \(AuditFiles.reason())")
        }
        self.path = path
        self.descriptor = descriptor
    }

    /// Writes all of `bytes` at the end of the file.
    func append(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(self.descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw AuditError(code: .writeFailed, message: "cannot write to \(self.path): \(AuditFiles.reason())")
            }
            offset += written
        }
    }

    /// Flushes what was written to the disk (data and the file size).
    func sync() throws {
        guard fdatasync(self.descriptor) == 0 else {
            throw AuditError(code: .writeFailed, message: "cannot sync \(self.path): \(AuditFiles.reason())")
        }
    }

    deinit {
        close(self.descriptor)
    }
}
