import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
@testable import CleanRoomIngest
import CleanRoomStore
import Foundation

/// The repository's default policy.
let defaultPolicyPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("policies/default.yaml").path

/// A store, keyring, policy and audit log in a fresh temporary folder.
final class IngestFixture {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString)").path
    let store: Store
    let keyring: Keyring
    let policy: Policy
    let audit: AuditLog
    let index: IdentityIndex

    init(policy: Policy? = nil) throws {
        try FileManager.default.createDirectory(atPath: self.root, withIntermediateDirectories: true)
        try Keyring.create(in: self.root + "/keys")
        self.keyring = try Keyring.open(in: self.root + "/keys")
        self.policy = try policy ?? PolicyLoader.load(contentsOf: defaultPolicyPath)
        self.store = try Store.open(path: self.root + "/cleanroom.sqlite")
        self.audit = try AuditLog.open(
            directory: self.root + "/audit", signingKey: self.keyring.auditSigningKey,
            options: AuditLog.Options(origin: "cleanroom/audit")
        ).log
        self.index = IdentityIndex()
    }

    deinit {
        try? self.store.close()
        try? FileManager.default.removeItem(atPath: self.root)
    }

    func ingestor() throws -> Ingestor {
        try Ingestor(store: self.store, keyring: self.keyring, policy: self.policy, index: self.index, audit: self.audit)
    }

    /// Writes `lines` to a file named `name` and ingests it.
    @discardableResult
    func ingest(_ name: String, _ lines: [String], options: Ingestor.Options = Ingestor.Options()) throws
        -> IngestSummary
    {
        let path = try self.write(name, lines)
        return try self.ingestor().ingest(path: path, options: options)
    }

    func write(_ name: String, _ lines: [String]) throws -> String {
        let path = self.root + "/" + name
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func rejects(_ name: String) throws -> [IngestReject] {
        let text = try String(contentsOfFile: self.root + "/" + name + ".rejects.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(IngestReject.self, from: Data($0.utf8)) }
    }

    var subjectCount: Int { get throws { try self.store.read { try $0.subjects.count() } } }
    var eventCount: Int { get throws { try self.store.read { try $0.events.count() } } }

    /// The raw identifiers of every subject, unsealed, as sorted sets.
    func people() throws -> [Set<String>] {
        try self.store.read { transaction in
            var people: [Set<String>] = []
            try transaction.dataKeys.forEach { stored in
                let key = try self.keyring.unwrap(
                    WrappedDataKey(serialized: stored.wrapped), context: stored.subject.dataKeyContext)
                var values = Set<String>()
                for identifier in try transaction.identifiers.identifiers(of: stored.subject) {
                    let plain = try key.open(identifier.sealed, context: IdentifierSealing.context(stored.subject, identifier.kind))
                    values.insert(identifier.kind.rawValue + ":" + String(decoding: plain, as: UTF8.self))
                }
                people.append(values)
            }
            return people
        }
    }

    /// The consent ledger of the person with customer id `customerID`: (purpose, signal) in time order.
    func consent(ofCustomer customerID: String) throws -> [String] {
        guard let subject = try self.subject(ofCustomer: customerID) else { return [] }
        return try self.store.read { try $0.consent.history(of: subject) }.map { "\($0.purpose)=\($0.signal)" }
    }

    /// The attributes of the person with customer id `customerID`: name=value, by name.
    func attributes(ofCustomer customerID: String) throws -> [String] {
        guard let subject = try self.subject(ofCustomer: customerID) else { return [] }
        return try self.store.read { try $0.attributes.attributes(of: subject) }.map { "\($0.name)=\($0.value)" }
    }

    private func subject(ofCustomer customerID: String) throws -> SubjectID? {
        let pseudonym = try IdentifierNormalizer().canonicalMatchHash(kind: .customerID, raw: customerID)
            .pseudonym(matchKey: self.keyring.matchKey)
        return self.index.subject(for: pseudonym, kind: .customerID)
    }
}

/// A JSON Lines customer row.
func customerLine(
    _ customerID: String?, email: String? = nil, phone: String? = nil, device: String? = nil,
    attributes: String = #"{"country":"DE"}"#, consent: String? = nil, at: String? = nil, source: String? = nil
) -> String {
    var fields = [#""type":"customer""#]
    if let customerID { fields.append(#""customer_id":"\#(customerID)""#) }
    if let email { fields.append(#""email":"\#(email)""#) }
    if let phone { fields.append(#""phone":"\#(phone)""#) }
    if let device { fields.append(#""device_id":"\#(device)""#) }
    fields.append(#""attributes":\#(attributes)"#)
    if let consent { fields.append(#""consent":\#(consent)"#) }
    if let at { fields.append(#""consent_at":"\#(at)""#) }
    if let source { fields.append(#""source":"\#(source)""#) }
    return "{" + fields.joined(separator: ",") + "}"
}
