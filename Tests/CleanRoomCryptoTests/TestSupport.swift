import CleanRoomCrypto
import CleanRoomTestSupport

/// Decodes hexadecimal test data, ignoring white space so that long vectors can be split over lines.
func bytes(_ hex: String) -> [UInt8] {
    guard let decoded = Hex.decode(String(hex.filter { !$0.isWhitespace })) else {
        preconditionFailure("test vector is not hexadecimal: \(hex.prefix(40))")
    }
    return decoded
}

/// Seeded inputs for round-trip properties: every length at the block and padding edges, then random
/// lengths in 0...512, each with random contents.
enum RoundTripInputs {
    static let edgeLengths = [0, 1, 15, 16, 17, 31, 32, 33, 55, 56, 63, 64, 65, 127, 128, 129, 255, 256, 511, 512]

    static func make(count: Int = 200, seed: UInt64) -> [[UInt8]] {
        var generator = SplitMix64(seed: seed)
        let randomLengths = (0..<count).map { _ in Int.random(in: 0...512, using: &generator) }
        return (Self.edgeLengths + randomLengths).map { generator.bytes(count: $0) }
    }
}
