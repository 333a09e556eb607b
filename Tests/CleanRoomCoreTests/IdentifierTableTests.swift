import CleanRoomCore
import Testing

/// Every row of the fixture table, through each normalizer and through ``IdentifierNormalizer``.
///
/// Values are compared as UTF-8 bytes: `String ==` is canonical equivalence and would let an NFD result pass.
struct IdentifierTableTests {
    static let normalizer = try! IdentifierNormalizer()

    @Test func tableIsLargeEnough() throws {
        let fixture = try IdentifierFixture.load()
        #expect(fixture.email.count >= 40)
        #expect(fixture.phone.count >= 40)
        #expect(fixture.email.count + fixture.phone.count + fixture.deviceID.count + fixture.customerID.count >= 60)
        for region in ["DE", "GB", "FR", "US", "IN", "BR", "JP"] {
            #expect(fixture.phone.filter { $0.region == region && $0.e164 != nil }.count >= 4, "\(region)")
        }
    }

    @Test(arguments: try IdentifierFixture.load().email)
    func email(_ row: IdentifierFixture.EmailRow) throws {
        for profile in EmailProfile.allCases {
            let expected = row.expectation(for: profile)
            if let code = expected.reject {
                #expect(rejectionCode { _ = try EmailNormalizer.normalize(row.raw, profile: profile) } == code,
                        "\(profile)")
                continue
            }
            let value = try EmailNormalizer.normalize(row.raw, profile: profile)
            #expect(Array(value.utf8) == Array((expected.value ?? "").utf8), "\(profile)")
            #expect(MatchHash(normalized: value).hex == expected.sha256, "\(profile)")
            let again = try EmailNormalizer.normalize(value, profile: profile)
            #expect(Array(again.utf8) == Array(value.utf8), "\(profile) is idempotent")
        }
        try self.expectIndex(
            kind: .email, raw: row.raw, region: nil,
            expected: EmailProfile.allCases.map { (NormalizationRule.email($0), row.expectation(for: $0)) })
    }

    @Test(arguments: try IdentifierFixture.load().phone)
    func phone(_ row: IdentifierFixture.PhoneRow) throws {
        if let code = row.reject {
            for form in PhoneForm.allCases {
                #expect(rejectionCode {
                    _ = try Self.normalizer.normalize(kind: .phone, raw: row.raw, form: form, region: row.region)
                } == code, "\(form)")
            }
        }
        let expectations = [(PhoneForm.e164, row.e164), (.digits, row.digits)]
        for case (let form, let expected?) in expectations {
            let value = try Self.normalizer.normalize(kind: .phone, raw: row.raw, form: form, region: row.region)
            #expect(Array(value.utf8) == Array((expected.value ?? "").utf8), "\(form)")
            #expect(MatchHash(normalized: value).hex == expected.sha256, "\(form)")
        }
        try self.expectIndex(
            kind: .phone, raw: row.raw, region: row.region,
            expected: [
                (.phone(.e164), row.e164 ?? .init(reject: row.reject)),
                (.phone(.digits), row.digits ?? .init(reject: row.reject)),
            ])
    }

    @Test(arguments: try IdentifierFixture.load().deviceID)
    func deviceID(_ row: IdentifierFixture.PlainRow) throws {
        try self.expectPlain(row, kind: .deviceID, rule: .deviceID)
    }

    @Test(arguments: try IdentifierFixture.load().customerID)
    func customerID(_ row: IdentifierFixture.PlainRow) throws {
        try self.expectPlain(row, kind: .customerID, rule: .customerID)
    }

    private func expectPlain(_ row: IdentifierFixture.PlainRow, kind: IdentifierKind, rule: NormalizationRule) throws {
        if let code = row.reject {
            #expect(rejectionCode { _ = try Self.normalizer.normalize(kind: kind, raw: row.raw) } == code)
        } else {
            let value = try Self.normalizer.normalize(kind: kind, raw: row.raw)
            #expect(Array(value.utf8) == Array((row.value ?? "").utf8))
            #expect(MatchHash(normalized: value).hex == row.sha256)
            #expect(Array(try Self.normalizer.normalize(kind: kind, raw: value).utf8) == Array(value.utf8))
        }
        let expectation = IdentifierFixture.Expectation(value: row.value, sha256: row.sha256, reject: row.reject)
        try self.expectIndex(kind: kind, raw: row.raw, region: nil, expected: [(rule, expectation)])
    }

    /// `matchHashes` gives the distinct expected hashes with their rules, the canonical one marked, or rejects
    /// with the first rule's code when any rule rejects.
    private func expectIndex(
        kind: IdentifierKind, raw: String, region: String?,
        expected: [(rule: NormalizationRule, expectation: IdentifierFixture.Expectation)]
    ) throws {
        if let code = expected.compactMap(\.expectation.reject).first {
            #expect(rejectionCode {
                _ = try Self.normalizer.matchHashes(kind: kind, raw: raw, region: region)
            } == code)
            #expect(rejectionCode {
                _ = try Self.normalizer.canonicalMatchHash(kind: kind, raw: raw, region: region)
            } != nil)
            return
        }
        var wanted: [(hex: String, rules: [NormalizationRule])] = []
        for (rule, expectation) in expected {
            let hex = try #require(expectation.sha256)
            if let index = wanted.firstIndex(where: { $0.hex == hex }) {
                wanted[index].rules.append(rule)
            } else {
                wanted.append((hex, [rule]))
            }
        }
        let entries = try Self.normalizer.matchHashes(kind: kind, raw: raw, region: region)
        #expect(entries.map(\.hash.hex) == wanted.map(\.hex))
        #expect(entries.map(\.rules) == wanted.map(\.rules))
        let canonicalRule = IdentifierNormalizer.canonicalRule(of: kind)
        let canonicalRules = wanted.filter { $0.rules.contains(canonicalRule) }.map(\.rules)
        #expect(entries.filter(\.isCanonical).map(\.rules) == canonicalRules)
        let canonical = try Self.normalizer.canonicalMatchHash(kind: kind, raw: raw, region: region)
        #expect(entries.first(where: \.isCanonical)?.hash == canonical)
    }
}
