/// The transaction files of the FIMI repository (`mushroom.dat`, `retail.dat`, …): one transaction per line,
/// its items as non-negative decimal integers separated by spaces or tabs.
///
/// Every line is one transaction and an empty line is an empty transaction; the line break after the last
/// line ends that line rather than starting an empty one. Spaces or tabs before, between and after the items
/// and `\r\n` line breaks are accepted.
public enum FIMIFormat {
    /// The transactions of a FIMI file's text, in line order, each item as written (repeats kept).
    ///
    /// - Throws: ``FIMIFormatError`` naming the first line that holds something other than items.
    public static func transactions(in text: String) throws -> [[UInt32]] {
        var text = text
        return try text.withUTF8 { bytes in try Self.transactions(in: bytes) }
    }

    private static func transactions(in bytes: UnsafeBufferPointer<UInt8>) throws -> [[UInt32]] {
        var transactions: [[UInt32]] = []
        var items: [UInt32] = []
        var line = 1
        var value: UInt64 = 0
        var inItem = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value * 10 + UInt64(byte &- UInt8(ascii: "0"))
                if value > UInt64(UInt32.max) {
                    throw FIMIFormatError(
                        code: .itemOutOfRange, message: "line \(line): an item is larger than \(UInt32.max)"
                    )
                }
                inItem = true
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                if inItem {
                    items.append(UInt32(value))
                    value = 0
                    inItem = false
                }
                if byte == UInt8(ascii: "\n") {
                    transactions.append(items)
                    items.removeAll(keepingCapacity: true)
                    line += 1
                }
            default:
                throw FIMIFormatError(
                    code: .malformedLine,
                    message: "line \(line): holds a character other than digits, spaces and tabs; "
                        + "items must be non-negative integers"
                )
            }
        }
        if inItem { items.append(UInt32(value)) }
        if bytes.last.map({ $0 != UInt8(ascii: "\n") }) ?? false {
            transactions.append(items)
        }
        return transactions
    }
}

/// A FIMI file that could not be read; the message names the line by number, never its contents.
public struct FIMIFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public var code: Code
    /// Which line and what is wrong with it.
    public var message: String

    /// Creates an error with a code and a message.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message, for logs.
    public var description: String { "FIMIFormatError(\(self.code)): \(self.message)" }

    /// The kinds of FIMI format failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case malformedLine = "malformed line"
            case itemOutOfRange = "item out of range"
        }

        private let wrapped: Wrapped

        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// A short name of the code.
        public var description: String { self.wrapped.rawValue }

        /// A line holds something other than decimal digits, spaces and tabs (a sign, a letter, a comma).
        public static let malformedLine = Code(.malformedLine)
        /// An item is larger than the largest `UInt32`.
        public static let itemOutOfRange = Code(.itemOutOfRange)
    }
}
