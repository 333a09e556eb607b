/// The lines of an input, read in chunks: LF or CR LF line ends, a UTF-8 BOM at the start dropped, a last line
/// without a line end read too.
struct HashLineSource: HashValueSource {
    private let input: HashInputFile
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private var isFirstLine = true

    /// Reads the lines of `input`.
    init(input: HashInputFile) {
        self.input = input
    }

    mutating func next() throws(HashCommandError) -> HashInputValue? {
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
            let chunk = try self.input.readChunk(maxCount: 1 << 16)
            self.buffer.append(contentsOf: chunk)
            self.atEnd = chunk.isEmpty
        }
    }

    private mutating func decode(_ line: ArraySlice<UInt8>) -> HashInputValue {
        var line = line
        if self.isFirstLine {
            self.isFirstLine = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        }
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        return HashInputValue(utf8: line)
    }
}
