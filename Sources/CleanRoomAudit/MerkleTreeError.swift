/// An error from a ``MerkleTree``: a size, an index or a hash the tree cannot serve.
///
/// Messages hold only sizes, indices and lengths, never a hash or an entry, so they are safe to log.
public struct MerkleTreeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public var code: Code
    /// What went wrong and what to do about it.
    public var message: String

    /// Creates an error with a code and a message.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message, for logs.
    public var description: String { "MerkleTreeError(\(self.code)): \(self.message)" }

    /// The kinds of Merkle tree failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case treeSizeOutOfRange = "tree size out of range"
            case leafIndexOutOfRange = "leaf index out of range"
            case invalidHashLength = "invalid hash length"
        }

        private let wrapped: Wrapped

        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// A short name of the code (`tree size out of range`, …).
        public var description: String { self.wrapped.rawValue }

        /// A tree size is negative, larger than the tree, or not allowed for the request (a consistency
        /// proof from the empty tree, or to a smaller tree).
        public static let treeSizeOutOfRange = Code(.treeSizeOutOfRange)
        /// A leaf index is negative or not below the tree size it was asked for.
        public static let leafIndexOutOfRange = Code(.leafIndexOutOfRange)
        /// A leaf hash to append is not ``MerkleHash/byteCount`` bytes long.
        public static let invalidHashLength = Code(.invalidHashLength)
    }
}
