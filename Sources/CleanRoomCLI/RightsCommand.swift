import ArgumentParser
import CleanRoomAudit
import CleanRoomCore
import CleanRoomIngest
import CleanRoomRights
import CleanRoomStore
import Foundation

/// `cleanroom rights …`: data-subject requests (GDPR Art. 7(3), 15, 17, 20, 21) made through the owner.
struct RightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rights",
        abstract: "Carry out a person's request: withdraw consent, object, access their data, or erase them.",
        discussion: """
            The person is found by one of their identifiers, normalized as at ingest; give - as its value to read \
            it from standard input instead of the command line. Every request is recorded \
            with its deadline and outcome and audited (never with the identifier) before the answer is printed; \
            a person the store does not hold gets "no data held", recorded like any other request.
            """,
        subcommands: [Withdraw.self, Object.self, Access.self, Erase.self, List.self]
    )

    /// The one identifier a request names.
    struct PersonOptions: ParsableArguments {
        @Option(help: ArgumentHelp("The person's e-mail address.", valueName: "address"))
        var email: String?
        @Option(help: ArgumentHelp("The person's phone number.", valueName: "number"))
        var phone: String?
        @Option(name: .customLong("device-id"), help: ArgumentHelp("The person's device id.", valueName: "id"))
        var deviceID: String?
        @Option(name: .customLong("customer-id"), help: ArgumentHelp("The person's customer id.", valueName: "id"))
        var customerID: String?
        @Option(
            help: ArgumentHelp(
                "For a phone number without its country code: the country it belongs to (e.g. FR).",
                discussion: "Defaults to the policy's default region, as at ingest for rows without a country.",
                valueName: "country"))
        var region: String?

        func validate() throws {
            _ = try self.given()
        }

        /// The person's identifier; `-` reads its value from standard input, so it stays out of shell history and
        /// process listings.
        var person: PersonIdentifier {
            get throws {
                let (kind, given) = try self.given()
                let value = given == "-" ? (readLine(strippingNewline: true) ?? "") : given
                return PersonIdentifier(kind: kind, value: value, region: self.region?.uppercased())
            }
        }

        private func given() throws -> (IdentifierKind, String) {
            let given: [(IdentifierKind, String?)] = [
                (.email, self.email), (.phone, self.phone), (.deviceID, self.deviceID), (.customerID, self.customerID),
            ]
            let named = given.compactMap { kind, value in value.map { (kind, $0) } }
            guard named.count == 1 else {
                throw ValidationError("name the person by exactly one of --email, --phone, --device-id, --customer-id")
            }
            if self.region != nil && named[0].0 != .phone {
                throw ValidationError("--region applies to --phone only")
            }
            return named[0]
        }
    }

    /// The purposes a withdrawal or objection covers.
    struct PurposeOptions: ParsableArguments {
        @Option(name: .customLong("purpose"), help: "A purpose from the policy; repeat for several.")
        var purposes: [String] = []
        @Flag(help: "Every purpose of the policy (for a withdrawal: every purpose resting on consent).")
        var all = false

        func validate() throws {
            guard self.all != !self.purposes.isEmpty else {
                throw ValidationError("give --purpose (one or more) or --all")
            }
        }

        var named: [String]? { self.all ? nil : self.purposes }
    }

    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the withdrawal of consent (Art. 7(3)); the next query already excludes the person.")
        @OptionGroup var person: PersonOptions
        @OptionGroup var purposes: PurposeOptions
        @OptionGroup var homeOptions: HomeOptions

        func run() throws {
            let outcome = try RightsSession.run(home: self.homeOptions.resolved) { desk in
                try desk.withdraw(self.person.person, purposes: self.purposes.named)
            }
            RightsSession.report(outcome)
        }
    }

    struct Object: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an objection (Art. 21); the next query already excludes the person.")
        @OptionGroup var person: PersonOptions
        @OptionGroup var purposes: PurposeOptions
        @OptionGroup var homeOptions: HomeOptions

        func run() throws {
            let outcome = try RightsSession.run(home: self.homeOptions.resolved) { desk in
                try desk.object(self.person.person, purposes: self.purposes.named)
            }
            RightsSession.report(outcome)
        }
    }

    struct Access: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export everything held about the person as JSON (Art. 15 and 20).",
            discussion: "The export holds the person's identifiers: hand it to them only. It is written with mode 0600.")
        @OptionGroup var person: PersonOptions
        @Option(help: ArgumentHelp("Where to write the export.", valueName: "file"))
        var out: String
        @OptionGroup var homeOptions: HomeOptions

        func run() throws {
            let folder = URL(fileURLWithPath: self.out).deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: folder) else {
                throw ValidationError("the folder of --out does not exist: \(folder)")
            }
            // The destination first: a file that cannot be written is found before the request is recorded.
            let file = try PrivateFile(creatingAt: self.out)
            var export: [UInt8]?
            let outcome = try RightsSession.run(home: self.homeOptions.resolved) { desk in
                let (outcome, bytes) = try desk.access(self.person.person)
                export = bytes
                return outcome
            }
            if let export {
                try file.commit(export)
            } else {
                file.abandon()
            }
            RightsSession.report(outcome, detail: export == nil ? nil : "export written to \(self.out)")
        }
    }

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase the person (Art. 17): data key destroyed, rows deleted, identifiers suppressed at ingest.")
        @OptionGroup var person: PersonOptions
        @OptionGroup var homeOptions: HomeOptions

        func run() throws {
            let outcome = try RightsSession.run(home: self.homeOptions.resolved) { desk in
                try desk.erase(self.person.person)
            }
            RightsSession.report(outcome)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the requests recorded, oldest first.")
        @Flag(help: "Only requests not yet completed.")
        var open = false
        @Flag(help: "Only open requests past their deadline.")
        var overdue = false
        @Flag(help: "Print JSON Lines.")
        var json = false
        @OptionGroup var homeOptions: HomeOptions

        func run() throws {
            let home = self.homeOptions.resolved
            let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
            defer { try? store.close() }
            let requests = try store.read { transaction in
                self.open || self.overdue
                    ? try transaction.rightsRequests.listOpen(overdueAt: self.overdue ? Date() : nil)
                    : try transaction.rightsRequests.all()
            }
            for request in requests {
                print(self.json ? RightsSession.json(request).text : RightsSession.line(request))
            }
            if requests.isEmpty && !self.json { print("no requests") }
        }
    }
}

/// What every rights subcommand does around its request: open the home (keys, policy, audit log, store), load
/// the identity index, run the request, and close.
enum RightsSession {
    static func run(
        home: CleanRoomHome, _ request: (RightsDesk) throws -> RightsDesk.Outcome
    ) throws -> RightsDesk.Outcome {
        let audit = try HomeAuditLog(home: home)
        let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
        defer { try? store.close() }
        let desk = try RightsDesk(
            store: store, keyring: audit.keyring, policy: audit.policy, index: IdentityIndex.load(from: store),
            audit: audit.log, principal: ("cli", "admin"))
        let outcome = try request(desk)
        try audit.log.close()
        return outcome
    }

    static func report(_ outcome: RightsDesk.Outcome, detail: String? = nil) {
        var line = "request \(outcome.request): \(outcome.outcome.replacingOccurrences(of: "_", with: " "))"
        if !outcome.purposes.isEmpty { line += " (\(outcome.purposes.joined(separator: ", ")))" }
        line += "; audit entry \(outcome.auditSequence)"
        print(line)
        if let detail { print(detail) }
    }

    static func line(_ request: StoredRightsRequest) -> String {
        let format = Date.ISO8601FormatStyle()
        let state = request.completedAt.map { "completed \($0.formatted(format)): \(request.outcome ?? "")" } ?? "open"
        return "\(request.id)  \(request.kind)  received \(request.receivedAt.formatted(format))  "
            + "due \(request.deadline.formatted(format))  \(state)"
    }

    static func json(_ request: StoredRightsRequest) -> CanonicalJSON {
        let format = Date.ISO8601FormatStyle()
        return .object([
            "number": .integer(Int(request.id.rawValue)), "kind": .string(request.kind.rawValue),
            "received_at": .string(request.receivedAt.formatted(format)),
            "deadline": .string(request.deadline.formatted(format)),
            "completed_at": request.completedAt.map { .string($0.formatted(format)) } ?? .null,
            "outcome": request.outcome.map(CanonicalJSON.string) ?? .null,
        ])
    }
}
