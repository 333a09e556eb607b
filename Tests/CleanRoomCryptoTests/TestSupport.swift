import CleanRoomCrypto

/// Decodes hexadecimal test data, ignoring white space so that long vectors can be split over lines.
func bytes(_ hex: String) -> [UInt8] {
    guard let decoded = Hex.decode(String(hex.filter { !$0.isWhitespace })) else {
        preconditionFailure("test vector is not hexadecimal: \(hex.prefix(40))")
    }
    return decoded
}

/// A small seeded generator (SplitMix64), so that "random" test inputs are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = self.state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &self) }
    }
}

/// Seeded inputs for round-trip properties: every length at the block and padding edges, then random
/// lengths in 0...512, each with random contents.
enum RoundTripInputs {
    static let edgeLengths = [0, 1, 15, 16, 17, 31, 32, 33, 55, 56, 63, 64, 65, 127, 128, 129, 255, 256, 511, 512]

    static func make(count: Int = 200, seed: UInt64) -> [[UInt8]] {
        var generator = SeededGenerator(seed: seed)
        let randomLengths = (0..<count).map { _ in Int.random(in: 0...512, using: &generator) }
        return (Self.edgeLengths + randomLengths).map { generator.bytes(count: $0) }
    }
}
