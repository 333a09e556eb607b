import CleanRoomCrypto
import Testing

struct SHA256Tests {
    /// FIPS 180-4 / NIST example messages and their digests.
    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var message: [UInt8]
        var digest: String
        var testDescription: String { self.name }
    }

    static let vectors: [Vector] = [
        Vector(
            name: "empty string", message: [],
            digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        ),
        Vector(
            name: "abc", message: Array("abc".utf8),
            digest: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        ),
        Vector(
            name: "448 bits",
            message: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
            digest: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        Vector(
            name: "896 bits, two blocks",
            message: Array(
                ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                    + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8
            ),
            digest: "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
        Vector(
            name: "one million a", message: [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000),
            digest: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        ),
    ]

    @Test(arguments: vectors)
    func oneShotMatchesThePublishedDigest(_ vector: Vector) {
        #expect(Hex.encode(SHA256.hash(vector.message)) == vector.digest)
    }

    @Test(arguments: vectors)
    func digestWrittenIntoABufferMatchesThePublishedDigest(_ vector: Vector) {
        var digest = [UInt8](repeating: 0xAA, count: SHA256.byteCount)
        vector.message.withUnsafeBytes { message in
            digest.withUnsafeMutableBytes { SHA256.hash(message, into: $0) }
        }
        #expect(Hex.encode(digest) == vector.digest)
    }

    @Test(arguments: vectors)
    func incrementalMatchesThePublishedDigest(_ vector: Vector) {
        var hasher = SHA256Hasher()
        // Uneven chunks, so updates straddle the 64-byte block boundary.
        var offset = 0
        var chunk = 1
        while offset < vector.message.count {
            let end = min(offset + chunk, vector.message.count)
            hasher.update(vector.message[offset..<end])
            offset = end
            chunk = chunk * 3 + 1
        }
        #expect(Hex.encode(hasher.finalize()) == vector.digest)
    }

    @Test func stringOverloadHashesUTF8() {
        #expect(SHA256.hash("abc") == SHA256.hash(Array("abc".utf8)))
        var hasher = SHA256Hasher()
        hasher.update("a")
        hasher.update("bc")
        #expect(hasher.finalize() == SHA256.hash("abc"))
    }

    @Test func hasherIsAValueThatForksAtACopy() {
        var prefix = SHA256Hasher()
        prefix.update(Array("abcdbcdecdefdefgefghfghighijhijk".utf8))
        var fork = prefix
        fork.update(Array("ijkljklmklmnlmnomnopnopq".utf8))
        prefix.update(Array("xyz".utf8))
        #expect(Hex.encode(fork.finalize()) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(prefix.finalize() == SHA256.hash("abcdbcdecdefdefgefghfghighijhijkxyz"))
    }

    @Test func finalizeLeavesTheHasherUsable() {
        var hasher = SHA256Hasher()
        hasher.update("ab")
        #expect(hasher.finalize() == SHA256.hash("ab"))
        hasher.update("c")
        #expect(Hex.encode(hasher.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func emptyHasherGivesTheEmptyDigest() {
        var hasher = SHA256Hasher()
        hasher.update([])
        #expect(Hex.encode(hasher.finalize()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
