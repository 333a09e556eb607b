public import CleanRoomCore
public import Foundation
internal import CSV
internal import CleanRoomCrypto

/// A partner's audience file, read: the distinct match hashes it holds (DESIGN.md section 4).
///
/// Two shapes are accepted, told apart by their first line that is not blank:
/// - **hash lines**: one match hash per line — 64 hexadecimal characters in any case, or the 44 Base64 characters
///   UID2 uses — white space around it and blank lines ignored;
/// - **a Google Customer Match CSV**: a header row naming the columns, of which every `Email` and `Phone` column
///   (any case) holds match hashes, already hashed as above; other columns are ignored, and so are empty cells.
///
/// A UTF-8 byte order mark is tolerated. A value that is not a match hash (an unhashed e-mail, a truncated hash)
/// refuses the whole upload, naming its line and column but never the value. Duplicates count once.
public struct AudienceUpload: Sendable {
    /// The shape of an upload.
    public enum Format: String, Sendable, Hashable {
        /// One match hash per line.
        case hashLines = "hash_lines"
        /// A Google Customer Match CSV with hashed `Email` and/or `Phone` columns.
        case customerMatchCSV = "customer_match_csv"
    }

    /// The most distinct match hashes an upload may hold unless told otherwise.
    public static let defaultMaximumHashes = 10_000_000

    /// The shape the upload had.
    public let format: Format
    /// The distinct match hashes, 32 bytes each, end to end, in ascending byte order.
    let digests: [UInt8]

    /// The number of distinct match hashes.
    public var count: Int { self.digests.count / SHA256.byteCount }

    /// The distinct match hashes.
    public var hashes: Set<MatchHash> {
        Set(stride(from: 0, to: self.digests.count, by: SHA256.byteCount).compactMap { start in
            MatchHash(bytes: self.digests[start..<(start + SHA256.byteCount)])
        })
    }

    /// Reads an upload's bytes.
    ///
    /// - Parameters:
    ///   - body: the file, UTF-8.
    ///   - maximumHashes: the most distinct match hashes accepted.
    /// - Throws: ``AudienceError`` `invalidUpload` naming the line at fault (or saying the file is empty or not
    ///   UTF-8); `tooManyHashes` past `maximumHashes`.
    public init(parsing body: Data, maximumHashes: Int = Self.defaultMaximumHashes) throws(AudienceError) {
        guard var text = String(validating: body, as: UTF8.self) else {
            throw .invalid("the upload is not UTF-8 text; send match hashes one per line or as a Customer Match CSV")
        }
        if text.utf8.starts(with: [0xEF, 0xBB, 0xBF]) {
            text.unicodeScalars.removeFirst()
        }
        var collector = HashCollector()
        let bytes = Array(text.utf8)
        let lines = Self.lineRanges(of: bytes)
        guard let first = lines.firstIndex(where: { !Self.isBlank(bytes[$0]) }) else {
            throw .invalid("the upload holds no match hash")
        }
        if (try? MatchHash(transport: String(decoding: bytes[lines[first]], as: UTF8.self))) != nil {
            for offset in first..<lines.count {
                let line = Self.trimmingASCIIWhiteSpace(bytes[lines[offset]])
                if line.isEmpty { continue }
                // 64 hexadecimal characters, by far the most common line, straight from the bytes; anything else
                // (Base64, other white space, a bad line) through the text form.
                if !collector.add(hexadecimal: line) {
                    try collector.add(String(decoding: line, as: UTF8.self), line: offset + 1, column: nil)
                }
            }
            self.format = .hashLines
        } else {
            let start = text.utf8.index(text.utf8.startIndex, offsetBy: lines[first].lowerBound)
            try Self.readCustomerMatchCSV(String(text[start...]), firstLine: first + 1, into: &collector)
            self.format = .customerMatchCSV
        }
        self.digests = try collector.distinct(maximum: maximumHashes)
    }

    /// The range of each line of `bytes`, without its `\n`.
    private static func lineRanges(of bytes: [UInt8]) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        while let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(start..<end)
            start = end + 1
        }
        lines.append(start..<bytes.count)
        return lines
    }

    private static func isASCIIWhiteSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte)
    }

    private static func trimmingASCIIWhiteSpace(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let first = line.firstIndex(where: { !Self.isASCIIWhiteSpace($0) }),
            let last = line.lastIndex(where: { !Self.isASCIIWhiteSpace($0) })
        else { return line[line.startIndex..<line.startIndex] }
        return line[first...last]
    }

    /// The columns of a Customer Match CSV that hold match hashes, by their canonical name.
    private static let hashColumns = ["email": "Email", "phone": "Phone"]

    /// Reads the CSV starting at its header row, which is line `firstLine` of the upload.
    private static func readCustomerMatchCSV(
        _ text: String, firstLine: Int, into collector: inout HashCollector
    ) throws(AudienceError) {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            throw .invalid("line \(firstLine) is neither a match hash nor a CSV header row", line: firstLine)
        }
        let header = reader.headerRow ?? []
        // The header is not echoed: a file without one would have its first values printed.
        let columns = header.enumerated().compactMap { position, name in
            Self.hashColumns[name.trimmingCharacters(in: .whitespaces).lowercased()].map { (position, $0) }
        }
        guard !columns.isEmpty else {
            throw .invalid(
                "line \(firstLine) is neither a match hash nor a Customer Match CSV header with an Email or Phone "
                    + "column; send SHA-256 match hashes, one per line or in those columns", line: firstLine)
        }
        // A quoted field may span lines: each row starts after the line breaks inside the rows before it.
        var line = firstLine + Self.lineBreaks(in: header) + 1
        while let row = reader.next() {
            for (position, name) in columns where position < row.count {
                try collector.add(row[position], line: line, column: name)
            }
            line += Self.lineBreaks(in: row) + 1
        }
    }

    private static func lineBreaks(in fields: [String]) -> Int {
        fields.reduce(0) { total, field in total + field.utf8.count(where: { $0 == UInt8(ascii: "\n") }) }
    }

    private static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy(Self.isASCIIWhiteSpace)
    }
}

/// The match hashes read so far, 32 bytes each, end to end, repeats included.
private struct HashCollector {
    var digests: [UInt8] = []

    /// Adds the hash a value holds; a blank value is skipped.
    mutating func add(_ value: String, line: Int, column: String?) throws(AudienceError) {
        let hash: MatchHash
        do {
            hash = try MatchHash(transport: value)
        } catch {
            if value.unicodeScalars.allSatisfy(\.properties.isWhitespace) { return }
            let place = column.map { "line \(line), column \($0)," } ?? "line \(line)"
            throw .invalid(
                "\(place) is not a match hash: give the SHA-256 of the normalized identifier as 64 hexadecimal "
                    + "(or 44 Base64) characters; `cleanroom hash` makes them", line: line)
        }
        self.digests += hash.bytes
    }

    /// Adds the hash when `characters` are exactly 64 hexadecimal characters; returns whether they were.
    mutating func add(hexadecimal characters: ArraySlice<UInt8>) -> Bool {
        characters.count == 2 * SHA256.byteCount && Hex.decode(utf8: characters, appendingTo: &self.digests)
    }

    /// The distinct hashes, in ascending byte order: sorted with the standard library's sort (whose time no
    /// order of a partner's values can drive up) on their first 8 bytes, ties broken by the other 24, so that
    /// repeats are neighbours — even a partner's million hashes sharing one prefix cost one comparison each.
    ///
    /// - Throws: ``AudienceError`` `tooManyHashes` past `maximum`.
    func distinct(maximum: Int) throws(AudienceError) -> [UInt8] {
        let size = SHA256.byteCount
        let count = self.digests.count / size
        var distinct: [UInt8] = []
        distinct.reserveCapacity(self.digests.count)
        self.digests.withUnsafeBytes { bytes in
            let compareHashes = { (first: Int, second: Int) in
                memcmp(bytes.baseAddress! + first * size, bytes.baseAddress! + second * size, size)
            }
            // Sorted by prefix with the index beside it (contiguous keys sort fast), then each run of equal prefixes
            // (almost always one hash) by the whole hash.
            var order = (0..<count).map { index in
                (prefix: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: index * size, as: UInt64.self)),
                 index: index)
            }
            order.sort { $0.prefix < $1.prefix }
            var runStart = 0
            while runStart < order.count {
                var runEnd = runStart + 1
                while runEnd < order.count && order[runEnd].prefix == order[runStart].prefix { runEnd += 1 }
                if runEnd - runStart > 1 {
                    order[runStart..<runEnd].sort { compareHashes($0.index, $1.index) < 0 }
                }
                runStart = runEnd
            }
            var previous: Int?
            for (_, index) in order {
                if let previous, compareHashes(previous, index) == 0 { continue }
                distinct += UnsafeRawBufferPointer(rebasing: bytes[(index * size)..<((index + 1) * size)])
                previous = index
            }
        }
        guard distinct.count / size <= maximum else {
            throw AudienceError(
                code: .tooManyHashes,
                message: "the upload holds more than \(maximum) distinct match hashes; split it into smaller "
                    + "audiences")
        }
        return distinct
    }
}
