import Foundation

/// Makes the people of a demo data set and their customer records, with the default policy's attributes and
/// purposes and realistic shares: an e-mail address for 90 % of people, a phone number for 60 %, an advertising
/// id for 40 %, a customer id for everyone; a second record from another source for about 5 %.
struct DemoPopulation: Sendable {
    /// The number of people.
    let count: Int
    /// The end of the data set's time span (exclusive): midnight UTC of `--end-date`.
    let end: Int64
    /// The seed, which also keys the shuffles of people's numbers.
    let seed: UInt64

    /// The purposes of the default policy that need consent, in its order.
    static let consentPurposes = ["analytics", "ads_measurement", "ads_personalization", "partner_matching"]
    /// The systems records come from.
    static let sources = ["web", "app", "store"]

    /// How far back people became customers: up to three years.
    static let customerSpan: Int64 = 1_095 * DemoTimestamp.day

    private let idWidth: Int
    private let storeIDModulus: Int

    /// Creates the population of `count` people whose data ends at `end`, for `seed`.
    init(count: Int, end: Int64, seed: UInt64) {
        self.count = count
        self.end = end
        self.seed = seed
        self.idWidth = max(7, String(count).count)
        // Store ids are a permutation of people's indices below a power of ten above every index used (people, and
        // the extra people behind deliberately bad rows), so that they are unique.
        var modulus = 10_000
        while modulus < 3 * (count + 1) { modulus *= 10 }
        self.storeIDModulus = modulus
    }

    /// The web shop's customer id of person `index`.
    func customerID(_ index: Int) -> String {
        let digits = String(index)
        return "c-" + String(repeating: "0", count: max(0, self.idWidth - digits.count)) + digits
    }

    /// A customer id that belongs to no one: above every index used.
    func unknownCustomerID(_ ordinal: Int) -> String {
        self.customerID(2 * self.count + 1 + ordinal)
    }

    /// Makes person `index`, giving them an e-mail address not in `addresses` yet.
    func person(_ index: Int, _ random: inout DemoRandom, _ addresses: inout DemoAddressBook) -> DemoPerson {
        let country = DemoCountry.choice.draw(&random)
        let daysAgo = Foundation.pow(random.unit(), 1.3) * Double(Self.customerSpan)
        var person = DemoPerson(
            index: index, customerID: self.customerID(index), country: country,
            since: self.end - 3_600 - Int64(daysAgo)
        )
        if random.chance(0.9) {
            self.giveEmail(to: &person, &random, &addresses)
        }
        if random.chance(0.6) {
            let range = random.pick(country.phoneRanges)
            var modulus = 1
            for _ in 0..<range.digits { modulus *= 10 }
            // Unique within the block while there are fewer people than numbers in it (10⁶ or more).
            let digits = String(DemoPermutation.permute(index % modulus, below: modulus, key: self.seed ^ 0x5048_4F4E))
            person.phoneNumber = (range, String(repeating: "0", count: range.digits - digits.count) + digits)
        }
        if random.chance(0.4) {
            person.deviceID = DemoSpelling.deviceID(random.next(), random.next(), &random)
        }
        if random.chance(0.95) {
            person.consent = Self.drawConsent(&random)
            person.consentAt = person.since + Int64(random.below(600))
        }
        return person
    }

    /// The person's record from their primary source: customer id always, the identifiers they gave,
    /// attributes, consent.
    func primaryRecord(_ person: inout DemoPerson, _ random: inout DemoRandom) -> DemoCustomerRecord {
        let source = Self.primarySources.draw(&random)
        var record = DemoCustomerRecord(customerID: person.customerID, email: person.email, source: source)
        let hasCountry = random.chance(0.97)
        if let number = person.phoneNumber {
            // A national number is read in the record's country, so it is written nationally only when the
            // record has one.
            let national = hasCountry && random.chance(0.7)
            person.phone = DemoSpelling.phone(
                country: person.country, range: number.range, subscriber: number.subscriber, national: national,
                &random)
            record.phone = person.phone
        }
        record.deviceID = person.deviceID
        record.attributes = Self.drawAttributes(country: hasCountry ? person.country : nil, source: source, &random)
        record.consent = person.consent
        record.consentAt = person.consentAt.map { DemoTime.varied($0, &random) }
        return record
    }

    /// A second record of the person from another source that shares one identifier with the primary record, for
    /// about 5 % of people; `nil` for the others and for people who gave only a customer id.
    func secondRecord(
        _ person: inout DemoPerson, primarySource: String, _ random: inout DemoRandom
    ) -> (record: DemoCustomerRecord, shared: DemoSharedIdentifier)? {
        guard random.chance(0.05) else { return nil }
        let source = random.pick(Self.sources.filter { $0 != primarySource })
        var record = DemoCustomerRecord(source: source)
        let shared: DemoSharedIdentifier
        let internationalPhone = person.phoneNumber.map {
            DemoSpelling.phone(
                country: person.country, range: $0.range, subscriber: $0.subscriber, national: false, &random)
        }
        if let mailbox = person.gmailMailbox {
            if person.phoneNumber != nil || person.deviceID != nil, random.chance(0.6) {
                let domain = person.usesGooglemail ? "gmail.com" : "googlemail.com"
                record.email = DemoSpelling.messyEmail(
                    DemoSpelling.respelledGmail(mailbox: mailbox, domain: domain, &random), &random)
                if let internationalPhone {
                    record.phone = internationalPhone
                    shared = .googlemailAndPhone
                } else {
                    record.deviceID = person.deviceID.map { DemoSpelling.respelledDeviceID($0, &random) }
                    shared = .googlemailAndDeviceID
                }
            } else {
                let domain = person.usesGooglemail ? "googlemail.com" : "gmail.com"
                record.email = DemoSpelling.messyEmail(
                    DemoSpelling.respelledGmail(mailbox: mailbox, domain: domain, &random), &random)
                shared = .gmailSpelling
            }
        } else if let email = person.cleanEmail {
            let isASCII = email.utf8.allSatisfy { $0 < 0x80 }
            record.email = DemoSpelling.messyEmail(
                isASCII && random.chance(0.5) ? email.uppercased() : " " + email, &random)
            shared = .email
        } else if let internationalPhone {
            record.phone = internationalPhone
            shared = .phone
        } else if let deviceID = person.deviceID {
            record.deviceID = DemoSpelling.respelledDeviceID(deviceID, &random)
            shared = .deviceID
        } else {
            return nil
        }
        if random.chance(0.75) {
            let number = String(
                DemoPermutation.permute(person.index, below: self.storeIDModulus, key: self.seed ^ 0x5354_4F52_45))
            person.storeID = "s-" + number
            record.customerID = person.storeID
        }
        var attributes: [(name: String, value: DemoValue)] = [("country", .string(person.country.code))]
        if source == "store" {
            attributes.append(("preferred_channel", .string("store")))
        }
        if random.chance(0.5) {
            attributes.append(("loyalty_tier", .string(random.pick(["bronze", "silver", "gold"]))))
        }
        record.attributes = attributes
        let joined = person.since + Int64(random.unit() * Double(self.end - person.since - 60))
        record.consent = [("analytics", random.chance(0.85)), ("ads_measurement", random.chance(0.6))]
        record.consentAt = DemoTime.varied(joined, &random)
        return (record, shared)
    }

    // MARK: - Parts of a person

    private func giveEmail(
        to person: inout DemoPerson, _ random: inout DemoRandom, _ addresses: inout DemoAddressBook
    ) {
        let names = person.country.names.draw(&random)
        let first = random.chance(0.52) ? random.pick(names.female) : random.pick(names.male)
        let last = random.pick(names.last)
        let domain = person.country.emailDomains.draw(&random)
        let isGmail = domain == "gmail.com"
        let unicodeLocalPart = !isGmail && random.chance(0.005) ? random.pick(names.unicodeLocalParts) : nil
        let pattern = random.below(100)
        var local = ""
        var number = ""
        // Most people take their name, some with a year or a few digits; when that is taken, they try other
        // numbers, and at last add digits until the address is free.
        for attempt in 0... {
            if attempt < 4 {
                number = Self.drawNumber(allowingNone: attempt == 0, &random)
            } else {
                number += String(random.below(10))
            }
            local = unicodeLocalPart.map { $0 + number } ?? Self.localPart(pattern, first, last, number)
            if isGmail {
                // Gmail allows letters, digits and dots only.
                local = String(local.map { $0 == "_" ? "." : $0 })
            }
            if addresses.claim(local: local, domain: domain) { break }
        }
        if isGmail {
            person.gmailMailbox = local.filter { $0 != "." }
            person.usesGooglemail = random.chance(person.country.googlemailShare)
            if random.chance(0.1) {
                local += "+" + random.pick(DemoSpelling.gmailTags)
            }
            person.cleanEmail = local + "@" + (person.usesGooglemail ? "googlemail.com" : "gmail.com")
        } else {
            person.cleanEmail = local + "@" + domain
        }
        person.email = person.cleanEmail.map { DemoSpelling.messyEmail($0, &random) }
    }

    /// The digits people add to an address: none, a two-digit or four-digit birth year, or three digits.
    private static func drawNumber(allowingNone: Bool, _ random: inout DemoRandom) -> String {
        let year = 1950 + random.below(57)
        switch random.below(100) {
        case 0..<45 where allowingNone: return ""
        case 0..<75: return String(year / 10 % 10) + String(year % 10)
        case 75..<90: return String(year)
        default: return String(100 + random.below(900))
        }
    }

    /// The local part people make of their names (pattern in 0..<100, drawn uniformly), `number` at the end.
    private static func localPart(_ pattern: Int, _ first: String, _ last: String, _ number: String) -> String {
        switch pattern {
        case 0..<40: first + "." + last + number
        case 40..<55: first + last + number
        case 55..<67: String(first.prefix(1)) + "." + last + number
        case 67..<75: first + "_" + last + number
        case 75..<83: last + "." + first + number
        case 83..<93: first + number
        default: last + String(first.prefix(1)) + number
        }
    }

    /// Consent as a banner collects it: about 28 % accept all, 12 % reject all, the others choose; a tenth of
    /// the answers predate the `partner_matching` purpose and lack it.
    private static func drawConsent(_ random: inout DemoRandom) -> [(purpose: String, granted: Bool)] {
        let granted: [Bool]
        switch random.below(100) {
        case 0..<28: granted = [true, true, true, true]
        case 28..<40: granted = [false, false, false, false]
        default:
            granted = [random.chance(0.9), random.chance(0.6), random.chance(0.15), random.chance(0.1)]
        }
        let count = random.chance(0.1) ? 3 : 4
        return (0..<count).map { (Self.consentPurposes[$0], granted[$0]) }
    }

    private static let primarySources = DemoChoice([("web", 0.55), ("app", 0.3), ("store", 0.15)])
    private static let ageBands = DemoChoice([
        ("18-24", 12.0), ("25-34", 22), ("35-44", 21), ("45-54", 19), ("55-64", 15), ("65+", 11),
    ])
    private static let genders = DemoChoice([("female", 52.0), ("male", 44), ("diverse", 1), ("unspecified", 3)])
    private static let loyaltyTiers = DemoChoice([("none", 55.0), ("bronze", 25), ("silver", 14), ("gold", 6)])
    private static let householdSizes = DemoChoice([
        (1, 31.0), (2, 33), (3, 15), (4, 13), (5, 5), (6, 2), (7, 0.6), (8, 0.3), (9, 0.1), (10, 0.05),
        (11, 0.02), (12, 0.01),
    ])

    /// The attributes of the default policy, each present with a realistic probability (CRM data is patchy).
    private static func drawAttributes(country: DemoCountry?, source: String, _ random: inout DemoRandom)
        -> [(name: String, value: DemoValue)]
    {
        var attributes: [(name: String, value: DemoValue)] = []
        if let country {
            attributes.append(("country", .string(country.code)))
            if random.chance(0.85) {
                attributes.append(("city", .string(country.cities.draw(&random))))
            }
        }
        if random.chance(0.8) { attributes.append(("age_band", .string(Self.ageBands.draw(&random)))) }
        if random.chance(0.75) { attributes.append(("gender", .string(Self.genders.draw(&random)))) }
        if random.chance(0.9) { attributes.append(("loyalty_tier", .string(Self.loyaltyTiers.draw(&random)))) }
        if random.chance(0.5) { attributes.append(("household_size", .integer(Self.householdSizes.draw(&random)))) }
        if random.chance(0.7) {
            // People mostly prefer the channel they signed up through.
            let channel = random.chance(0.6) ? source : random.pick(Self.sources)
            attributes.append(("preferred_channel", .string(channel)))
        }
        if random.chance(0.9) { attributes.append(("newsletter_subscriber", .boolean(random.chance(0.35)))) }
        return attributes
    }
}
