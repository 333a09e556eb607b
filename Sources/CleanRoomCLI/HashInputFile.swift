import Foundation

/// One input of `cleanroom hash`, open for reading: a file, or standard input for `-`.
///
/// Inputs are named by their position on the command line (`input 1`, `input 2`, …), never by the text typed:
/// `cleanroom hash --kind email jane@example.com` must not print the address it was given by mistake. The command
/// checks every input with ``check(argument:position:)`` before it writes anything, then opens one at a time.
final class HashInputFile {
    /// The position of the input among the command's inputs, from 1.
    let position: Int
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    /// Checks, without reading it, that `argument` (a path, or `-` for standard input) can be read as input number
    /// `position`, and returns the device and inode of a regular file (`nil` for a pipe or a terminal), to refuse an
    /// output that is this file.
    ///
    /// - Throws: ``HashCommandError/Code/unreadableInput`` when it does not exist or may not be read,
    ///   ``HashCommandError/Code/inputIsFolder`` for a folder.
    static func check(argument: String, position: Int) throws(HashCommandError) -> HashFileIdentity? {
        var status = stat()
        let found = argument == "-" ? fstat(STDIN_FILENO, &status) : stat(argument, &status)
        guard found == 0, argument == "-" || access(argument, R_OK) == 0 else {
            throw Self.unreadable(position, errno)
        }
        try Self.refuseFolder(status, position)
        return HashFileIdentity(regularFile: status)
    }

    /// Opens `argument`, a path or `-` for standard input, as input number `position`.
    ///
    /// - Throws: ``HashCommandError/Code/unreadableInput`` when it does not exist or may not be read,
    ///   ``HashCommandError/Code/inputIsFolder`` for a folder.
    convenience init(argument: String, position: Int) throws(HashCommandError) {
        guard argument != "-" else {
            try self.init(descriptor: STDIN_FILENO, position: position, ownsDescriptor: false)
            return
        }
        let descriptor = open(argument, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw Self.unreadable(position, errno)
        }
        try self.init(descriptor: descriptor, position: position, ownsDescriptor: true)
    }

    /// Reads from an open `descriptor` as input number `position`, closing it at the end if `ownsDescriptor`.
    init(descriptor: Int32, position: Int, ownsDescriptor: Bool) throws(HashCommandError) {
        var status = stat()
        do throws(HashCommandError) {
            guard fstat(descriptor, &status) == 0 else {
                throw Self.unreadable(position, errno)
            }
            try Self.refuseFolder(status, position)
        } catch {
            if ownsDescriptor {
                close(descriptor)
            }
            throw error
        }
        self.position = position
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
    }

    deinit {
        if self.ownsDescriptor {
            close(self.descriptor)
        }
    }

    /// Reads up to `count` bytes; returns none only at the end of the input.
    ///
    /// - Throws: ``HashCommandError/Code/readFailed`` when the system reports a read error.
    func readChunk(maxCount count: Int) throws(HashCommandError) -> [UInt8] {
        let result = readRetryingInterrupts(self.descriptor, maxCount: count)
        guard let bytes = result.bytes else {
            throw HashCommandError(
                .readFailed,
                "input \(self.position) could not be read to the end (\(systemReason(result.error)))")
        }
        return bytes
    }

    private static func unreadable(_ position: Int, _ code: Int32) -> HashCommandError {
        HashCommandError(
            .unreadableInput,
            "input \(position) is not a readable file (\(systemReason(code))); values are read from files or "
                + "standard input, one per line")
    }

    private static func refuseFolder(_ status: stat, _ position: Int) throws(HashCommandError) {
        guard status.st_mode & mode_t(S_IFMT) == mode_t(S_IFDIR) else { return }
        throw HashCommandError(
            .inputIsFolder,
            "input \(position) is a folder; give the files in it, or the values on standard input, one per line")
    }
}

/// A file's device and inode: the same for every path and descriptor that reaches the file.
struct HashFileIdentity: Hashable {
    var device: dev_t
    var inode: ino_t

    /// The identity of the file `status` describes, `nil` unless it is a regular file.
    init?(regularFile status: stat) {
        guard status.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG) else { return nil }
        self.device = status.st_dev
        self.inode = status.st_ino
    }
}

/// The system's words for `code` (`No such file or directory`), which never hold a path.
func systemReason(_ code: Int32) -> String {
    String(cString: strerror(code))
}

/// Up to `count` bytes read from `descriptor`, read again when a signal interrupts; or the `errno` of the failure.
private func readRetryingInterrupts(_ descriptor: Int32, maxCount count: Int) -> (bytes: [UInt8]?, error: Int32) {
    var bytes = [UInt8](repeating: 0, count: count)
    while true {
        let result = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, count) }
        if result >= 0 {
            bytes.removeLast(count - result)
            return (bytes, 0)
        }
        if errno != EINTR {
            return (nil, errno)
        }
    }
}
