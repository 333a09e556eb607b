/// The independent random streams of one seed (see ``DemoRandom/init(seed:stream:)``): one per output file and
/// one for the catalogue, so that each file depends only on the options that shape it.
enum DemoStream {
    /// People and their customer records.
    static let customers: UInt64 = 1
    /// Events.
    static let events: UInt64 = 2
    /// Consent records.
    static let consents: UInt64 = 3
    /// The product catalogue.
    static let catalogue: UInt64 = 4
}
