import Foundation

/// One output file of the demo commands, written through a large buffer to a temporary file beside its final
/// name and renamed into place by ``commit()``: an interrupted run leaves no half-written file under the final
/// name.
final class DemoOutputFile {
    /// The file's name inside its folder (`customers.jsonl`).
    let name: String
    /// The number of lines written.
    private(set) var lineCount = 0

    private let finalURL: URL
    private let temporaryURL: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private static let flushThreshold = 1 << 20

    /// Creates the temporary file for `name` in `directory`, which must exist.
    init(directory: URL, name: String) throws(DemoError) {
        self.name = name
        self.finalURL = directory.appendingPathComponent(name)
        let process = ProcessInfo.processInfo.processIdentifier
        self.temporaryURL = directory.appendingPathComponent(".\(name).\(process).tmp")
        guard FileManager.default.createFile(atPath: self.temporaryURL.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: self.temporaryURL.path)
        else {
            throw DemoError(.outputNotWritable, "cannot create \(name) in the --out folder; check its permissions")
        }
        self.handle = handle
        self.buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    /// Appends `line` and a newline.
    func write(_ line: DemoJSONLine) throws(DemoError) {
        try self.write(bytes: line.bytes)
    }

    /// Appends `bytes` and a newline.
    func write(bytes: [UInt8]) throws(DemoError) {
        self.buffer.append(contentsOf: bytes)
        self.buffer.append(UInt8(ascii: "\n"))
        self.lineCount += 1
        if self.buffer.count >= Self.flushThreshold { try self.flush() }
    }

    /// Writes what is buffered, syncs, closes and renames the file to its final name, replacing any file there.
    func commit() throws(DemoError) {
        try self.flush()
        do {
            try self.handle.synchronize()
            try self.handle.close()
        } catch {
            throw DemoError(.writeFailed, "cannot save \(self.name) in the --out folder: \(error.localizedDescription)")
        }
        guard rename(self.temporaryURL.path, self.finalURL.path) == 0 else {
            throw DemoError(.writeFailed, "cannot rename the finished \(self.name) into place in the --out folder")
        }
    }

    /// Closes and deletes the temporary file, after a failure.
    func discard() {
        try? self.handle.close()
        try? FileManager.default.removeItem(at: self.temporaryURL)
    }

    private func flush() throws(DemoError) {
        guard !self.buffer.isEmpty else { return }
        do {
            try self.handle.write(contentsOf: self.buffer)
        } catch {
            throw DemoError(
                .writeFailed, "cannot write \(self.name) in the --out folder: \(error.localizedDescription)")
        }
        self.buffer.removeAll(keepingCapacity: true)
    }
}
