import Foundation

/// Where `cleanroom hash` writes its lines: standard output, or a file replaced only when the whole run succeeds.
///
/// A file is written as a temporary file beside it (`.name.<UUID>.tmp`, in the same folder so that the rename stays
/// on one file system), synchronized to disk and renamed into place by ``commit()``. An output dropped before
/// ``commit()``, as when an input fails, removes its temporary file and leaves any earlier file of that name as it
/// was. A device or a pipe given as the file (`/dev/null`, a FIFO) is written directly.
///
/// Before anything is written, an output that is the same file (same device and inode) as an input is refused:
/// writing it would destroy the input. So is standard output redirected to an input, which a shell truncates
/// (`>`) or keeps growing while it is read (`>>`).
final class HashOutput {
    private let descriptor: Int32
    private let target: Target
    private var buffer: [UInt8] = []
    private var isFinished = false

    /// How the lines reach their destination.
    private enum Target {
        /// Standard output.
        case standardOutput
        /// A device or pipe opened by name.
        case device
        /// A temporary file, renamed to the final path by ``HashOutput/commit()``.
        case replacement(temporaryPath: String, finalPath: String)
    }

    /// Opens the output `path`, or standard output for `nil` or `-`.
    ///
    /// - Parameter inputs: The identities of the inputs (see ``HashInputFile/check(argument:position:)``), input 1
    ///   first.
    /// - Throws: ``HashCommandError/Code/outputIsInput`` when it is the same file as one of `inputs`,
    ///   ``HashCommandError/Code/outputIsFolder``, or ``HashCommandError/Code/outputNotWritable``.
    init(path: String?, inputs: [HashFileIdentity?]) throws(HashCommandError) {
        guard let path, path != "-" else {
            var status = stat()
            if fstat(STDOUT_FILENO, &status) == 0 {
                try Self.refuse(HashFileIdentity(regularFile: status), among: inputs, output: "standard output")
            }
            self.descriptor = STDOUT_FILENO
            self.target = .standardOutput
            return
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            guard errno == ENOENT else {
                throw HashCommandError(
                    .outputNotWritable, "the --output file cannot be reached (\(systemReason(errno)))")
            }
            (self.descriptor, self.target) = try Self.replacement(of: path, mode: nil)
            return
        }
        let type = status.st_mode & mode_t(S_IFMT)
        if type == mode_t(S_IFDIR) {
            throw HashCommandError(.outputIsFolder, "the --output file is a folder; give a file name")
        }
        try Self.refuse(HashFileIdentity(regularFile: status), among: inputs, output: "the --output file")
        guard type == mode_t(S_IFREG) else {
            let descriptor = open(path, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw HashCommandError(
                    .outputNotWritable, "the --output file cannot be opened for writing (\(systemReason(errno)))")
            }
            self.descriptor = descriptor
            self.target = .device
            return
        }
        // A symbolic link stays a link: the file it points to is the one replaced.
        let finalPath = realpath(path, nil).map { resolved in
            defer { free(resolved) }
            return String(cString: resolved)
        }
        (self.descriptor, self.target) = try Self.replacement(of: finalPath ?? path, mode: status.st_mode & 0o7777)
    }

    deinit {
        self.discard()
    }

    /// Appends `line` and a line feed, writing out whenever 64 KiB are buffered.
    func write(line: String) throws(HashCommandError) {
        self.buffer.append(contentsOf: line.utf8)
        self.buffer.append(UInt8(ascii: "\n"))
        if self.buffer.count >= 1 << 16 {
            try self.flush()
        }
    }

    /// Writes out what is buffered and, for a file, synchronizes it and renames it into place.
    ///
    /// - Throws: ``HashCommandError/Code/writeFailed``; the temporary file is then removed.
    func commit() throws(HashCommandError) {
        try self.flush()
        guard case .replacement(let temporaryPath, let finalPath) = self.target else {
            self.finish()
            return
        }
        let synchronized = fsync(self.descriptor) == 0 ? nil : errno
        self.finish()
        if let synchronized {
            unlink(temporaryPath)
            throw HashCommandError(
                .writeFailed,
                "the --output file could not be saved (\(systemReason(synchronized))); it was left as it was")
        }
        guard rename(temporaryPath, finalPath) == 0 else {
            let reason = systemReason(errno)
            unlink(temporaryPath)
            throw HashCommandError(
                .writeFailed, "the --output file could not be replaced (\(reason)); it was left as it was")
        }
    }

    /// Closes an output that was not committed; a temporary file is removed.
    private func discard() {
        guard !self.isFinished else { return }
        self.finish()
        if case .replacement(let temporaryPath, _) = self.target {
            unlink(temporaryPath)
        }
    }

    /// Closes the descriptor if this output opened it.
    private func finish() {
        guard !self.isFinished else { return }
        self.isFinished = true
        if case .standardOutput = self.target { return }
        close(self.descriptor)
    }

    private func flush() throws(HashCommandError) {
        let failure = writeRetryingInterrupts(self.descriptor, self.buffer)
        self.buffer.removeAll(keepingCapacity: true)
        if let failure {
            throw HashCommandError(.writeFailed, "the hashes could not be written (\(systemReason(failure)))")
        }
    }

    /// A new temporary file beside `path`, with the permissions `mode` of the file it replaces, or the default
    /// ones for a new file.
    private static func replacement(of path: String, mode: mode_t?) throws(HashCommandError)
        -> (descriptor: Int32, target: Target)
    {
        let url = URL(fileURLWithPath: path)
        let temporaryPath = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw HashCommandError(
                .outputNotWritable,
                "no file can be created in the folder of the --output file (\(systemReason(errno))); check that the "
                    + "folder exists and may be written")
        }
        if let mode {
            fchmod(descriptor, mode)
        }
        return (descriptor, .replacement(temporaryPath: temporaryPath, finalPath: path))
    }

    /// Throws ``HashCommandError/Code/outputIsInput`` when `identity` is that of one of `inputs`.
    private static func refuse(_ identity: HashFileIdentity?, among inputs: [HashFileIdentity?], output: String)
        throws(HashCommandError)
    {
        guard let identity, let index = inputs.firstIndex(of: identity) else { return }
        throw HashCommandError(
            .outputIsInput,
            "\(output) is the same file as input \(index + 1), which writing it would destroy; write the hashes to "
                + "another file")
    }
}

/// Writes all of `bytes` to `descriptor`, again when a signal interrupts; returns the `errno` of a failure.
private func writeRetryingInterrupts(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32? {
    var written = 0
    while written < bytes.count {
        let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if result >= 0 {
            written += result
        } else if errno != EINTR {
            return errno
        }
    }
    return nil
}
