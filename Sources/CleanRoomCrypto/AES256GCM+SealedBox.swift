extension AES256GCM {
    /// The result of sealing: nonce, ciphertext and tag, kept apart or joined in one byte string.
    public struct SealedBox: Sendable, Hashable {
        /// The 12-byte nonce the message was sealed with.
        public let nonce: [UInt8]
        /// The encrypted bytes, as long as the plaintext.
        public let ciphertext: [UInt8]
        /// The 16-byte authentication tag.
        public let tag: [UInt8]

        /// The byte form nonce ‖ ciphertext ‖ tag, 28 bytes longer than the plaintext, for storage.
        public var combined: [UInt8] {
            self.nonce + self.ciphertext + self.tag
        }

        /// Creates a box from its three parts.
        ///
        /// - Throws: ``CryptoError/Code/invalidLength`` unless the nonce is 12 bytes and the tag 16.
        public init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) throws {
            try AES256GCM.checkNonce(nonce)
            guard tag.count == AES256GCM.tagByteCount else {
                throw CryptoError(
                    code: .invalidLength,
                    message: "an AES-256-GCM tag must be \(AES256GCM.tagByteCount) bytes, not \(tag.count)"
                )
            }
            self.init(validatedNonce: nonce, ciphertext: ciphertext, tag: tag)
        }

        /// Reads the byte form nonce ‖ ciphertext ‖ tag written by ``combined``.
        ///
        /// - Throws: ``CryptoError/Code/invalidLength`` when `combined` is shorter than nonce and tag (28 bytes).
        public init(combined: [UInt8]) throws {
            try Self.checkCombinedLength(combined.count)
            let ciphertextEnd = combined.count - AES256GCM.tagByteCount
            self.init(
                validatedNonce: Array(combined[..<AES256GCM.nonceByteCount]),
                ciphertext: Array(combined[AES256GCM.nonceByteCount..<ciphertextEnd]),
                tag: Array(combined[ciphertextEnd...])
            )
        }

        init(validatedNonce nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }

        /// Refuses a combined form too short to hold a nonce and a tag.
        static func checkCombinedLength(_ count: Int) throws {
            let overhead = AES256GCM.nonceByteCount + AES256GCM.tagByteCount
            guard count >= overhead else {
                throw CryptoError(
                    code: .invalidLength,
                    message: "sealed AES-256-GCM data must be at least \(overhead) bytes, not \(count)"
                )
            }
        }
    }
}
