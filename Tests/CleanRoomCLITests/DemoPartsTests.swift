import CleanRoomCore
import Foundation
import Testing

@testable import CleanRoomCLI

/// The generator's building blocks: JSON text, times, the shuffles, the identifier spellings.
struct DemoPartsTests {
    @Test(arguments: [
        "plain", "quote \" and backslash \\", "line\nbreak\ttab\rreturn", "\u{01}\u{1F}control",
        "Zürich Łódź 東京 😀", "",
    ])
    func stringsRoundTripThroughJSON(_ text: String) throws {
        var line = DemoJSONLine()
        line.openObject()
        line.key("value")
        line.string(text)
        line.key(text)
        line.integer(-42)
        line.key("amount")
        line.cents(1_205)
        line.key("flags")
        line.openArray()
        line.boolean(true)
        line.boolean(false)
        line.closeArray()
        line.closeObject()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.bytes)) as? [String: Any])
        #expect(object["value"] as? String == text)
        #expect(object[text] as? Int == -42)
        #expect(object["amount"] as? Double == 12.05)
        #expect(object["flags"] as? [Bool] == [true, false])
        #expect(!line.bytes.contains(UInt8(ascii: "\n")))
    }

    @Test(arguments: [
        (Int64(0), nil, 0, "1970-01-01T00:00:00Z"),
        (951_782_400, nil, 0, "2000-02-29T00:00:00Z"),
        (1_772_323_199, 7, 0, "2026-02-28T23:59:59.007Z"),
        (1_772_323_200, nil, 60, "2026-03-01T01:00:00+01:00"),
        (1_751_328_000, nil, 120, "2025-07-01T02:00:00+02:00"),
        (-1, nil, 0, "1969-12-31T23:59:59Z"),
    ] as [(Int64, Int?, Int, String)])
    func timesAreRFC3339(_ seconds: Int64, _ milliseconds: Int?, _ offset: Int, _ expected: String) {
        var bytes: [UInt8] = []
        DemoTimestamp.append(seconds: seconds, milliseconds: milliseconds, offsetMinutes: offset, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        #expect(DemoContractCheck.rfc3339Seconds(expected).map(Int64.init) == seconds)
    }

    @Test func calendarArithmeticMatchesFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for day in stride(from: Int64(-800), to: 30_000, by: 37) {
            let date = DemoTimestamp.civil(days: day)
            let components = calendar.dateComponents(
                [.year, .month, .day], from: Date(timeIntervalSince1970: Double(day * 86_400)))
            #expect([date.year, date.month, date.day] == [components.year, components.month, components.day])
            #expect(DemoTimestamp.days(year: date.year, month: date.month, day: date.day) == day)
        }
        #expect(DemoTimestamp.days(year: 2025, month: 2, day: 29) == nil)
        #expect(DemoTimestamp.days(year: 2024, month: 2, day: 29) != nil)
        #expect(DemoTimestamp.days(year: 2026, month: 13, day: 1) == nil)
    }

    @Test(arguments: [1, 7, 10, 1_000, 10_000, 65_537])
    func permutationsAreBijections(_ modulus: Int) {
        let images = (0..<modulus).map { DemoPermutation.permute($0, below: modulus, key: 99) }
        #expect(Set(images).count == modulus)
        #expect(images.allSatisfy { $0 >= 0 && $0 < modulus })
        if modulus >= 1_000 {
            // Neighbours get unrelated numbers.
            let steps = Set(zip(images, images.dropFirst()).map { $1 - $0 })
            #expect(steps.count > modulus / 2)
        }
    }

    @Test func addressBookGivesEachMailboxOnce() {
        var book = DemoAddressBook(capacity: 8)
        let claims = [
            ("anna.mueller84", "web.de"), ("Anna.Mueller84", "Web.de"), ("anna.mueller84", "gmx.de"),
            ("annamueller84", "web.de"),
            // One Gmail mailbox, however it is spelt.
            ("lena.koch", "gmail.com"), ("lenakoch", "googlemail.com"), ("l.e.n.a.koch+shop", "gmail.com"),
            ("lena.koch1", "gmail.com"),
        ].map { book.claim(local: $0.0, domain: $0.1) }
        #expect(claims == [true, false, true, true, true, false, false, true])
    }

    @Test func randomStreamsAreIndependentAndRepeatable() {
        var first = DemoRandom(seed: 1, stream: DemoStream.customers)
        var again = DemoRandom(seed: 1, stream: DemoStream.customers)
        var other = DemoRandom(seed: 1, stream: DemoStream.events)
        let values = (0..<100).map { _ in first.next() }
        #expect(values == (0..<100).map { _ in again.next() })
        #expect(Set(values).isDisjoint(with: (0..<100).map { _ in other.next() }))
        var uniform = DemoRandom(seed: 2, stream: 0)
        let draws = (0..<20_000).map { _ in uniform.below(10) }
        for digit in 0..<10 {
            #expect(abs(draws.filter { $0 == digit }.count - 2_000) < 200)
        }
        let normals = (0..<20_000).map { _ in uniform.normal() }
        #expect(abs(normals.reduce(0, +) / 20_000) < 0.05)
    }

    /// Every spelling the generator writes normalizes to the same value, and every deliberate mistake is rejected.
    @Test func spellingsNormalizeAndMistakesAreRejected() throws {
        var random = DemoRandom(seed: 3, stream: 0)
        for _ in 0..<200 {
            let written = DemoSpelling.deviceID(random.next(), random.next(), &random)
            let canonical = try DeviceIDNormalizer.normalize(written)
            #expect(try DeviceIDNormalizer.normalize(DemoSpelling.respelledDeviceID(written, &random)) == canonical)
            #expect(throws: IdentifierError.self) {
                try DeviceIDNormalizer.normalize(DemoSpelling.allZeroDeviceID(&random))
            }
            let address = "anna.mueller4821@web.de"
            let messy = DemoSpelling.messyEmail(address, &random)
            #expect(try EmailNormalizer.normalize(messy, profile: .basic) == address)
            #expect(throws: IdentifierError.self) {
                try IdentifierNormalizer().matchHashes(kind: .email, raw: DemoSpelling.invalidEmail(address, &random))
            }
            let gmail = DemoSpelling.respelledGmail(mailbox: "annamueller4821", domain: "gmail.com", &random)
            #expect(try EmailNormalizer.normalize(gmail, profile: .google) == "annamueller4821@gmail.com")
        }
        for phone in DemoSpelling.invalidPhones {
            for country in DemoCountry.all {
                #expect(throws: IdentifierError.self) {
                    try PhoneNormalizer.normalize(phone, region: country.code, form: .e164)
                }
            }
        }
    }

    /// Every number block gives valid numbers in every spelling, national (read in the country) and international.
    @Test(arguments: DemoCountry.all.map(\.code))
    func phoneNumbersAreValid(_ code: String) throws {
        let country = try #require(DemoCountry.all.first { $0.code == code })
        var random = DemoRandom(seed: 4, stream: 0)
        for range in country.phoneRanges {
            for _ in 0..<12 {
                var modulus = 1
                for _ in 0..<range.digits { modulus *= 10 }
                let digits = String(random.below(modulus))
                let subscriber = String(repeating: "0", count: range.digits - digits.count) + digits
                let e164 = DemoSpelling.e164(country: country, range: range, subscriber: subscriber)
                for national in [true, false] {
                    let written = DemoSpelling.phone(
                        country: country, range: range, subscriber: subscriber, national: national, &random)
                    #expect(try PhoneNormalizer.normalize(written, region: code, form: .e164) == e164)
                }
                // International spellings are read right in the policy's default region too, as records without a
                // country are (`00` is the international prefix everywhere in Europe).
                let written = DemoSpelling.phone(
                    country: country, range: range, subscriber: subscriber, national: false, &random)
                #expect(try PhoneNormalizer.normalize(written, region: "DE", form: .e164) == e164)
            }
        }
    }
}
