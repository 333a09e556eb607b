import Foundation

/// The retailer's product catalogue: a few thousand SKUs with prices, and how often each is bought.
///
/// Popularity follows Zipf's law, as sales over a catalogue do: the product of rank r is chosen with weight 1 / r,
/// so the top 1 % of SKUs make about 46 % of the units sold and the top 20 % about 81 % (the 80/20 rule), the long
/// tail the rest. Ranks are shuffled over the SKU numbers, so that `sku-10000` is not the best seller.
struct DemoCatalogue: Sendable {
    /// The number of SKUs.
    static let size = 3_000
    /// The Zipf exponent of popularity.
    static let zipfExponent = 1.0

    /// The SKU of each rank (0 is the best seller).
    let skus: [String]
    /// The price of each rank, in cents.
    let prices: [Int]
    private let popularity: DemoWeights

    /// Creates the catalogue of `seed`.
    init(seed: UInt64) {
        var random = DemoRandom(seed: seed, stream: DemoStream.catalogue)
        var numbers = Array(10_000..<(10_000 + Self.size))
        for index in stride(from: numbers.count - 1, to: 0, by: -1) {
            numbers.swapAt(index, random.below(index + 1))
        }
        self.skus = numbers.map { "sku-\($0)" }
        self.prices = (0..<Self.size).map { _ in
            // Log-normal around 29 euros, ending in .99 mostly, .95 or .00 sometimes, between 2.99 and 499.00.
            let euros = min(499, max(2, Int((29 * Foundation.exp(0.7 * random.normal())).rounded())))
            switch random.below(10) {
            case 0: return euros * 100
            case 1: return euros * 100 + 95
            default: return euros * 100 + 99
            }
        }
        self.popularity = DemoWeights((1...Self.size).map { 1 / Foundation.pow(Double($0), Self.zipfExponent) })
    }

    /// A rank drawn by popularity.
    func drawRank(_ random: inout DemoRandom) -> Int {
        self.popularity.draw(&random)
    }
}
