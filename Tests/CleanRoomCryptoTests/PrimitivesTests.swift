import CleanRoomCrypto
import Testing

struct SymmetricKeyTests {
    @Test(arguments: [0, 16, 31, 33, 64])
    func wrongLengthThrows(_ length: Int) {
        let error = #expect(throws: CryptoError.self) {
            try SymmetricKey(bytes: [UInt8](repeating: 7, count: length))
        }
        #expect(error?.code == .invalidLength)
    }

    @Test func generatedKeysAreDistinct() throws {
        let first = try SymmetricKey.generate()
        let second = try SymmetricKey.generate()
        #expect(first != second)
        #expect(first == first)
        first.withUnsafeBytes { #expect($0.count == SymmetricKey.byteCount) }
    }

    @Test func equalityFollowsTheBytes() throws {
        let raw = (0..<32).map { UInt8($0) }
        var other = raw
        other[31] ^= 1
        #expect(try SymmetricKey(bytes: raw) == SymmetricKey(bytes: raw))
        #expect(try SymmetricKey(bytes: raw) != SymmetricKey(bytes: other))
    }

    @Test func descriptionIsRedacted() throws {
        let key = try SymmetricKey(bytes: [UInt8](repeating: 0xab, count: 32))
        for text in [String(describing: key), String(reflecting: key), "\(key)"] {
            #expect(!text.contains("ab"))
            #expect(!text.contains("171"))
            #expect(text.contains("redacted"))
        }
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains("171"))
        #expect(!dumped.contains("bytes"))
    }
}

struct SecureRandomTests {
    @Test(arguments: [0, 1, 12, 32, 1000])
    func returnsTheRequestedCount(_ count: Int) throws {
        #expect(try SecureRandom.bytes(count: count).count == count)
    }

    @Test func negativeCountThrows() {
        let error = #expect(throws: CryptoError.self) { try SecureRandom.bytes(count: -1) }
        #expect(error?.code == .invalidLength)
    }

    @Test func outputsDiffer() throws {
        #expect(try SecureRandom.bytes(count: 32) != SecureRandom.bytes(count: 32))
    }
}

struct ConstantTimeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var lhs: [UInt8]
        var rhs: [UInt8]
        var equal: Bool
        var testDescription: String { "\(self.lhs) vs \(self.rhs)" }
    }

    @Test(arguments: [
        Case(lhs: [], rhs: [], equal: true),
        Case(lhs: [1, 2, 3], rhs: [1, 2, 3], equal: true),
        Case(lhs: [1, 2, 3], rhs: [1, 2, 4], equal: false),
        Case(lhs: [0, 2, 3], rhs: [1, 2, 3], equal: false),
        Case(lhs: [1, 2, 3], rhs: [1, 2], equal: false),
        Case(lhs: [], rhs: [0], equal: false),
    ])
    func comparesBytes(_ testCase: Case) {
        #expect(ConstantTime.isEqual(testCase.lhs, testCase.rhs) == testCase.equal)
        #expect(ConstantTime.isEqual(testCase.rhs, testCase.lhs) == testCase.equal)
    }
}

struct HexTests {
    @Test func encodesLowercase() {
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Hex.encode([]) == "")
    }

    @Test(arguments: ["abc", "zz", "0g", " 00"])
    func rejectsMalformedText(_ text: String) {
        #expect(Hex.decode(text) == nil)
    }

    @Test func decodesEitherCase() {
        #expect(Hex.decode("00FFaB") == [0x00, 0xff, 0xab])
    }
}
