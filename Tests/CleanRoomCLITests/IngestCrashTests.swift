import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import CleanRoomStore
import CleanRoomTestSupport
import Foundation
import Testing

@testable import CleanRoomCLI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Issue 10, point 3: `kill -9` at any moment of `cleanroom ingest`, then a rerun of the same command, ends with
/// the same database as an uninterrupted run.
///
/// The real `cleanroom` binary ingests a generated JSON Lines file (customers with several identifier kinds, some
/// sharing identifiers across sources, events, consent records, bad rows and duplicates) into a reference home.
/// Then, in fresh homes holding the same keys, the binary is killed with SIGKILL after seeded random delays spread
/// over the reference run (sometimes a second time, during the rerun), rerun to completion, and the database read
/// back through `CleanRoomStore` must equal the reference logically (see ``LogicalDump``); the audit log must verify.
struct IngestCrashTests {
    /// How many runs must actually be killed.
    static let requiredKills = 20
    /// Homes worked on at the same time (the machine has two cores; each run is one child process).
    static let lanes = 2

    @Test func killedIngestsRerunToTheDatabaseOfAnUninterruptedRun() throws {
        let binary = try CleanRoomBinary.locate()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = CrashTestInput.generate(customers: 1_500, events: 3_000, seed: 0x5EED_0010)
        let inputData = Data(input.lines.map { $0 + "\n" }.joined().utf8)

        let reference = try Self.makeHome(
            at: directory.path("reference"), keysOf: nil, binary: binary, log: directory.path("reference.log"))
        let twin = try Self.makeHome(
            at: directory.path("twin"), keysOf: reference, binary: binary, log: directory.path("twin.log"))
        // Two uninterrupted runs side by side, as the crashing runs will go: their duration (under that load)
        // bounds the kill delays, and the second one shows that an uninterrupted run is itself reproducible.
        let uninterrupted = Outcomes<(CleanRoomBinary.Outcome, Double)>()
        DispatchQueue.concurrentPerform(iterations: Self.lanes) { lane in
            let (home, name) = lane == 0 ? (reference, "reference") : (twin, "twin")
            uninterrupted.add(name: name, result: Result {
                let input = directory.path(name + ".jsonl")
                try inputData.write(to: URL(fileURLWithPath: input))
                let started = ContinuousClock.now
                let outcome = try binary.run(Self.ingestArguments(input, home), log: directory.path(name + ".log"))
                return (outcome, Self.seconds(ContinuousClock.now - started))
            })
        }
        var longest = 0.0
        for (name, result) in uninterrupted.all {
            let (outcome, seconds) = try result.get()
            #expect(outcome == .exited(0), "the uninterrupted ingest fails; see \(directory.path(name + ".log"))")
            longest = max(longest, seconds)
        }
        let duration = longest
        let expected = try LogicalDump.read(home: reference, dataTimes: input.dataTimes)
        #expect(expected.subjectCount > input.customers / 2)
        #expect(expected.orphanRows == 0)
        let twinDump = try LogicalDump.read(home: twin, dataTimes: input.dataTimes)
        #expect(expected.differences(from: twinDump).isEmpty, "two uninterrupted runs differ")
        let referenceRejects = URL(fileURLWithPath: directory.path("reference.jsonl") + ".rejects.jsonl")
        let expectedRejects = try Data(contentsOf: referenceRejects)
        let expectedBatches = try Self.auditedBatches(in: reference)

        let outcomes = Outcomes<Iteration>()
        DispatchQueue.concurrentPerform(iterations: Self.lanes) { lane in
            for stratum in stride(from: lane, to: Self.requiredKills, by: Self.lanes) {
                var random = SplitMix64(seed: 0xC1A5_0000 + UInt64(stratum))
                // Stratified: delay k lies in the k-th twentieth of the run, so kills spread from a few
                // milliseconds to near the end. A delay the run outlived is retried shorter.
                let slice = (Double(stratum) + random.unit()) / Double(Self.requiredKills)
                var delay = max(0.003, duration * 0.97 * slice)
                let secondDelay = stratum % 3 == 1 ? duration * random.unit() : nil
                for attempt in 0..<4 {
                    let name = "crash-\(stratum)-\(attempt)"
                    let result = Result {
                        try Self.crashAndRerun(
                            binary: binary, directory: directory, name: name, reference: reference,
                            inputData: inputData, delays: (delay, secondDelay), dataTimes: input.dataTimes)
                    }
                    outcomes.add(name: name, result: result)
                    if case .success(let iteration) = result, iteration.kills > 0 { break }
                    delay *= 0.5
                }
            }
        }

        let iterations = outcomes.all
        var kills = 0
        var rejectsDiffer = 0
        var unauditedBatches = 0
        for (name, result) in iterations {
            switch result {
            case .failure(let error):
                Issue.record(error, "\(name)")
            case .success(let iteration):
                kills += iteration.kills
                #expect(iteration.finalRun == .exited(0), "\(name): the rerun after the kill fails")
                #expect(iteration.auditVerify == .exited(0), "\(name): cleanroom audit verify fails")
                let differences = expected.differences(from: iteration.dump)
                #expect(differences.isEmpty, "\(name) (killed after \(iteration.delays)): \(differences)")
                if iteration.rejects != expectedRejects { rejectsDiffer += 1 }
                unauditedBatches += expectedBatches.subtracting(iteration.auditedBatches).count
            }
        }
        #expect(kills >= Self.requiredKills, "only \(kills) runs were killed before they ended")
        #expect(rejectsDiffer == 0, "a rerun lists the rejects of batches committed before it too")
        #expect(unauditedBatches == 0, "every committed batch's counts reach the audit log, after a crash too")
    }

    /// What one crashed-and-rerun home ended with.
    struct Iteration: Sendable {
        var delays: [Double]
        var kills: Int
        var finalRun: CleanRoomBinary.Outcome
        var auditVerify: CleanRoomBinary.Outcome
        var dump: LogicalDump
        /// The batch digests the audit log records as committed.
        var auditedBatches: Set<String>
        var rejects: Data
    }

    /// A fresh home with the reference's keys: ingest killed after `delays.0` (and the rerun after `delays.1`,
    /// when given and the first run was killed), then rerun to completion, its audit log verified and its
    /// database dumped.
    static func crashAndRerun(
        binary: CleanRoomBinary, directory: TemporaryDirectory, name: String, reference: CleanRoomHome,
        inputData: Data, delays: (Double, Double?), dataTimes: Set<Int64>
    ) throws -> Iteration {
        let root = directory.path(name)
        let log = root + "/runs.log"
        let home = try Self.makeHome(at: root + "/home", keysOf: reference, binary: binary, log: log)
        let input = root + "/input.jsonl"
        try inputData.write(to: URL(fileURLWithPath: input))
        let arguments = Self.ingestArguments(input, home)
        var kills = 0
        var delaysUsed = [delays.0]
        if try binary.run(arguments, log: log, killAfter: delays.0) == .killed {
            kills += 1
            if let second = delays.1 {
                delaysUsed.append(second)
                if try binary.run(arguments, log: log, killAfter: second) == .killed { kills += 1 }
            }
        }
        let finalRun = try binary.run(arguments, log: log)
        let auditVerify = try binary.run(["audit", "verify", "--home", home.root], log: log)
        return Iteration(
            delays: delaysUsed, kills: kills, finalRun: finalRun, auditVerify: auditVerify,
            dump: try LogicalDump.read(home: home, dataTimes: dataTimes),
            auditedBatches: try Self.auditedBatches(in: home),
            rejects: try Data(contentsOf: URL(fileURLWithPath: input + ".rejects.jsonl")))
    }

    /// The batches the home's audit log records with the counts of their commit: an `ingest.batch_committed`
    /// entry, or the `ingest.already_ingested` entry of a rerun, which carries the counts of the commit it found.
    static func auditedBatches(in home: CleanRoomHome) throws -> Set<String> {
        var batches = Set<String>()
        try AuditReader.forEachEntry(in: home.auditDirectory) { entry in
            guard entry.record.action == .ingestBatch, case .object(var request) = entry.record.request else { return }
            request["already_ingested"] = nil
            batches.insert(CanonicalJSON.object(request).text)
        }
        return batches
    }

    static func ingestArguments(_ input: String, _ home: CleanRoomHome) -> [String] {
        ["ingest", input, "--home", home.root, "--batch-size", "100"]
    }

    /// A home made like ``initializedHome(in:)`` (the repository's policy, then `cleanroom init`, here run as a
    /// child process so its report goes to `log`). Given `reference`, its keys are copied in first (`init` keeps
    /// existing keys), so that pseudonyms match and one keyring opens the data keys of every home.
    static func makeHome(
        at root: String, keysOf reference: CleanRoomHome?, binary: CleanRoomBinary, log: String
    ) throws -> CleanRoomHome {
        let home = CleanRoomHome(root: root)
        let files = FileManager.default
        if let reference {
            try files.createDirectory(
                atPath: home.keysDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: NSNumber(value: 0o700)])
            for name in try files.contentsOfDirectory(atPath: reference.keysDirectory) {
                let target = home.keysDirectory + "/" + name
                try files.copyItem(atPath: reference.keysDirectory + "/" + name, toPath: target)
                try setMode(target, 0o600)
            }
        }
        try files.createDirectory(atPath: home.policiesDirectory, withIntermediateDirectories: true)
        try files.copyItem(atPath: repositoryPolicy, toPath: home.policyFile)
        guard try binary.run(["init", "--home", home.root], log: log) == .exited(0) else {
            throw CrashTestFailure(description: "cleanroom init fails; see \(log)")
        }
        return home
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Results gathered from the lanes, by name.
    final class Outcomes<Value: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [(String, Result<Value, any Error>)] = []

        func add(name: String, result: Result<Value, any Error>) {
            self.lock.withLock { self.results.append((name, result)) }
        }

        var all: [(String, Result<Value, any Error>)] {
            self.lock.withLock { self.results.sorted { $0.0 < $1.0 } }
        }
    }
}

// MARK: The binary

/// Why the crash test could not go on.
struct CrashTestFailure: Error, CustomStringConvertible {
    var description: String
}

/// The `cleanroom` executable built beside the test bundle, run as a child process.
struct CleanRoomBinary: Sendable {
    /// How a run ended.
    enum Outcome: Sendable, Equatable {
        case exited(Int32)
        case killed
    }

    let path: String

    /// Finds `cleanroom` next to the test bundle (`swift build --build-tests` builds both).
    static func locate() throws -> CleanRoomBinary {
        let candidates = [
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ]
        for folder in candidates {
            let path = folder.appendingPathComponent("cleanroom").path
            if FileManager.default.isExecutableFile(atPath: path) { return CleanRoomBinary(path: path) }
        }
        let searched = candidates.map(\.path).joined(separator: ", ")
        throw CrashTestFailure(description: "no cleanroom executable in \(searched); run swift build --build-tests")
    }

    /// Runs `cleanroom ARGUMENTS`, its output appended to `log`, with `environment` added to this process's; with
    /// `killAfter`, sends SIGKILL that many seconds after the start unless it has ended.
    func run(
        _ arguments: [String], log: String, environment: [String: String] = [:], killAfter delay: Double? = nil
    ) throws -> Outcome {
        if !FileManager.default.fileExists(atPath: log) {
            FileManager.default.createFile(atPath: log, contents: nil)
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? output.close() }
        try output.seekToEnd()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: self.path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        if let delay {
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal {
            return process.terminationStatus == SIGKILL ? .killed : .exited(128 + process.terminationStatus)
        }
        return .exited(process.terminationStatus)
    }
}

// MARK: The logical dump

/// What a database holds, read through `CleanRoomStore`, independent of subject ids, the random bytes of data
/// keys and seals, and the wall clock.
///
/// Subjects are keyed by their sorted pseudonyms (kind, variant, hex): each home uses the same match key. For
/// each subject: its identifiers unsealed (kind, raw value, when added), attributes, events and consent ledger.
/// Times that come from the input are kept; times taken from the clock (an attribute or identifier of a row
/// without `consent_at`, when a consent entry was recorded) are not compared.
struct LogicalDump: Sendable {
    var subjectCount: Int
    var eventCount: Int
    /// Rows whose subject has no data key, and subjects whose pseudonyms another subject has too (never expected).
    var orphanRows: Int
    /// Subjects by their pseudonyms.
    var subjects: [String: Subject]

    struct Subject: Sendable, Equatable {
        var identifiers: [String]
        var attributes: [String]
        var events: [String]
        var consent: [String]
    }

    static func read(home: CleanRoomHome, dataTimes: Set<Int64>) throws -> LogicalDump {
        let keyring = try Keyring.open(in: home.keysDirectory)
        let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
        defer { try? store.close() }
        func time(_ date: Date) -> String {
            let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
            return dataTimes.contains(milliseconds) ? String(milliseconds) : "clock"
        }
        func milliseconds(_ date: Date) -> String { String(Int64((date.timeIntervalSince1970 * 1000).rounded())) }
        return try store.read { transaction in
            var dataKeys: [SubjectID: DataKey] = [:]
            try transaction.dataKeys.forEach { stored in
                dataKeys[stored.subject] = try keyring.unwrap(
                    WrappedDataKey(serialized: stored.wrapped), context: stored.subject.dataKeyContext)
            }
            var contents: [SubjectID: Subject] = [:]
            var orphans = 0
            func add(_ subject: SubjectID, _ change: (inout Subject) -> Void) {
                guard dataKeys[subject] != nil else {
                    orphans += 1
                    return
                }
                change(&contents[subject, default: Subject(identifiers: [], attributes: [], events: [], consent: [])])
            }
            try transaction.attributes.forEach { attribute in
                let line = "\(attribute.name)=\(attribute.value)@\(time(attribute.updatedAt))"
                add(attribute.subject) { $0.attributes.append(line) }
            }
            try transaction.events.forEach { event in
                let amount = event.amount.map { String($0) } ?? "-"
                let line = [
                    event.type, milliseconds(event.occurredAt), amount, event.currency ?? "-",
                    event.items.joined(separator: ","), Hex.encode(event.key),
                ].joined(separator: "|")
                add(event.subject) { $0.events.append(line) }
            }
            try transaction.consent.forEach { entry in
                let line = [entry.purpose, entry.signal.rawValue, milliseconds(entry.occurredAt), entry.source ?? "-"]
                    .joined(separator: "|")
                add(entry.subject) { $0.consent.append(line) }
            }
            var subjects: [String: Subject] = [:]
            for (subject, dataKey) in dataKeys {
                var pseudonyms: [String] = []
                var identifiers: [String] = []
                for identifier in try transaction.identifiers.identifiers(of: subject) {
                    let kind = identifier.kind.rawValue
                    for variant in identifier.variants {
                        pseudonyms.append("\(kind)|\(variant.name)|\(Hex.encode(variant.pseudonym.bytes))")
                    }
                    let context = subject.dataKeyContext + Array("|\(kind)".utf8)
                    let raw = try dataKey.open(identifier.sealed, context: context)
                    identifiers.append("\(kind)=\(String(decoding: raw, as: UTF8.self))@\(time(identifier.addedAt))")
                }
                var entry = contents[subject] ?? Subject(identifiers: [], attributes: [], events: [], consent: [])
                entry.identifiers = identifiers.sorted()
                let key = pseudonyms.sorted().joined(separator: " ")
                if subjects.updateValue(entry, forKey: key) != nil { orphans += 1 }
            }
            return LogicalDump(
                subjectCount: try transaction.subjects.count(), eventCount: try transaction.events.count(),
                orphanRows: orphans, subjects: subjects)
        }
    }

    /// What differs, in counts and field names only (no identifier values).
    func differences(from other: LogicalDump) -> [String] {
        var differences: [String] = []
        if self.subjectCount != other.subjectCount {
            differences.append("subjects \(self.subjectCount) ≠ \(other.subjectCount)")
        }
        if self.eventCount != other.eventCount {
            differences.append("events \(self.eventCount) ≠ \(other.eventCount)")
        }
        if self.orphanRows != other.orphanRows {
            differences.append("orphan rows \(self.orphanRows) ≠ \(other.orphanRows)")
        }
        let missing = Set(self.subjects.keys).subtracting(other.subjects.keys).count
        let extra = Set(other.subjects.keys).subtracting(self.subjects.keys).count
        if missing > 0 { differences.append("\(missing) subjects missing (by pseudonyms)") }
        if extra > 0 { differences.append("\(extra) subjects not in the reference") }
        var fields: [String: Int] = [:]
        for (key, expected) in self.subjects {
            guard let actual = other.subjects[key] else { continue }
            if expected.identifiers != actual.identifiers { fields["identifiers", default: 0] += 1 }
            if expected.attributes != actual.attributes { fields["attributes", default: 0] += 1 }
            if expected.events != actual.events { fields["events", default: 0] += 1 }
            if expected.consent != actual.consent { fields["consent", default: 0] += 1 }
        }
        for (field, count) in fields.sorted(by: { $0.key < $1.key }) {
            differences.append("\(field) differ for \(count) subjects")
        }
        return differences
    }
}

// MARK: The input

extension SplitMix64 {
    /// Whether an event of `probability` happens.
    mutating func chance(_ probability: Double) -> Bool {
        self.unit() < probability
    }
}

/// A generated JSON Lines input: customers with several identifier kinds (some shared across a second source,
/// some in other spellings), events identified by any identifier, consent withdrawals and re-grants, refused
/// consent upgrades, conflicting links, duplicates and bad rows of many kinds.
struct CrashTestInput {
    var lines: [String]
    var customers: Int
    /// Every time (milliseconds) the input gives for `consent_at`: the stored times taken from the input.
    var dataTimes: Set<Int64>

    /// One generated person and the identifiers rows may name them by.
    struct Person {
        var customerID: String?
        var email: String?
        var phone: String?
        var deviceID: String?
        var country: String
        var consentAt: Int64?
        var consent: [String: Bool] = [:]
        /// Identifiers a later source added (usable by events after that row).
        var laterIdentifiers: [(String, String)] = []

        var identifiers: [(String, String)] {
            let fields = [
                ("customer_id", self.customerID), ("email", self.email), ("phone", self.phone),
                ("device_id", self.deviceID),
            ]
            return fields.compactMap { field, value in value.map { (field, $0) } }
        }
    }

    static let countries = ["AT", "CH", "FR", "NL", "BE", "PL", "IT", "ES", "SE"]
    static let purposes = [
        "analytics", "ads_measurement", "ads_personalization", "partner_matching", "fraud_prevention",
        "service_quality",
    ]
    static let domains = ["gmail.com", "example.com", "web.de", "mail.example.org", "googlemail.com"]
    static let firstNames = ["anna", "ben", "clara", "david", "eva", "felix", "greta", "hugo", "ida", "jonas"]
    static let lastNames = ["meyer", "schmidt", "novak", "rossi", "dubois", "jansen", "berg", "kowalski"]
    /// 2026-01-01T00:00:00Z and 2025-06-01T00:00:00Z.
    static let consentEpoch: Int64 = 1_767_225_600
    static let eventEpoch: Int64 = 1_748_736_000

    static func generate(customers: Int, events: Int, seed: UInt64) -> CrashTestInput {
        var random = SplitMix64(seed: seed)
        var times = Set<Int64>()
        var people: [Person] = []
        var phaseA: [String] = []
        var phaseB: [String] = []
        var phaseC: [String] = []

        func stamp(_ seconds: Int64) -> String {
            times.insert(seconds * 1000)
            return Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
        }

        // Phase A: one row per person from the CRM, bad rows among them.
        for number in 0..<customers {
            let german = random.chance(0.7)
            var person = Person(country: german ? "DE" : countries[Int(random.next() % UInt64(countries.count))])
            if random.chance(0.85) { person.customerID = "c-\(number)" }
            if random.chance(0.75) {
                let first = firstNames[Int(random.next() % UInt64(firstNames.count))]
                let last = lastNames[Int(random.next() % UInt64(lastNames.count))]
                person.email = "\(first).\(last)\(number)@\(domains[Int(random.next() % UInt64(domains.count))])"
            }
            if random.chance(0.4) {
                let subscriber = 20_000_000 + number * 7
                person.phone = german && random.chance(0.6) ? "0151 \(subscriber)" : "+49 151 \(subscriber)"
            }
            if random.chance(0.25) || person.identifiers.isEmpty {
                person.deviceID = deviceID(random.next(), random.next())
            }
            var attributes: [String: Value] = ["country": .text(person.country)]
            attributes["age_band"] = .text(["18-24", "25-34", "35-44", "45-54", "55-64", "65+"][number % 6])
            if random.chance(0.5) {
                attributes["gender"] = .text(["female", "male", "diverse", "unspecified"][number % 4])
            }
            if random.chance(0.6) { attributes["household_size"] = .integer(1 + number % 6) }
            if random.chance(0.5) { attributes["newsletter_subscriber"] = .bool(number % 3 == 0) }
            if random.chance(0.3) { attributes["city"] = .text(["Hamburg", "Wien", "Zürich", "Lyon"][number % 4]) }
            attributes["loyalty_tier"] = .text(["none", "bronze", "silver", "gold"][number % 4])
            var row = CustomerLine(person: person, attributes: attributes, source: "crm")
            if random.chance(0.7) {
                let at = consentEpoch + Int64(number) * 3_600 + Int64(random.next() % 3_600)
                person.consentAt = at
                for purpose in purposes where random.chance(0.6) {
                    person.consent[purpose] = random.chance(0.75)
                }
                if person.consent.isEmpty { person.consent["analytics"] = true }
                row.consent = person.consent
                row.consentAt = stamp(at)
            }
            phaseA.append(row.json)
            people.append(person)
            if random.chance(0.03) { phaseA.append(badCustomerRows[number % badCustomerRows.count](number)) }
        }

        // Phase B, shuffled: a second source for some people, conflicting links, events, consent records.
        for number in people.indices where random.chance(0.15) {
            var person = people[number]
            guard let known = spelledDifferently(person) else { continue }
            var row = CustomerLine(person: Person(country: person.country), attributes: [:], source: "store")
            row.set(known.0, known.1)
            let added: (String, String) =
                person.email == nil
                ? ("email", "p\(number)@store.example") : ("device_id", deviceID(random.next(), random.next()))
            row.set(added.0, added.1)
            row.attributes = [
                "loyalty_tier": .text(["gold", "silver"][number % 2]), "preferred_channel": .text("store"),
            ]
            if let consentAt = person.consentAt, random.chance(0.5) {
                row.consent = ["service_quality": true, "analytics": number % 2 == 0]
                row.consentAt = stamp(consentAt + 86_400 * 3)
            }
            person.laterIdentifiers.append(added)
            people[number] = person
            phaseB.append(row.json)
        }
        for number in 0..<max(1, customers / 100) {
            let first = people[(number * 37) % customers]
            let second = people[(number * 37 + 11) % customers]
            guard let id = first.customerID, let email = second.email else { continue }
            var row = CustomerLine(person: Person(country: "DE"), attributes: [:], source: "web")
            row.set("customer_id", id)
            row.set("email", email)
            phaseB.append(row.json)
        }
        var eventLines: [String] = []
        for number in 0..<events {
            // Skewed: a few people make many events.
            let index = Int(Double(customers) * pow(random.unit(), 2.5))
            let person = people[index]
            let usable = person.identifiers + (number >= events * 2 / 3 ? person.laterIdentifiers : [])
            let (field, value) = usable[Int(random.next() % UInt64(usable.count))]
            var line = EventLine(event: ["visit", "click", "add_to_cart", "purchase"][Int(random.next() % 4)])
            line.set(field, value)
            line.at = stamp(eventEpoch + Int64(random.next() % (300 * 86_400)))
            if line.event == "purchase" || line.event == "add_to_cart" {
                line.items = (0..<(1 + Int(random.next() % 3))).map { _ in "sku-\(Int(40 * pow(random.unit(), 2)))" }
            }
            if line.event == "purchase" {
                line.amount = Double(random.next() % 20_000) / 100
                line.currency = person.country == "CH" ? "CHF" : "EUR"
            }
            if number >= events * 2 / 3 {
                phaseC.append(line.json)
            } else {
                phaseB.append(line.json)
                eventLines.append(line.json)
            }
            if random.chance(0.01) { phaseB.append(badEventRows[number % badEventRows.count](number)) }
        }
        var withdrawn: [Int] = []
        for number in people.indices where random.chance(0.02) {
            let person = people[number]
            guard let consentAt = person.consentAt, let (field, value) = person.identifiers.first else { continue }
            let purpose = purposes[number % purposes.count]
            var line = ConsentLine(purpose: purpose, granted: false, at: stamp(consentAt + 30 * 86_400))
            line.set(field, value)
            phaseB.append(line.json)
            withdrawn.append(number)
            if withdrawn.count % 3 == 0 {
                line.granted = true
                line.at = stamp(consentAt + 60 * 86_400)
                phaseC.append(line.json)
            } else {
                // A later bulk row may not grant it again.
                var row = CustomerLine(person: Person(country: person.country), attributes: [:], source: "web")
                row.set(field, value)
                row.consent = [purpose: true]
                row.consentAt = stamp(consentAt + 90 * 86_400)
                phaseC.append(row.json)
            }
        }
        phaseB += badConsentRows
        phaseB.shuffle(using: &random)

        // Phase C: the last events, re-grants and refused upgrades, then verbatim duplicates.
        for _ in 0..<30 { phaseC.append(eventLines[Int(random.next() % UInt64(eventLines.count))]) }
        for _ in 0..<10 { phaseC.append(phaseA[Int(random.next() % UInt64(phaseA.count))]) }
        phaseC.shuffle(using: &random)
        return CrashTestInput(lines: phaseA + phaseB + phaseC, customers: customers, dataTimes: times)
    }

    /// An advertising id (IDFA form: upper-case hex with hyphens) from 128 random bits.
    static func deviceID(_ high: UInt64, _ low: UInt64) -> String {
        let hex = [high, low].map { word in
            let digits = String(word, radix: 16, uppercase: true)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
        let cuts = [8, 12, 16, 20]
        var result = ""
        for (offset, character) in hex.enumerated() {
            if cuts.contains(offset) { result += "-" }
            result.append(character)
        }
        return result
    }

    /// One of the person's identifiers in another spelling that normalizes to the same canonical form.
    static func spelledDifferently(_ person: Person) -> (String, String)? {
        if let email = person.email {
            let parts = email.split(separator: "@")
            if parts[1] == "gmail.com" || parts[1] == "googlemail.com" {
                return ("email", parts[0].replacingOccurrences(of: ".", with: "") + "@" + parts[1].uppercased())
            }
            return ("email", email.uppercased())
        }
        if let phone = person.phone {
            let international = "+49" + phone.dropFirst().replacingOccurrences(of: " ", with: "")
            return ("phone", phone.hasPrefix("0151") ? international : phone)
        }
        if let customerID = person.customerID { return ("customer_id", customerID) }
        return person.deviceID.map { ("device_id", $0.lowercased().replacingOccurrences(of: "-", with: "")) }
    }

    static let badCustomerRows: [@Sendable (Int) -> String] = [
        { #"{"type":"customer","customer_id":"c-bad-\#($0)""# },
        { #"{"type":"customer","customer_id":"c-bad-\#($0)","attributes":{"shoe_size":"42"}}"# },
        { #"{"type":"customer","email":"no-at-sign-\#($0)"}"# },
        { #"{"type":"customer","phone":"12\#($0 % 10)"}"# },
        { _ in #"{"type":"customer","attributes":{"country":"DE"}}"# },
        { #"{"type":"customer","customer_id":"c-bad-\#($0)","consent":{"analytics":true}}"# },
        { #"{"type":"customer","customer_id":"c-bad-\#($0)","attributes":{"country":"US"}}"# },
        { #"{"type":"customer","customer_id":"c-bad-\#($0)","attributes":{"household_size":13}}"# },
        { #"{"type":"customer","customer_id":"c-bad-\#($0)","favourite":"x"}"# },
        { _ in #"{"type":"refund","customer_id":"c-1"}"# },
        { _ in #"{"customer_id":"c-1"}"# },
        { _ in "not json at all" },
    ]

    static let badConsentRows = [
        #"{"type":"consent","customer_id":"c-none","purpose":"analytics","granted":true,"at":"2026-05-01T10:00:00Z"}"#,
        #"{"type":"consent","customer_id":"c-1","purpose":"telepathy","granted":true,"at":"2026-05-01T10:00:00Z"}"#,
    ]

    static let badEventRows: [@Sendable (Int) -> String] = [
        { #"{"type":"event","customer_id":"c-nobody-\#($0)","event":"visit","at":"2026-02-01T00:00:00Z"}"# },
        { _ in #"{"type":"event","customer_id":"c-1","event":"refund","at":"2026-02-01T00:00:00Z"}"# },
        { _ in #"{"type":"event","customer_id":"c-1","event":"visit","at":"2026-02-01T00:00:00Z","amount":3}"# },
        { _ in #"{"type":"event","customer_id":"c-1","event":"click","at":"yesterday"}"# },
        { _ in #"{"type":"event","customer_id":"c-1","event":"purchase","at":"2026-02-01T00:00:00Z","amount":-5}"# },
        { _ in #"{"type":"event","customer_id":"c-1","event":"purchase","at":"2026-02-01T00:00:00Z","amount":5}"# },
    ]

    /// An attribute value as JSON.
    enum Value: Encodable {
        case text(String), integer(Int), bool(Bool)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .integer(let number): try container.encode(number)
            case .bool(let flag): try container.encode(flag)
            }
        }
    }

    /// Every field of the three record types.
    enum Field: String, CodingKey {
        case type, email, phone, attributes, consent, source, event, at, amount, currency, items, purpose, granted
        case customerID = "customer_id"
        case deviceID = "device_id"
        case consentAt = "consent_at"
    }

    /// The identifier fields every record type has.
    struct Identifiers {
        var customerID: String?
        var email: String?
        var phone: String?
        var deviceID: String?

        mutating func set(_ field: String, _ value: String) {
            switch field {
            case "customer_id": self.customerID = value
            case "email": self.email = value
            case "phone": self.phone = value
            default: self.deviceID = value
            }
        }

        func encode(into container: inout KeyedEncodingContainer<Field>) throws {
            try container.encodeIfPresent(self.customerID, forKey: .customerID)
            try container.encodeIfPresent(self.email, forKey: .email)
            try container.encodeIfPresent(self.phone, forKey: .phone)
            try container.encodeIfPresent(self.deviceID, forKey: .deviceID)
        }
    }

    struct CustomerLine: Encodable {
        var identifiers: Identifiers
        var attributes: [String: Value]
        var consent: [String: Bool]?
        var consentAt: String?
        var source: String

        init(person: Person, attributes: [String: Value], source: String) {
            self.identifiers = Identifiers(
                customerID: person.customerID, email: person.email, phone: person.phone, deviceID: person.deviceID)
            self.attributes = attributes
            self.source = source
        }

        mutating func set(_ field: String, _ value: String) { self.identifiers.set(field, value) }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Field.self)
            try container.encode("customer", forKey: .type)
            try self.identifiers.encode(into: &container)
            if !self.attributes.isEmpty { try container.encode(self.attributes, forKey: .attributes) }
            try container.encodeIfPresent(self.consent, forKey: .consent)
            try container.encodeIfPresent(self.consentAt, forKey: .consentAt)
            try container.encode(self.source, forKey: .source)
        }
    }

    struct EventLine: Encodable {
        var identifiers = Identifiers()
        var event: String
        var at = ""
        var amount: Double?
        var currency: String?
        var items: [String]?

        init(event: String) {
            self.event = event
        }

        mutating func set(_ field: String, _ value: String) { self.identifiers.set(field, value) }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Field.self)
            try container.encode("event", forKey: .type)
            try self.identifiers.encode(into: &container)
            try container.encode(self.event, forKey: .event)
            try container.encode(self.at, forKey: .at)
            try container.encodeIfPresent(self.amount, forKey: .amount)
            try container.encodeIfPresent(self.currency, forKey: .currency)
            try container.encodeIfPresent(self.items, forKey: .items)
        }
    }

    struct ConsentLine: Encodable {
        var identifiers = Identifiers()
        var purpose: String
        var granted: Bool
        var at: String

        init(purpose: String, granted: Bool, at: String) {
            self.purpose = purpose
            self.granted = granted
            self.at = at
        }

        mutating func set(_ field: String, _ value: String) { self.identifiers.set(field, value) }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Field.self)
            try container.encode("consent", forKey: .type)
            try self.identifiers.encode(into: &container)
            try container.encode(self.purpose, forKey: .purpose)
            try container.encode(self.granted, forKey: .granted)
            try container.encode(self.at, forKey: .at)
            try container.encode("preference-center", forKey: .source)
        }
    }
}

extension Encodable {
    /// One JSON line, keys sorted. The generated values always encode.
    fileprivate var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        } catch {
            fatalError("a generated row does not encode: \(error)")
        }
    }
}
