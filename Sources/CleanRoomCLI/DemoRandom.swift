import Foundation

/// A small, fast, seedable pseudo-random generator for synthetic data: xoshiro256** (Blackman and Vigna), seeded
/// through SplitMix64.
///
/// The same seed and stream give the same sequence on every platform and Swift version, which the system
/// generator does not promise. Each output file draws from its own stream, so that changing how many events are
/// generated leaves the customers file unchanged. Not for anything secret.
struct DemoRandom {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates the generator for `stream` (any number naming one independent sequence) of `seed`.
    init(seed: UInt64, stream: UInt64) {
        var mixer = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        self.state = (
            Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer)
        )
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        let result = (self.state.1 &* 5).rotatedLeft(by: 7) &* 9
        let shifted = self.state.1 << 17
        self.state.2 ^= self.state.0
        self.state.3 ^= self.state.1
        self.state.1 ^= self.state.2
        self.state.0 ^= self.state.3
        self.state.2 ^= shifted
        self.state.3 = self.state.3.rotatedLeft(by: 45)
        return result
    }

    /// A whole number in `0..<bound` (`bound` > 0), by Lemire's multiply-shift; the bias, below 2⁻⁴⁰ for the
    /// bounds used here, does not matter for synthetic data.
    mutating func below(_ bound: Int) -> Int {
        Int(self.next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform number in [0, 1) with 53 random bits.
    mutating func unit() -> Double {
        Double(self.next() >> 11) * 0x1p-53
    }

    /// `true` with probability `probability`.
    mutating func chance(_ probability: Double) -> Bool {
        self.unit() < probability
    }

    /// A standard normal number (Box–Muller; one of the pair is dropped, which keeps the state simple).
    mutating func normal() -> Double {
        let radius = (-2 * Foundation.log(1 - self.unit())).squareRoot()
        return radius * Foundation.cos(2 * Double.pi * self.unit())
    }

    /// An exponential number with mean 1.
    mutating func exponential() -> Double {
        -Foundation.log(1 - self.unit())
    }

    /// One element of `elements`, all equally likely.
    mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[self.below(elements.count)]
    }

    /// SplitMix64 (Steele, Lea and Flood): spreads a seed over the four words of state.
    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(by count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 - count))
    }
}

/// A discrete distribution: draws an index with probability proportional to its weight.
struct DemoWeights: Sendable {
    private let cumulative: [Double]

    /// Creates the distribution of `weights` (non-negative, not all zero).
    init(_ weights: [Double]) {
        var total = 0.0
        self.cumulative = weights.map { weight in
            total += weight
            return total
        }
    }

    /// An index drawn by its weight (binary search over the cumulative weights).
    func draw(_ random: inout DemoRandom) -> Int {
        let target = random.unit() * self.cumulative[self.cumulative.count - 1]
        var low = 0
        var high = self.cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if self.cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// Values drawn by their weights.
struct DemoChoice<Value: Sendable>: Sendable {
    private let values: [Value]
    private let weights: DemoWeights

    /// Creates the choice among `entries`, each value with its weight.
    init(_ entries: [(Value, Double)]) {
        self.values = entries.map(\.0)
        self.weights = DemoWeights(entries.map(\.1))
    }

    /// A value drawn by its weight.
    func draw(_ random: inout DemoRandom) -> Value {
        self.values[self.weights.draw(&random)]
    }
}
