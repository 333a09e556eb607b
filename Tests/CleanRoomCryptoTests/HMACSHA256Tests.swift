import CleanRoomCrypto
import Testing

struct HMACSHA256Tests {
    /// RFC 4231 section 4 test cases for HMAC-SHA-256.
    struct Vector: Sendable, CustomTestStringConvertible {
        var number: Int
        var key: [UInt8]
        var data: [UInt8]
        /// The published code; test case 5 publishes only its first 128 bits.
        var code: String
        var testDescription: String { "RFC 4231 test case \(self.number)" }
    }

    static let vectors: [Vector] = [
        Vector(
            number: 1, key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
            code: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        Vector(
            number: 2, key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
            code: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        Vector(
            number: 3, key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50),
            code: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        Vector(
            number: 4, key: bytes("0102030405060708090a0b0c0d0e0f10111213141516171819"),
            data: [UInt8](repeating: 0xcd, count: 50),
            code: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        Vector(
            number: 5, key: [UInt8](repeating: 0x0c, count: 20), data: Array("Test With Truncation".utf8),
            code: "a3b6167473100ee06e0c796c2955552b"
        ),
        Vector(
            number: 6, key: [UInt8](repeating: 0xaa, count: 131),
            data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            code: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        Vector(
            number: 7, key: [UInt8](repeating: 0xaa, count: 131),
            data: Array(
                ("This is a test using a larger than block-size key and a larger than block-size data. "
                    + "The key needs to be hashed before being used by the HMAC algorithm.").utf8
            ),
            code: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ]

    @Test(arguments: vectors)
    func matchesRFC4231(_ vector: Vector) {
        let code = HMACSHA256.authenticationCode(for: vector.data, key: vector.key)
        #expect(code.count == HMACSHA256.byteCount)
        let published = bytes(vector.code)
        #expect(Array(code.prefix(published.count)) == published)
        if published.count == HMACSHA256.byteCount {
            #expect(HMACSHA256.isValidAuthenticationCode(published, for: vector.data, key: vector.key))
        }
    }

    @Test(arguments: vectors)
    func authenticatorMatchesRFC4231OnEveryUse(_ vector: Vector) {
        let authenticator = HMACSHA256.Authenticator(key: vector.key)
        let published = bytes(vector.code)
        for _ in 0..<3 {
            #expect(Array(authenticator.authenticationCode(for: vector.data).prefix(published.count)) == published)
        }
        let longer = authenticator.authenticationCode(for: vector.data + [0])
        #expect(longer != authenticator.authenticationCode(for: vector.data))
    }

    @Test(arguments: vectors)
    func batchOfMessagesMatchesRFC4231ForEachOfThem(_ vector: Vector) {
        let authenticator = HMACSHA256.Authenticator(key: vector.key)
        let published = bytes(vector.code)
        // The vector's message three times over, then each code checked: the restart between messages keeps the key.
        let codes = authenticator.authenticationCodes(
            ofMessagesIn: vector.data + vector.data + vector.data, messageLength: vector.data.count)
        #expect(codes.count == 3 * HMACSHA256.byteCount)
        for index in 0..<3 {
            let code = codes[(index * HMACSHA256.byteCount)..<((index + 1) * HMACSHA256.byteCount)]
            #expect(Array(code.prefix(published.count)) == published)
        }
    }

    @Test func batchOfDifferentMessagesGivesEachItsOwnCode() {
        let authenticator = HMACSHA256.Authenticator(key: Array("match key".utf8))
        let messages = (0..<100).map { index in (0..<32).map { UInt8((index * 7 + $0 * 13) % 256) } }
        let codes = authenticator.authenticationCodes(ofMessagesIn: messages.flatMap { $0 }, messageLength: 32)
        let expected = messages.flatMap { authenticator.authenticationCode(for: $0) }
        #expect(codes == expected)
        #expect(authenticator.authenticationCodes(ofMessagesIn: [], messageLength: 32).isEmpty)
    }

    @Test func sessionGivesEachMessageOfARunItsOwnCode() {
        let authenticator = HMACSHA256.Authenticator(key: Array("match key".utf8))
        let session = authenticator.session()
        let messages = (0..<50).map { index in (0..<(index % 70)).map { UInt8((index * 11 + $0 * 5) % 256) } }
        #expect(messages.map { session.authenticationCode(for: $0) } == messages.map { authenticator.authenticationCode(for: $0) })
    }

    @Test(arguments: vectors)
    func sessionMatchesRFC4231OnEveryUse(_ vector: Vector) {
        let session = HMACSHA256.Authenticator(key: vector.key).session()
        let published = bytes(vector.code)
        for _ in 0..<3 {
            #expect(Array(session.authenticationCode(for: vector.data).prefix(published.count)) == published)
            #expect(session.authenticationCode(for: vector.data + [0]) != session.authenticationCode(for: vector.data))
        }
    }

    @Test(arguments: vectors)
    func sessionWritesRFC4231CodesIntoABuffer(_ vector: Vector) {
        let session = HMACSHA256.Authenticator(key: vector.key).session()
        let published = bytes(vector.code)
        var code = [UInt8](repeating: 0xAA, count: HMACSHA256.byteCount)
        for message in [vector.data, vector.data + [0], vector.data] {
            message.withUnsafeBytes { input in code.withUnsafeMutableBytes { session.authenticate(input, into: $0) } }
            #expect(code == session.authenticationCode(for: message))
        }
        #expect(Array(code.prefix(published.count)) == published)
    }

    @Test func authenticatorIsSharedSafelyAcrossTasks() async throws {
        let key = try SymmetricKey.generate()
        let authenticator = HMACSHA256.Authenticator(key: key)
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    (0..<500).filter { index in
                        let message = Array("message \(task) \(index)".utf8)
                        return authenticator.authenticationCode(for: message)
                            != HMACSHA256.authenticationCode(for: message, key: key)
                    }.count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    /// RFC 2104 pads a short key with zeros, so the empty key is the same key as 64 zero bytes.
    @Test(arguments: [[], Array("message".utf8)] as [[UInt8]])
    func emptyKeyEqualsTheZeroKey(_ message: [UInt8]) {
        let empty = HMACSHA256.authenticationCode(for: message, key: [])
        #expect(empty == HMACSHA256.authenticationCode(for: message, key: [UInt8](repeating: 0, count: 64)))
        #expect(empty == HMACSHA256.authenticationCode(for: message, key: [UInt8](repeating: 0, count: 32)))
    }

    @Test func emptyMessageDependsOnTheKey() throws {
        let key = try SymmetricKey.generate()
        let code = HMACSHA256.authenticationCode(for: [], key: key)
        #expect(code.count == HMACSHA256.byteCount)
        #expect(code != HMACSHA256.authenticationCode(for: [], key: []))
        #expect(HMACSHA256.isValidAuthenticationCode(code, for: [], key: key))
        #expect(HMACSHA256.Authenticator(key: key).isValidAuthenticationCode(code, for: []))
        let emptyKeyCode = HMACSHA256.Authenticator(key: []).authenticationCode(for: [])
        #expect(emptyKeyCode == HMACSHA256.authenticationCode(for: [], key: []))
    }

    @Test func symmetricKeyOverloadUsesTheKeyBytes() throws {
        let raw = (0..<32).map { UInt8($0) }
        let key = try SymmetricKey(bytes: raw)
        let message = Array("pseudonym".utf8)
        let code = HMACSHA256.authenticationCode(for: message, key: key)
        #expect(code == HMACSHA256.authenticationCode(for: message, key: raw))
    }

    @Test func alteredOrTruncatedCodesAreInvalid() {
        let key = Array("key".utf8)
        let message = Array("message".utf8)
        var code = HMACSHA256.authenticationCode(for: message, key: key)
        #expect(!HMACSHA256.isValidAuthenticationCode(Array(code.prefix(16)), for: message, key: key))
        code[31] ^= 0x01
        #expect(!HMACSHA256.isValidAuthenticationCode(code, for: message, key: key))
    }
}
