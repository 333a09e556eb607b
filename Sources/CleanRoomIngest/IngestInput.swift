import CSV
import Foundation

/// An input file read as rows: JSON Lines, or CSV with a header.
enum IngestInput {
    /// One row: its 1-based line (or CSV record number, the header being 1), its bytes' contribution to the batch
    /// digest, and its fields.
    enum Row {
        case json(line: Int, bytes: ArraySlice<UInt8>)
        case csv(line: Int, fields: [String: String])

        var line: Int {
            switch self {
            case .json(let line, _), .csv(let line, _): line
            }
        }
    }

    /// Checks, before anything is written, that the file can be read and is UTF-8; returns its line count.
    static func check(path: String) throws -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw IngestError(code: .unreadableInput, message: "cannot read \(path); check the path and its permissions")
        }
        defer { try? handle.close() }
        var lines = 0
        var carry: [UInt8] = []
        var offset = 0
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw IngestError(code: .unreadableInput, message: "cannot read \(path) to the end: \(error)")
            }
            if chunk.isEmpty { break }
            let (breaks, isASCII) = chunk.withUnsafeBytes(Self.scan)
            lines += breaks
            // ASCII is UTF-8: most exports need no validation at all.
            if isASCII && carry.isEmpty {
                offset += chunk.count
                continue
            }
            // Validate UTF-8 over chunk boundaries: keep an unfinished sequence for the next chunk.
            let text = carry + chunk
            let complete = Self.completePrefixLength(text)
            let isUTF8 = text.withUnsafeBufferPointer { text in
                (try? UTF8Span(validating: UnsafeBufferPointer(rebasing: text[..<complete]).span)) != nil
            }
            guard isUTF8 else {
                throw IngestError(
                    code: .wrongEncoding,
                    message: "\(path) is not UTF-8 (near byte \(offset)); convert it, e.g. with iconv -t UTF-8"
                )
            }
            carry = Array(text[complete...])
            offset += chunk.count
        }
        guard carry.isEmpty else {
            throw IngestError(code: .wrongEncoding, message: "\(path) ends inside a UTF-8 character; it is not UTF-8")
        }
        return lines
    }

    /// The number of newlines in `bytes`, and whether every byte is ASCII: eight bytes at a time, the check reading
    /// every byte of the input before the first commit.
    static func scan(_ bytes: UnsafeRawBufferPointer) -> (newlines: Int, isASCII: Bool) {
        let newlineBytes: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        var (newlines, allBits) = (0, UInt64(0))
        let words = bytes.count / 8
        for index in 0..<words {
            let word = bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
            allBits |= word
            // A byte of `x` is zero exactly where `word` holds a newline. Adding 0x7F to each byte's low seven bits
            // sets its high bit unless they were all zero, and never carries into the next byte; or-ing `x` in
            // covers the high bit itself: the high bits left clear mark the zero bytes.
            let x = word ^ newlineBytes
            newlines += (~(((x & lowBits) &+ lowBits) | x | lowBits)).nonzeroBitCount
        }
        for byte in bytes[(words * 8)...] {
            newlines += byte == UInt8(ascii: "\n") ? 1 : 0
            allBits |= UInt64(byte)
        }
        return (newlines, allBits & ~lowBits == 0)
    }

    /// The length of the longest prefix that does not end inside a multi-byte UTF-8 sequence.
    private static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        var index = bytes.count
        var back = 0
        while index > 0 && back < 4 {
            let byte = bytes[index - 1]
            if byte & 0xC0 != 0x80 {
                let needed = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                return needed > back + 1 ? index - 1 : bytes.count
            }
            index -= 1
            back += 1
        }
        return bytes.count
    }

    /// Calls `body` with each non-empty line of a JSON Lines file.
    static func forEachJSONLine(path: String, _ body: (Row) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw IngestError(code: .unreadableInput, message: "cannot read \(path)")
        }
        defer { try? handle.close() }
        var buffer: [UInt8] = []
        var line = 0
        var atStart = true
        while true {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            buffer += chunk
            if atStart && buffer.count >= 3 {
                if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }
                atStart = false
            }
            var start = buffer.startIndex
            while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                line += 1
                var end = newline
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                if end > start { try body(.json(line: line, bytes: buffer[start..<end])) }
                start = newline + 1
            }
            buffer.removeSubrange(..<start)
            if chunk.isEmpty { break }
        }
        if !buffer.isEmpty {
            line += 1
            try body(.json(line: line, bytes: buffer[...]))
        }
    }

    /// The header of a CSV file.
    static func csvHeader(path: String) throws -> [String] {
        guard let stream = InputStream(fileAtPath: path) else {
            throw IngestError(code: .unreadableInput, message: "cannot read \(path)")
        }
        do {
            return try CSVReader(stream: stream, hasHeaderRow: true).headerRow ?? []
        } catch {
            throw IngestError(
                code: .malformedInput, message: "\(path) is not CSV with a header row (an empty file has none)")
        }
    }

    /// Calls `body` with each row of a CSV file with a header.
    static func forEachCSVRow(path: String, _ body: (Row) throws -> Void) throws {
        guard let stream = InputStream(fileAtPath: path) else {
            throw IngestError(code: .unreadableInput, message: "cannot read \(path)")
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true)
        } catch {
            throw IngestError(code: .malformedInput, message: "\(path) is not CSV with a header row: \(error)")
        }
        let header = reader.headerRow ?? []
        var record = 1
        while let fields = reader.next() {
            record += 1
            var row: [String: String] = [:]
            for (index, name) in header.enumerated() where index < fields.count {
                row[name] = fields[index]
            }
            try body(.csv(line: record, fields: row))
        }
        if let error = reader.error, stream.streamStatus == .error {
            throw IngestError(code: .unreadableInput, message: "cannot read \(path) to the end: \(error)")
        }
    }
}
