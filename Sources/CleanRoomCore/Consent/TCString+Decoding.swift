import Foundation

extension TCString {
    /// Decodes a TC string: its core segment in full, and a check of the segments that follow.
    ///
    /// The string is taken as is: white space, `=` padding and the standard Base64 alphabet (`+`, `/`) are
    /// rejected, as the IAB's reference decoder (iabtcf-es) rejects them. Bits after the last field of the core
    /// segment are padding and ignored. Each later segment must be URL-safe Base64 and start with segment type
    /// 1 (disclosed vendors), 2 (allowed vendors, obsolete) or 3 (publisher TC), each type at most once; their
    /// content is not decoded.
    ///
    /// - Parameter string: The TC string, such as the `gdpr_consent` parameter or the CMP's `tcString`.
    /// - Throws: ``TCStringError`` naming the field and the reason, never quoting the string.
    public init(decoding string: String) throws(TCStringError) {
        guard !string.isEmpty else {
            throw TCStringError(code: .empty, message: "the string is empty")
        }
        let segments = string.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        var reader = TCBitReader(sextets: try Self.sextets(of: segments[0], segment: 1))
        try Self.checkLaterSegments(segments.dropFirst())

        let version = try reader.read(6, "Version")
        guard version == 2 else {
            let hint = version == 1 ? "; TCF v1 strings have not been valid since 2020" : ""
            throw TCStringError(
                code: .unsupportedVersion,
                message: "Version is \(version), but only version 2 (TCF v2.0 to v2.3) is supported\(hint)"
            )
        }
        let created = try reader.read(36, "Created")
        let lastUpdated = try reader.read(36, "LastUpdated")
        try Self.checkDates(created: created, lastUpdated: lastUpdated)
        let cmpID = try reader.read(12, "CmpId")
        let cmpVersion = try reader.read(12, "CmpVersion")
        let consentScreen = try reader.read(6, "ConsentScreen")
        let consentLanguage = try reader.readLetters("ConsentLanguage")
        let vendorListVersion = try reader.read(12, "VendorListVersion")
        let policyVersion = try reader.read(6, "TcfPolicyVersion")
        let isServiceSpecific = try reader.readFlag("IsServiceSpecific")
        let useNonStandardTexts = try reader.readFlag("UseNonStandardTexts")
        let specialFeatureOptIns = try reader.readIDs(12, "SpecialFeatureOptIns")
        let purposeConsents = try reader.readIDs(24, "PurposesConsent")
        let purposeLegitimateInterests = try reader.readIDs(24, "PurposesLITransparency")
        try Self.checkLegitimateInterests(purposeLegitimateInterests, policyVersion: policyVersion)
        let purposeOneTreatment = try reader.readFlag("PurposeOneTreatment")
        let publisherCountryCode = try reader.readLetters("PublisherCC")
        let vendorConsents = try reader.readVendorSection("vendor consent")
        let vendorLegitimateInterests = try reader.readVendorSection("vendor legitimate interest")
        let publisherRestrictions = try reader.readPublisherRestrictions()

        self.init(
            version: version,
            created: Date(deciseconds: created),
            lastUpdated: Date(deciseconds: lastUpdated),
            cmpID: cmpID,
            cmpVersion: cmpVersion,
            consentScreen: consentScreen,
            consentLanguage: consentLanguage,
            vendorListVersion: vendorListVersion,
            policyVersion: policyVersion,
            isServiceSpecific: isServiceSpecific,
            useNonStandardTexts: useNonStandardTexts,
            specialFeatureOptIns: specialFeatureOptIns,
            purposeConsents: purposeConsents,
            purposeLegitimateInterests: purposeLegitimateInterests,
            purposeOneTreatment: purposeOneTreatment,
            publisherCountryCode: publisherCountryCode,
            vendorConsents: vendorConsents,
            vendorLegitimateInterests: vendorLegitimateInterests,
            publisherRestrictions: publisherRestrictions
        )
    }

    /// The 6-bit values of `characters`, the URL-safe Base64 text of the string's segment number `segment`.
    private static func sextets(of characters: Substring.UTF8View, segment: Int) throws(TCStringError) -> [UInt8] {
        var sextets: [UInt8] = []
        sextets.reserveCapacity(characters.count)
        for (offset, character) in characters.enumerated() {
            let value: UInt8
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = character - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = character - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0") + 52
            case UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "_"): value = 63
            default:
                throw TCStringError(
                    code: .malformed,
                    message: "character \(offset + 1) of segment \(segment) is not URL-safe Base64 (A-Z a-z 0-9 - _); "
                        + "TC strings have no padding, no white space and no + or /"
                )
            }
            sextets.append(value)
        }
        return sextets
    }

    /// Checks that each segment after the core one is URL-safe Base64 of a known segment type, each type once.
    private static func checkLaterSegments(_ segments: ArraySlice<Substring.UTF8View>) throws(TCStringError) {
        var seenTypes: Set<Int> = []
        for (offset, characters) in segments.enumerated() {
            let number = offset + 2
            guard !characters.isEmpty else {
                throw TCStringError(code: .invalidSegment, message: "segment \(number) is empty")
            }
            var reader = TCBitReader(sextets: try Self.sextets(of: characters, segment: number))
            let type = try reader.read(3, "SegmentType")
            guard (1...3).contains(type) else {
                let reason = type == 0 ? "0 (core), which only the first segment may have" : "\(type), undefined"
                throw TCStringError(code: .invalidSegment, message: "segment \(number) has segment type \(reason)")
            }
            guard seenTypes.insert(type).inserted else {
                throw TCStringError(code: .invalidSegment, message: "segment \(number) repeats segment type \(type)")
            }
        }
    }

    /// Rejects a zero date and a creation later than the last update (both deciseconds since 1970).
    private static func checkDates(created: Int, lastUpdated: Int) throws(TCStringError) {
        guard created > 0, lastUpdated > 0 else {
            let field = created == 0 ? "Created" : "LastUpdated"
            throw TCStringError(code: .invalidDate, message: "\(field) is zero; the CMP wrote no date")
        }
        guard created <= lastUpdated else {
            throw TCStringError(code: .invalidDate, message: "Created is later than LastUpdated")
        }
    }

    /// Rejects legitimate interest for purposes 3 to 6 under policy version 4 or later, as TCF v2.2 requires.
    private static func checkLegitimateInterests(_ purposes: Set<Int>, policyVersion: Int) throws(TCStringError) {
        guard policyVersion >= 4 else { return }
        let prohibited = purposes.intersection(3...6).sorted()
        guard prohibited.isEmpty else {
            let list = prohibited.map(String.init).joined(separator: ", ")
            throw TCStringError(
                code: .prohibitedLegitimateInterest,
                message: "PurposesLITransparency sets purpose \(list), but TCF policy version \(policyVersion) "
                    + "requires the bits of purposes 3 to 6 to be 0"
            )
        }
    }
}

extension Date {
    /// The date `deciseconds` tenths of a second after 1970-01-01 00:00:00 UTC, as the TC string counts time.
    fileprivate init(deciseconds: Int) {
        self.init(timeIntervalSince1970: Double(deciseconds) / 10)
    }
}

/// Reads the fields of a TC string segment, most significant bit first, from its 6-bit Base64 values.
private struct TCBitReader {
    private let sextets: [UInt8]
    /// The offset of the next bit to read.
    private var position = 0

    init(sextets: [UInt8]) {
        self.sextets = sextets
    }

    /// Reads `width` bits as an unsigned number, or throws ``TCStringError/Code/truncated`` naming `field`.
    mutating func read(_ width: Int, _ field: @autoclosure () -> String) throws(TCStringError) -> Int {
        let remaining = self.sextets.count * 6 - self.position
        guard width <= remaining else {
            throw TCStringError(
                code: .truncated,
                message: "the core segment ends in field \(field()): it needs \(width) bits from bit "
                    + "\(self.position), and \(remaining) remain"
            )
        }
        var value = 0
        for _ in 0..<width {
            let sextet = self.sextets[self.position / 6]
            value = value << 1 | Int(sextet >> (5 - self.position % 6) & 1)
            self.position += 1
        }
        return value
    }

    /// Reads one bit as a flag.
    mutating func readFlag(_ field: @autoclosure () -> String) throws(TCStringError) -> Bool {
        try self.read(1, field()) == 1
    }

    /// Reads `width` bits, the first for id 1, and returns the ids whose bit is set.
    mutating func readIDs(_ width: Int, _ field: @autoclosure () -> String) throws(TCStringError) -> Set<Int> {
        var ids: Set<Int> = []
        for id in stride(from: 1, through: width, by: 1) {
            if try self.readFlag(field()) {
                ids.insert(id)
            }
        }
        return ids
    }

    /// Reads two letters of 6 bits each (0 is `A`), such as a language or country code.
    mutating func readLetters(_ field: String) throws(TCStringError) -> String {
        var letters = ""
        for _ in 0..<2 {
            let value = try self.read(6, field)
            guard value < 26 else {
                throw TCStringError(
                    code: .invalidValue,
                    message: "\(field) holds letter code \(value), but letters run from 0 (A) to 25 (Z)"
                )
            }
            letters.unicodeScalars.append(Unicode.Scalar(UInt8(ascii: "A") + UInt8(value)))
        }
        return letters
    }

    /// Reads a vendor section (MaxVendorId, IsRangeEncoding, then a bit field or range entries).
    mutating func readVendorSection(_ section: String) throws(TCStringError) -> Set<Int> {
        let maxVendorID = try self.read(16, "MaxVendorId of the \(section) section")
        guard try self.readFlag("IsRangeEncoding of the \(section) section") else {
            return try self.readIDs(maxVendorID, "BitField of the \(section) section")
        }
        let ranges = try self.readRangeEntries(of: "the \(section) section", maxVendorID: maxVendorID)
        var ids: Set<Int> = []
        for range in ranges.merged() {
            ids.formUnion(range)
        }
        return ids
    }

    /// Reads NumPubRestrictions and the restriction entries that follow.
    mutating func readPublisherRestrictions() throws(TCStringError) -> [TCString.PublisherRestriction] {
        let count = try self.read(12, "NumPubRestrictions")
        var restrictions: [TCString.PublisherRestriction] = []
        for number in stride(from: 1, through: count, by: 1) {
            let purposeID = try self.read(6, "PurposeId of publisher restriction \(number)")
            guard purposeID > 0 else {
                throw TCStringError(
                    code: .invalidValue,
                    message: "PurposeId of publisher restriction \(number) is 0; purposes start at 1"
                )
            }
            let kind = try self.read(2, "RestrictionType of publisher restriction \(number)")
            guard kind < 3 else {
                throw TCStringError(
                    code: .invalidValue,
                    message: "RestrictionType of publisher restriction \(number) is 3, which TCF leaves undefined"
                )
            }
            let ranges = try self.readRangeEntries(of: "publisher restriction \(number)", maxVendorID: nil)
            restrictions.append(
                TCString.PublisherRestriction(
                    purposeID: purposeID,
                    kind: TCString.PublisherRestriction.Kind(rawValue: kind),
                    vendorRanges: ranges
                )
            )
        }
        return restrictions
    }

    /// Reads NumEntries and that many range entries of `owner`; every id must lie in 1...`maxVendorID` when
    /// given, else be at least 1.
    private mutating func readRangeEntries(
        of owner: String,
        maxVendorID: Int?
    ) throws(TCStringError) -> [ClosedRange<Int>] {
        let count = try self.read(12, "NumEntries of \(owner)")
        var ranges: [ClosedRange<Int>] = []
        ranges.reserveCapacity(count)
        for number in stride(from: 1, through: count, by: 1) {
            let entry = "range entry \(number) of \(owner)"
            let isRange = try self.readFlag("IsARange of \(entry)")
            let start = try self.read(16, "StartOrOnlyVendorId of \(entry)")
            let end = isRange ? try self.read(16, "EndVendorId of \(entry)") : start
            guard start > 0 else {
                throw TCStringError(code: .invalidVendorID, message: "\(entry) starts at vendor id 0; ids start at 1")
            }
            guard end >= start else {
                throw TCStringError(
                    code: .invalidRange,
                    message: "\(entry) ends at vendor id \(end), below its start \(start)"
                )
            }
            if let maxVendorID, end > maxVendorID {
                throw TCStringError(
                    code: .invalidVendorID,
                    message: "\(entry) reaches vendor id \(end), above the section's MaxVendorId \(maxVendorID)"
                )
            }
            ranges.append(start...end)
        }
        return ranges
    }
}
