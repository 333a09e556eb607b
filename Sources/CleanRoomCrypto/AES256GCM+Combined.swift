extension AES256GCM {
    /// Seals `plaintext` under a random nonce straight into the combined form nonce ‖ ciphertext ‖ tag.
    ///
    /// The same as `seal(plaintext, key: key, authenticating: associatedData).combined`, in one allocation
    /// instead of four; ``DataKey`` and ``Keyring`` seal this way.
    static func sealCombined(
        _ plaintext: [UInt8], key: SymmetricKey, authenticating associatedData: [UInt8]
    ) throws -> [UInt8] {
        try Self.combined(plaintextCount: plaintext.count) { nonce, ciphertext, tag in
            try SecureRandom.fill(nonce)
            try Self.encrypt(
                plaintext, key: key, nonce: UnsafeBufferPointer(nonce), associatedData: associatedData,
                ciphertext: ciphertext, tag: tag)
        }
    }

    /// A combined form nonce ‖ ciphertext ‖ tag for a plaintext of `plaintextCount` bytes, its three parts
    /// written by `seal`.
    static func combined(
        plaintextCount: Int,
        _ seal: (
            _ nonce: UnsafeMutableBufferPointer<UInt8>, _ ciphertext: UnsafeMutableBufferPointer<UInt8>,
            _ tag: UnsafeMutableBufferPointer<UInt8>
        ) throws -> Void
    ) throws -> [UInt8] {
        var combined = [UInt8](repeating: 0, count: Self.nonceByteCount + plaintextCount + Self.tagByteCount)
        try combined.withUnsafeMutableBufferPointer { combined in
            let tagStart = combined.count - Self.tagByteCount
            try seal(
                UnsafeMutableBufferPointer(rebasing: combined[..<Self.nonceByteCount]),
                UnsafeMutableBufferPointer(rebasing: combined[Self.nonceByteCount..<tagStart]),
                UnsafeMutableBufferPointer(rebasing: combined[tagStart...]))
        }
        return combined
    }

    /// Opens the combined form nonce ‖ ciphertext ‖ tag in place, without splitting it into a ``SealedBox``.
    ///
    /// The same as `open(SealedBox(combined: combined), key: key, authenticating: associatedData)`.
    static func openCombined(
        _ combined: [UInt8], key: SymmetricKey, authenticating associatedData: [UInt8]
    ) throws -> [UInt8] {
        try SealedBox.checkCombinedLength(combined.count)
        return try combined.withUnsafeBufferPointer { combined in
            let tagStart = combined.count - Self.tagByteCount
            return try Self.decrypt(
                UnsafeBufferPointer(rebasing: combined[Self.nonceByteCount..<tagStart]), key: key,
                nonce: UnsafeBufferPointer(rebasing: combined[..<Self.nonceByteCount]),
                tag: UnsafeBufferPointer(rebasing: combined[tagStart...]), associatedData: associatedData
            )
        }
    }
}
