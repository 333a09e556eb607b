public import ArgumentParser
import CSV
import CleanRoomCore
import Foundation

/// `cleanroom hash`: normalizes and hashes identifiers for a partner's upload file, offline.
///
/// It applies exactly the normalization and hashing CleanRoom applies to its owner's data (DESIGN.md section 4),
/// so a match rate never depends on guessing the rules. It needs no CleanRoom home and touches no store.
public struct HashCommand: ParsableCommand {
    /// The name, help and discussion of `cleanroom hash`.
    public static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Normalize and hash identifiers for an upload file, offline.",
        discussion: """
            Reads raw values, one per line, or the column --column of CSV files with a header row, from the files \
            given or from standard input, and writes one SHA-256 match hash per line, in input order. Empty values \
            are skipped. Rejected values are counted by reason on standard error and never shown.
            """
    )

    /// The kind of identifier in the input.
    @Option(help: "The kind of identifier.")
    var kind: HashKind

    /// The e-mail profile; `google` when not given.
    @Option(help: "The e-mail profile (email only; default: google).")
    var profile: EmailProfile?

    /// The phone form; `e164` when not given.
    @Option(help: "The phone form (phone only; default: e164).")
    var form: PhoneForm?

    /// The region national phone numbers are read in.
    @Option(help: "The region of phone numbers written without country code, e.g. DE (phone only).")
    var region: String?

    /// The text encoding of each hash.
    @Option(help: "The text encoding of each hash.")
    var encoding: HashEncoding = .hex

    /// The CSV column to read; without it every line is a value.
    @Option(help: "Read this column of CSV input with a header row, instead of one value per line.")
    var column: String?

    /// Where the hashes go; standard output when not given.
    @Option(name: [.customShort("o"), .long], help: "Write the hashes to this file instead of standard output.")
    var output: String?

    /// The input files; standard input when none is given.
    @Argument(help: "Input files; standard input when none is given, or for -.")
    var files: [String] = []

    /// Creates the command with its defaults; ArgumentParser fills in the options.
    public init() {}

    /// Rejects options that do not apply to `--kind`, and a region libphonenumber does not know.
    public func validate() throws {
        if self.profile != nil && self.kind != .email {
            throw ValidationError("--profile applies to --kind email only.")
        }
        if self.form != nil && self.kind != .phone {
            throw ValidationError("--form applies to --kind phone only.")
        }
        if self.region != nil && self.kind != .phone {
            throw ValidationError("--region applies to --kind phone only.")
        }
        if let region = self.region, !PhoneNormalizer.isKnownRegion(region) {
            throw ValidationError("--region \(region) is not an ISO 3166-1 alpha-2 code libphonenumber knows.")
        }
    }

    /// Hashes every input in turn into the output, then writes the summary to standard error.
    public func run() throws {
        let hasher = IdentifierHasher(
            normalizer: try IdentifierNormalizer(defaultRegion: self.region),
            kind: self.kind.identifierKind,
            profile: self.profile ?? .google,
            form: self.form ?? .e164,
            encoding: self.encoding
        )
        var output = try HashOutput(path: self.output)
        var summary = HashSummary()
        for path in self.files.isEmpty ? ["-"] : self.files {
            if let column = self.column {
                var source = try CSVColumnSource(path: path, column: column)
                try hasher.hash(&source, into: &output, summary: &summary)
            } else {
                var source = try LineSource(path: path)
                try hasher.hash(&source, into: &output, summary: &summary)
            }
        }
        try output.close()
        FileHandle.standardError.write(Data((summary.description + "\n").utf8))
    }
}

/// The identifier kinds as `--kind` names them.
enum HashKind: String, CaseIterable, ExpressibleByArgument {
    case email, phone, device
    case customerID = "customer_id"

    var identifierKind: IdentifierKind {
        switch self {
        case .email: .email
        case .phone: .phone
        case .device: .deviceID
        case .customerID: .customerID
        }
    }
}

/// The text encodings of a match hash.
enum HashEncoding: String, CaseIterable, ExpressibleByArgument {
    /// 64 lowercase hexadecimal characters.
    case hex
    /// 44 Base64 characters, standard alphabet with padding (UID2's form).
    case base64
}

extension EmailProfile: ExpressibleByArgument {}
extension PhoneForm: ExpressibleByArgument {}

/// A failure of `cleanroom hash` to read or write a file. It names files and columns, never values.
struct HashCommandError: Error, CustomStringConvertible {
    var description: String
}

/// What `cleanroom hash` does to each value: normalize, hash, encode; and the loop from a source to an output.
struct IdentifierHasher {
    var normalizer: IdentifierNormalizer
    var kind: IdentifierKind
    var profile: EmailProfile
    var form: PhoneForm
    var encoding: HashEncoding

    /// The encoded match hash of `raw`.
    func encodedHash(of raw: String) throws(IdentifierError) -> String {
        let normalized = try self.normalizer.normalize(
            kind: self.kind, raw: raw, profile: self.profile, form: self.form)
        let hash = MatchHash(normalized: normalized)
        switch self.encoding {
        case .hex: return hash.hex
        case .base64: return hash.base64
        }
    }

    /// Hashes every value of `source` into `output`, counting hashed, skipped (empty) and rejected values.
    func hash(_ source: inout some RawValueSource, into output: inout HashOutput, summary: inout HashSummary) throws {
        while let value = try source.next() {
            guard case .text(let raw) = value else {
                summary.reject(.invalidEncoding)
                continue
            }
            do {
                try output.write(line: try self.encodedHash(of: raw))
                summary.hashed += 1
            } catch let error as IdentifierError where error.code == .empty {
                summary.skipped += 1
            } catch let error as IdentifierError {
                summary.reject(error.code)
            }
        }
    }
}

/// The counts `cleanroom hash` reports, by reason and never by value.
struct HashSummary: Equatable, CustomStringConvertible {
    var hashed = 0
    var skipped = 0
    var rejected: [IdentifierError.Code: Int] = [:]

    mutating func reject(_ code: IdentifierError.Code) {
        self.rejected[code, default: 0] += 1
    }

    /// E.g. `hashed 998, rejected 2 (invalid_phone: 1, missing_at: 1)`, then `, skipped 3 empty` if any.
    var description: String {
        var text = "hashed \(self.hashed), rejected \(self.rejected.values.reduce(0, +))"
        if !self.rejected.isEmpty {
            let counts = self.rejected.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            text += " (" + counts.joined(separator: ", ") + ")"
        }
        if self.skipped > 0 {
            text += ", skipped \(self.skipped) empty"
        }
        return text
    }
}

/// One value read from an input: its text, or the sign that its bytes were not UTF-8.
enum RawValue: Equatable {
    case text(String)
    case undecodable
}

/// A stream of raw values.
protocol RawValueSource {
    /// The next value, `nil` at the end.
    mutating func next() throws -> RawValue?
}

/// The lines of a file or standard input, read in chunks: LF or CR LF line ends, a UTF-8 BOM at the start
/// dropped.
struct LineSource: RawValueSource {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private var isFirstLine = true

    /// Reads `path`, or standard input for `-`.
    init(path: String) throws {
        guard let handle = path == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: path) else {
            throw HashCommandError(description: "cannot open \(path) for reading")
        }
        self.handle = handle
    }

    mutating func next() throws -> RawValue? {
        while true {
            if let newline = self.buffer[self.start...].firstIndex(of: UInt8(ascii: "\n")) {
                defer { self.start = newline + 1 }
                return self.decode(self.buffer[self.start..<newline])
            }
            if self.atEnd {
                guard self.start < self.buffer.count else { return nil }
                defer { self.start = self.buffer.count }
                return self.decode(self.buffer[self.start...])
            }
            self.buffer.removeFirst(self.start)
            self.start = 0
            if let chunk = try self.handle.read(upToCount: 1 << 16), !chunk.isEmpty {
                self.buffer.append(contentsOf: chunk)
            } else {
                self.atEnd = true
            }
        }
    }

    private mutating func decode(_ line: ArraySlice<UInt8>) -> RawValue {
        var line = line
        if self.isFirstLine {
            self.isFirstLine = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        }
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        return String(validating: line, as: UTF8.self).map(RawValue.text) ?? .undecodable
    }
}

/// One column of a CSV file with a header row, read with CSV.swift (quoted fields, embedded line breaks and a
/// UTF-8 BOM handled). A row too short for the column gives an empty value.
struct CSVColumnSource: RawValueSource {
    private let reader: CSVReader
    private let index: Int
    private let path: String

    /// Reads column `column` of `path`, or of standard input for `-`.
    init(path: String, column: String) throws {
        guard let stream = InputStream(fileAtPath: path == "-" ? "/dev/stdin" : path) else {
            throw HashCommandError(description: "cannot open \(path) for reading")
        }
        do {
            self.reader = try CSVReader(stream: stream, hasHeaderRow: true)
        } catch {
            throw HashCommandError(description: "cannot read a CSV header row from \(path)")
        }
        // The header is not echoed: a file without one would have its first values printed.
        guard let index = self.reader.headerRow?.firstIndex(of: column) else {
            throw HashCommandError(description: "the header row of \(path) has no column named \(column)")
        }
        self.index = index
        self.path = path
    }

    mutating func next() throws -> RawValue? {
        guard let row = self.reader.next() else {
            switch self.reader.error {
            case nil:
                return nil
            case CSVError.cannotReadFile?:
                // CSV.swift 2.5.2 reads on while InputStream.hasBytesAvailable is true, which on Linux it still
                // is at the end of a file; the read of zero bytes that follows is reported as this error.
                return nil
            case let error?:
                throw HashCommandError(description: "\(self.path) is not valid UTF-8 CSV (\(error))")
            }
        }
        return .text(self.index < row.count ? row[self.index] : "")
    }
}

/// Buffered output of one hash per line, to a file or standard output.
struct HashOutput {
    private let handle: FileHandle
    private let ownsHandle: Bool
    private var buffer: [UInt8] = []

    /// Writes to `path`, created or truncated, or to standard output when `path` is `nil` or `-`.
    init(path: String?) throws {
        guard let path, path != "-" else {
            self.handle = FileHandle.standardOutput
            self.ownsHandle = false
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw HashCommandError(description: "cannot open \(path) for writing")
        }
        self.handle = handle
        self.ownsHandle = true
    }

    mutating func write(line: String) throws {
        self.buffer.append(contentsOf: line.utf8)
        self.buffer.append(UInt8(ascii: "\n"))
        if self.buffer.count >= 1 << 16 {
            try self.flush()
        }
    }

    mutating func flush() throws {
        try self.handle.write(contentsOf: self.buffer)
        self.buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, and closes the file if this output opened it.
    mutating func close() throws {
        try self.flush()
        if self.ownsHandle {
            try self.handle.close()
        }
    }
}
