/// Writes a bit stream most significant bit first and spells it in URL-safe Base64 without padding, as TCF
/// CMPs do. Test-only: it lets tests build TC strings field by field, well-formed or not.
struct TCBitWriter {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    private(set) var bits: [Bool] = []

    init() {}

    /// A writer holding `text`, a string of `0` and `1` (other characters, such as spaces, are skipped).
    init(bitString text: String) {
        self.bits = text.compactMap { $0 == "1" ? true : $0 == "0" ? false : nil }
    }

    /// Appends the `width` low bits of `value`, most significant first.
    mutating func write(_ value: Int, _ width: Int) {
        for shift in stride(from: width - 1, through: 0, by: -1) {
            self.bits.append(value >> shift & 1 == 1)
        }
    }

    /// Appends one bit.
    mutating func write(_ flag: Bool) {
        self.bits.append(flag)
    }

    /// Appends `width` bits, the first for id 1, set for the ids in `ids`.
    mutating func write(_ ids: Set<Int>, _ width: Int) {
        for id in stride(from: 1, through: width, by: 1) {
            self.bits.append(ids.contains(id))
        }
    }

    /// Appends two letters of 6 bits each, `A` being 0; a character after `Z` gives a code above 25.
    mutating func writeLetters(_ letters: String) {
        for scalar in letters.unicodeScalars {
            self.write(Int(scalar.value) - Int(UInt8(ascii: "A")), 6)
        }
    }

    /// The first `count` bits, zero-padded to whole Base64 characters.
    func base64URL(keepingBits count: Int? = nil) -> String {
        var kept = Array(self.bits.prefix(count ?? self.bits.count))
        while !kept.count.isMultiple(of: 6) {
            kept.append(false)
        }
        var text = ""
        for start in stride(from: 0, to: kept.count, by: 6) {
            let value = kept[start..<start + 6].reduce(0) { $0 << 1 | ($1 ? 1 : 0) }
            text.append(Self.alphabet[value])
        }
        return text
    }
}

/// A vendor section as written in the string, so that tests can write sections a decoder must reject.
enum TCVendorSection: Equatable {
    /// One bit per vendor from 1 to `maxVendorID`.
    case bitField(maxVendorID: Int, ids: Set<Int>)
    /// Range entries; an entry with `end == nil` is a single vendor.
    case ranges(maxVendorID: Int, entries: [TCRangeEntry])

    /// `ids` as a bit field up to their highest id.
    static func bitField(_ ids: Set<Int>) -> Self {
        .bitField(maxVendorID: ids.max() ?? 0, ids: ids)
    }

    /// `ids` as range entries, one per run of consecutive ids.
    static func ranges(_ ids: Set<Int>) -> Self {
        .ranges(maxVendorID: ids.max() ?? 0, entries: TCRangeEntry.runs(of: ids))
    }
}

/// A range entry: IsARange, StartOrOnlyVendorId and, for a range, EndVendorId.
struct TCRangeEntry: Equatable {
    var start: Int
    var end: Int?

    /// One entry per run of consecutive ids of `ids`, a single-vendor entry for a run of one.
    static func runs(of ids: Set<Int>) -> [TCRangeEntry] {
        var entries: [TCRangeEntry] = []
        for id in ids.sorted() {
            if let last = entries.last, (last.end ?? last.start) + 1 == id {
                entries[entries.count - 1].end = id
            } else {
                entries.append(TCRangeEntry(start: id, end: nil))
            }
        }
        return entries
    }

    /// The ids the entry covers.
    var range: ClosedRange<Int> { self.start...(self.end ?? self.start) }
}

/// A publisher restriction as written in the string.
struct TCRestrictionEntry: Equatable {
    var purposeID: Int
    var kind: Int
    var entries: [TCRangeEntry]
}

/// The fields of a TC string's core segment, encodable field by field (test-only encoder).
struct SyntheticTCString {
    var version = 2
    /// Deciseconds since 1970.
    var created = 17_011_296_000
    var lastUpdated = 17_011_296_000
    var cmpID = 7
    var cmpVersion = 1
    var consentScreen = 1
    var consentLanguage = "EN"
    var vendorListVersion = 82
    var policyVersion = 4
    var isServiceSpecific = true
    var useNonStandardTexts = false
    var specialFeatureOptIns: Set<Int> = [1]
    var purposeConsents: Set<Int> = [1, 2, 3, 4, 7]
    var purposeLegitimateInterests: Set<Int> = [2, 7, 8]
    var purposeOneTreatment = false
    var publisherCountryCode = "DE"
    var vendorConsents = TCVendorSection.bitField([2, 3, 20])
    var vendorLegitimateInterests = TCVendorSection.ranges([8, 9, 10, 44])
    var publisherRestrictions: [TCRestrictionEntry] = []
    /// Segments after the core one, already encoded.
    var laterSegments: [String] = []

    /// The core segment's bits.
    var bits: TCBitWriter {
        var writer = TCBitWriter()
        writer.write(self.version, 6)
        writer.write(self.created, 36)
        writer.write(self.lastUpdated, 36)
        writer.write(self.cmpID, 12)
        writer.write(self.cmpVersion, 12)
        writer.write(self.consentScreen, 6)
        writer.writeLetters(self.consentLanguage)
        writer.write(self.vendorListVersion, 12)
        writer.write(self.policyVersion, 6)
        writer.write(self.isServiceSpecific)
        writer.write(self.useNonStandardTexts)
        writer.write(self.specialFeatureOptIns, 12)
        writer.write(self.purposeConsents, 24)
        writer.write(self.purposeLegitimateInterests, 24)
        writer.write(self.purposeOneTreatment)
        writer.writeLetters(self.publisherCountryCode)
        Self.write(self.vendorConsents, to: &writer)
        Self.write(self.vendorLegitimateInterests, to: &writer)
        writer.write(self.publisherRestrictions.count, 12)
        for restriction in self.publisherRestrictions {
            writer.write(restriction.purposeID, 6)
            writer.write(restriction.kind, 2)
            Self.write(restriction.entries, to: &writer)
        }
        return writer
    }

    /// The TC string: the core segment and the later segments, joined by `.`.
    var encoded: String {
        ([self.bits.base64URL()] + self.laterSegments).joined(separator: ".")
    }

    /// The ids a vendor section stands for.
    static func ids(of section: TCVendorSection) -> Set<Int> {
        switch section {
        case .bitField(_, let ids): ids
        case .ranges(_, let entries): Set(entries.flatMap { $0.range })
        }
    }

    private static func write(_ section: TCVendorSection, to writer: inout TCBitWriter) {
        switch section {
        case .bitField(let maxVendorID, let ids):
            writer.write(maxVendorID, 16)
            writer.write(false)
            writer.write(ids, maxVendorID)
        case .ranges(let maxVendorID, let entries):
            writer.write(maxVendorID, 16)
            writer.write(true)
            self.write(entries, to: &writer)
        }
    }

    private static func write(_ entries: [TCRangeEntry], to writer: inout TCBitWriter) {
        writer.write(entries.count, 12)
        for entry in entries {
            writer.write(entry.end != nil)
            writer.write(entry.start, 16)
            if let end = entry.end {
                writer.write(end, 16)
            }
        }
    }
}
