public import ArgumentParser
import Foundation

/// `cleanroom demo generate`: writes a realistic synthetic data set for the default policy.
public struct DemoGenerateCommand: ParsableCommand {
    /// The name, help and discussion of `cleanroom demo generate`.
    public static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic data set (customers, events, consent changes) as JSON Lines.",
        discussion: """
            Writes customers.jsonl, events.jsonl and consents.jsonl into the --out folder, in the ingest format, \
            for policies/default.yaml. Every person has a customer id; about 90 % an e-mail address, 60 % a phone \
            number and 40 % an advertising id, written as real systems write them (case, white space, Gmail dots \
            and +tags, googlemail.com, national and international phone formats, device ids in any spelling). \
            About 5 % of people have a second record from another source that shares an identifier with the \
            first. Events fall in the 400 days before --end-date; purchases carry 1 to 5 units from a catalogue \
            of 3,000 SKUs with Zipf-distributed popularity. About 4 % of people later withdraw or grant a consent. \
            About 2.5 % of the lines of each file are deliberately bad, of every kind the ingest must reject, \
            counted by kind on standard error.

            The output is the same for the same options: --seed, the counts and --end-date (which defaults to \
            today, so give it for a reproducible data set).
            """
    )

    /// The number of people.
    @Option(help: "The number of people (each has a customer record).")
    var customers: Int

    /// The output folder.
    @Option(help: "The folder to write into; created when missing. Files there of the same names are replaced.")
    var out: String

    /// The seed of the random choices.
    @Option(help: "The seed of every random choice.")
    var seed: UInt64 = 1

    /// The mean number of events per person.
    @Option(help: "The mean number of events per person.")
    var eventsPerCustomer = 5

    /// The day after the last event, `YYYY-MM-DD`; today (UTC) when not given.
    @Option(help: "The day the data ends, YYYY-MM-DD (exclusive; default: today, UTC).")
    var endDate: String?

    /// Creates the command with its defaults; ArgumentParser fills in the options.
    public init() {}

    /// Rejects counts out of range and an end date that is not a date.
    public func validate() throws {
        guard self.customers >= 1 && self.customers <= 100_000_000 else {
            throw ValidationError("--customers must be from 1 to 100,000,000.")
        }
        guard self.eventsPerCustomer >= 0 && self.eventsPerCustomer <= 1_000 else {
            throw ValidationError("--events-per-customer must be from 0 to 1,000.")
        }
        guard !self.out.isEmpty else {
            throw ValidationError("--out needs a folder name.")
        }
        if let endDate = self.endDate, Self.day(endDate) == nil {
            throw ValidationError("--end-date must be a date written YYYY-MM-DD, e.g. 2026-03-01.")
        }
    }

    /// Writes the data set and prints the summary on standard error.
    public func run() throws {
        let directory = try DemoOutputFolder.prepare(self.out)
        let endDay = self.endDate.flatMap(Self.day) ?? Int64(Date().timeIntervalSince1970) / DemoTimestamp.day
        let started = Date()
        let summary = try DemoGenerator.generate(
            DemoGenerator.Options(
                customers: self.customers, eventsPerCustomer: self.eventsPerCustomer, seed: self.seed,
                end: endDay * DemoTimestamp.day),
            into: directory)
        let seconds = Date().timeIntervalSince(started)
        printToStandardError(summary.description)
        printToStandardError("written in \(String(format: "%.1f", seconds)) s")
    }

    /// The day number of `text` written `YYYY-MM-DD`, or `nil`.
    static func day(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), year >= 1970
        else { return nil }
        return DemoTimestamp.days(year: year, month: month, day: day)
    }
}
