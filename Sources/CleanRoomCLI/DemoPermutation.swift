/// A keyed shuffle of the numbers `0..<modulus`: a balanced Feistel network over the smallest even number of
/// bits that covers `modulus`, with cycle walking to stay below it.
///
/// It gives every person numbers (in e-mail addresses, store ids, phone numbers) that are unique, since a
/// permutation never maps two inputs to one output, yet look random: neighbours in the file get unrelated numbers.
enum DemoPermutation {
    /// The image of `value` (in `0..<modulus`) under the permutation of `0..<modulus` that `key` selects.
    static func permute(_ value: Int, below modulus: Int, key: UInt64) -> Int {
        precondition(value >= 0 && value < modulus, "the value to permute must lie below the modulus")
        var halfBits: UInt64 = 1
        while UInt64(1) << (2 * halfBits) < UInt64(modulus) { halfBits += 1 }
        let mask = (UInt64(1) << halfBits) - 1
        var result = UInt64(value)
        repeat {
            var left = result >> halfBits
            var right = result & mask
            for round in 0..<4 as Range<UInt64> {
                (left, right) = (right, left ^ (Self.mix(right ^ key ^ (round &* 0x9E37_79B9_7F4A_7C15)) & mask))
            }
            result = (left << halfBits) | right
        } while result >= UInt64(modulus)
        return Int(result)
    }

    /// The finalizer of SplitMix64: a cheap 64-bit mixing function.
    private static func mix(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
