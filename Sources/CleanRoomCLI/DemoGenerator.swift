import Foundation

/// Writes a synthetic data set for the default policy into a folder: `customers.jsonl`, `events.jsonl` and
/// `consents.jsonl`, in the ingest contract's JSON Lines format, streamed through buffers.
///
/// The output is a function of the options alone: the same seed, counts and end date give the same bytes. Each
/// file draws from its own random stream (``DemoStream``), so changing `eventsPerCustomer` leaves the customers
/// file unchanged.
struct DemoGenerator {
    /// What to generate.
    struct Options: Sendable {
        /// The number of people.
        var customers: Int
        /// The mean number of events per person.
        var eventsPerCustomer: Int
        /// The seed of every random choice.
        var seed: UInt64
        /// The end of the data's time span (exclusive), in seconds since the epoch: events fall in the 400 days
        /// before it, people became customers in the three years before it.
        var end: Int64
    }

    /// The span events fall in, before the end.
    static let eventSpan: Int64 = 400 * DemoTimestamp.day
    /// How many customer lines later a second record follows its primary record, so that the two usually land
    /// in different ingest batches.
    static let secondRecordDelay = 4_000

    let options: Options
    let population: DemoPopulation
    let catalogue: DemoCatalogue
    var customerRandom: DemoRandom
    var eventRandom: DemoRandom
    var consentRandom: DemoRandom
    var customerBadRows = DemoBadRowSchedule(kinds: DemoBadRow.customerKinds)
    var eventBadRows = DemoBadRowSchedule(kinds: DemoBadRow.eventKinds)
    var consentBadRows = DemoBadRowSchedule(kinds: DemoBadRow.consentKinds)
    private var pendingSecondRecords: [(releaseAt: Int, record: DemoCustomerRecord)] = []
    private var pendingHead = 0
    private var goodCustomerLines = 0
    private var badPeople = 0
    var unknownPeople = 0
    private var addresses: DemoAddressBook
    var line = DemoJSONLine()
    var summary = DemoSummary()

    /// Writes the data set of `options` into `directory`, which must exist; returns what was written. Each file
    /// appears under its name only once complete.
    static func generate(_ options: Options, into directory: URL) throws(DemoError) -> DemoSummary {
        var generator = DemoGenerator(options: options)
        let files = try DemoOutputFiles(directory: directory)
        do {
            try generator.run(files)
            try files.commit()
        } catch {
            files.discard()
            throw error
        }
        generator.summary.customerLines = files.customers.lineCount
        generator.summary.eventLines = files.events.lineCount
        generator.summary.consentLines = files.consents.lineCount
        return generator.summary
    }

    private init(options: Options) {
        self.options = options
        self.population = DemoPopulation(count: options.customers, end: options.end, seed: options.seed)
        self.catalogue = DemoCatalogue(seed: options.seed)
        self.customerRandom = DemoRandom(seed: options.seed, stream: DemoStream.customers)
        self.eventRandom = DemoRandom(seed: options.seed, stream: DemoStream.events)
        self.consentRandom = DemoRandom(seed: options.seed, stream: DemoStream.consents)
        self.addresses = DemoAddressBook(capacity: options.customers + options.customers / 20)
    }

    private mutating func run(_ files: DemoOutputFiles) throws(DemoError) {
        for index in 1...self.options.customers {
            var person = self.population.person(index, &self.customerRandom, &self.addresses)
            let primary = self.population.primaryRecord(&person, &self.customerRandom)
            self.count(person)
            try self.writeCustomer(primary, files)
            if let second = self.population.secondRecord(
                &person, primarySource: primary.source, &self.customerRandom)
            {
                self.summary.secondRecords[second.shared, default: 0] += 1
                self.pendingSecondRecords.append((self.goodCustomerLines + Self.secondRecordDelay, second.record))
            }
            while self.pendingHead < self.pendingSecondRecords.count,
                self.pendingSecondRecords[self.pendingHead].releaseAt <= self.goodCustomerLines
            {
                try self.writeCustomer(self.pendingSecondRecords[self.pendingHead].record, files)
                self.pendingHead += 1
            }
            if self.pendingHead > 1_024 {
                self.pendingSecondRecords.removeFirst(self.pendingHead)
                self.pendingHead = 0
            }
            try self.writeEvents(of: person, files)
            try self.writeConsentChanges(of: person, files)
        }
        for pending in self.pendingSecondRecords[self.pendingHead...] {
            try self.writeCustomer(pending.record, files)
        }
        self.summary.badCustomers = self.customerBadRows.counts
        self.summary.badEvents = self.eventBadRows.counts
        self.summary.badConsents = self.consentBadRows.counts
    }

    private mutating func count(_ person: DemoPerson) {
        self.summary.people += 1
        if person.email != nil { self.summary.peopleWithEmail += 1 }
        if person.phoneNumber != nil { self.summary.peopleWithPhone += 1 }
        if person.deviceID != nil { self.summary.peopleWithDeviceID += 1 }
        if !person.consent.isEmpty { self.summary.peopleWithConsent += 1 }
    }

    // MARK: - Customers

    /// Writes a good customer record, then perhaps a bad one.
    private mutating func writeCustomer(_ record: DemoCustomerRecord, _ files: DemoOutputFiles) throws(DemoError) {
        self.line.reset()
        record.write(to: &self.line)
        try files.customers.write(self.line)
        self.goodCustomerLines += 1
        guard let kind = self.customerBadRows.next(&self.customerRandom) else { return }
        // A bad row is the record of an extra person, numbered after everyone else, with one defect.
        self.badPeople += 1
        var person = self.population.person(
            self.options.customers + self.badPeople, &self.customerRandom, &self.addresses)
        var bad = self.population.primaryRecord(&person, &self.customerRandom)
        self.line.reset()
        switch kind {
        case .invalidEmail:
            let address = person.cleanEmail ?? "kundin\(person.index)@web.de"
            bad.email = DemoSpelling.invalidEmail(address, &self.customerRandom)
        case .invalidPhone:
            bad.phone = self.customerRandom.pick(DemoSpelling.invalidPhones)
        case .allZeroDeviceID:
            bad.deviceID = DemoSpelling.allZeroDeviceID(&self.customerRandom)
        case .unknownAttribute:
            bad.attributes.append(self.customerRandom.pick(Self.unknownAttributes))
        case .attributeValueNotAllowed:
            let attribute = self.customerRandom.pick(Self.disallowedAttributeValues)
            bad.attributes.removeAll { $0.name == attribute.name }
            bad.attributes.append(attribute)
        case .missingIdentifier:
            bad.customerID = nil
            bad.email = nil
            bad.phone = nil
            bad.deviceID = nil
        case .badTimestamp:
            if bad.consent.isEmpty { bad.consent = [("analytics", true)] }
            bad.consentAt = .invalid(self.customerRandom.pick(DemoTime.invalidSpellings))
        case .malformedJSON:
            break
        default:
            preconditionFailure("\(kind) is not a kind of bad customer row")
        }
        bad.write(to: &self.line)
        if kind == .malformedJSON { DemoBadRow.truncate(&self.line, &self.customerRandom) }
        try files.customers.write(self.line)
    }

    /// Attributes the default policy does not declare.
    static let unknownAttributes: [(name: String, value: DemoValue)] = [
        ("shoe_size", .integer(42)), ("income_band", .string("50k-75k")), ("favourite_colour", .string("blue")),
        ("birthday", .string("1984-05-12")),
    ]

    /// Declared attributes with values the default policy does not allow.
    static let disallowedAttributeValues: [(name: String, value: DemoValue)] = [
        ("country", .string("US")), ("country", .string("Deutschland")), ("age_band", .string("30-39")),
        ("age_band", .string("17")), ("gender", .string("m")), ("loyalty_tier", .string("platinum")),
        ("household_size", .integer(0)), ("household_size", .integer(15)), ("household_size", .string("two")),
        ("newsletter_subscriber", .string("yes")), ("preferred_channel", .string("phone")),
    ]
}

/// The three output files of a generation.
struct DemoOutputFiles {
    let customers: DemoOutputFile
    let events: DemoOutputFile
    let consents: DemoOutputFile

    init(directory: URL) throws(DemoError) {
        self.customers = try DemoOutputFile(directory: directory, name: "customers.jsonl")
        do {
            self.events = try DemoOutputFile(directory: directory, name: "events.jsonl")
        } catch {
            self.customers.discard()
            throw error
        }
        do {
            self.consents = try DemoOutputFile(directory: directory, name: "consents.jsonl")
        } catch {
            self.customers.discard()
            self.events.discard()
            throw error
        }
    }

    func commit() throws(DemoError) {
        try self.customers.commit()
        try self.events.commit()
        try self.consents.commit()
    }

    func discard() {
        self.customers.discard()
        self.events.discard()
        self.consents.discard()
    }
}
