import CSV
import Foundation

/// One column of a CSV input with a header row, read with CSV.swift: quoted fields, embedded line breaks, CR LF
/// and a UTF-8 BOM are handled. A row too short for the column gives an empty value.
///
/// CSV.swift, given a file's `InputStream`, stops for good at the first bytes that are not UTF-8, and on Linux
/// reports the end of a file as the same error as a failed read. So it reads through ``HashInputStream``, which
/// ends at the end and keeps the error of a failed read, and decodes with ``ByteScalarCodec``, one scalar per
/// byte. CSV's structure (`,`, `"`, CR, LF) is ASCII and no byte of a multi-byte UTF-8 character is, so rows and
/// fields split exactly as they would in UTF-8; the column's bytes are then checked as UTF-8 value by value. A value
/// that is not UTF-8 is rejected alone and the file is read on; a failed read fails the whole input.
struct HashCSVSource: HashValueSource {
    private let stream: HashInputStream
    private let reader: CSVReader
    private let index: Int
    private let position: Int

    /// Reads column `column` of `input`, whose first row names the columns.
    ///
    /// - Throws: ``HashCommandError/Code/missingHeaderRow``, ``HashCommandError/Code/missingColumn``, or
    ///   ``HashCommandError/Code/readFailed``.
    init(input: HashInputFile, column: String) throws(HashCommandError) {
        let stream = HashInputStream(input: input)
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: stream, codecType: ByteScalarCodec.self, hasHeaderRow: true)
        } catch {
            throw stream.failure
                ?? HashCommandError(
                    .missingHeaderRow,
                    "input \(input.position) is empty: --column needs a CSV header row naming the columns")
        }
        if let failure = stream.failure {
            throw failure
        }
        // The header is not echoed: a file without one would have its first values printed.
        let header = (reader.headerRow ?? []).map(Self.value)
        guard let index = header.firstIndex(of: .text(column)) else {
            throw HashCommandError(
                .missingColumn,
                "the header row of input \(input.position) has no column named \(column); check --column and that "
                    + "the file starts with a header row")
        }
        self.stream = stream
        self.reader = reader
        self.index = index
        self.position = input.position
    }

    mutating func next() throws(HashCommandError) -> HashInputValue? {
        let row = self.reader.next()
        // A row cut short by a failed read is not returned: the error is.
        if let failure = self.stream.failure {
            throw failure
        }
        if self.reader.error != nil {
            throw HashCommandError(.readFailed, "input \(self.position) could not be read to the end as CSV")
        }
        guard let row else { return nil }
        return self.index < row.count ? Self.value(row[self.index]) : .text("")
    }

    /// The value of a field decoded with ``ByteScalarCodec``: its bytes, as UTF-8.
    private static func value(_ field: String) -> HashInputValue {
        if field.utf8.allSatisfy({ $0 < 0x80 }) {
            return .text(field)
        }
        return HashInputValue(utf8: field.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
    }
}

/// An `InputStream` over a ``HashInputFile``, for CSV.swift.
///
/// It says it has bytes available only when it holds some, so CSV.swift meets the end of the input as the end
/// and not as a read error, and it keeps the error of a failed read in ``failure``.
private final class HashInputStream: InputStream {
    /// Why reading failed, once it has.
    private(set) var failure: HashCommandError?

    private let input: HashInputFile
    private var pending: [UInt8] = []
    private var offset = 0
    private var status = Stream.Status.notOpen

    init(input: HashInputFile) {
        self.input = input
        super.init(data: Data())
    }

    override func open() {
        self.status = .open
    }

    override func close() {
        self.status = .closed
    }

    override var streamStatus: Stream.Status { self.status }

    override var streamError: (any Error)? { self.failure }

    override var hasBytesAvailable: Bool {
        if self.offset < self.pending.count {
            return true
        }
        guard self.status == .open else { return false }
        do {
            self.pending = try self.input.readChunk(maxCount: 1 << 16)
            self.offset = 0
        } catch {
            self.failure = error
            self.status = .error
            return false
        }
        if self.pending.isEmpty {
            self.status = .atEnd
        }
        return !self.pending.isEmpty
    }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength: Int) -> Int {
        guard self.hasBytesAvailable else {
            return self.failure == nil ? 0 : -1
        }
        let count = min(maxLength, self.pending.count - self.offset)
        self.pending[self.offset..<(self.offset + count)].withUnsafeBufferPointer {
            buffer.update(from: $0.baseAddress!, count: count)
        }
        self.offset += count
        return count
    }
}

/// ISO 8859-1 as a `UnicodeCodec`: each byte is the scalar of the same value, U+0000 to U+00FF, so no byte
/// sequence is an error. ``HashCSVSource`` turns a field's scalars back into its bytes.
private struct ByteScalarCodec: UnicodeCodec {
    typealias CodeUnit = UInt8
    typealias EncodedScalar = CollectionOfOne<UInt8>
    typealias ForwardParser = Parser
    typealias ReverseParser = Parser

    /// Parses one byte as one scalar, either way.
    struct Parser: Unicode.Parser {
        typealias Encoding = ByteScalarCodec

        init() {}

        mutating func parseScalar<I: IteratorProtocol>(from input: inout I) -> Unicode.ParseResult<EncodedScalar>
        where I.Element == UInt8 {
            input.next().map { .valid(CollectionOfOne($0)) } ?? .emptyInput
        }
    }

    static var encodedReplacementCharacter: EncodedScalar { CollectionOfOne(UInt8(ascii: "?")) }

    init() {}

    static func decode(_ content: EncodedScalar) -> Unicode.Scalar {
        Unicode.Scalar(content[0])
    }

    static func encode(_ content: Unicode.Scalar) -> EncodedScalar? {
        content.value < 0x100 ? CollectionOfOne(UInt8(content.value)) : nil
    }

    mutating func decode<I: IteratorProtocol>(_ input: inout I) -> UnicodeDecodingResult where I.Element == UInt8 {
        input.next().map { .scalarValue(Unicode.Scalar($0)) } ?? .emptyInput
    }

    static func encode(_ input: Unicode.Scalar, into processCodeUnit: (UInt8) -> Void) {
        processCodeUnit((Self.encode(input) ?? Self.encodedReplacementCharacter)[0])
    }
}
