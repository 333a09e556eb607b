import CleanRoomCrypto

/// A validated CleanRoom policy: purposes, schema, identifiers, privacy parameters, principals, rights,
/// audit and limits (DESIGN.md section 5).
///
/// A `Policy` comes only from ``PolicyLoader``, which validates every field and cross-reference, so code
/// holding one may rely on it: every purpose a principal names is declared, k is at least 2, every
/// retention period parses. Two policies are equal exactly when their ``digest``s are equal.
public struct Policy: Sendable, Equatable {
    /// The policy file format version; this loader reads version 1.
    public let version: Int
    /// The data controller the policy speaks for (named in records of processing).
    public let controller: Controller
    /// The purposes data may be used for, in declared order.
    public let purposes: [Purpose]
    /// What may be ingested: data categories, attributes and event types.
    public let schema: Schema
    /// How identifiers are normalized and indexed.
    public let identifiers: Identifiers
    /// The privacy parameters every release obeys.
    public let privacy: Privacy
    /// Who may do what, in declared order.
    public let principals: [Principal]
    /// How data-subject requests are handled.
    public let rights: Rights
    /// How long partners' hashed audience uploads are kept.
    public let audiences: Audiences
    /// Audit log settings.
    public let audit: Audit
    /// Request limits of the service.
    public let limits: Limits
    /// The canonical JSON form of this policy: every setting with its defaults applied, keys sorted, no
    /// insignificant white space. Comments, key order and formatting of the YAML do not change it; it is
    /// itself a valid policy file.
    public private(set) var canonicalJSON = ""
    /// The lowercase hexadecimal SHA-256 of ``canonicalJSON``, recorded in every audit entry.
    public private(set) var digest = ""

    init(
        version: Int,
        controller: Controller,
        purposes: [Purpose],
        schema: Schema,
        identifiers: Identifiers,
        privacy: Privacy,
        principals: [Principal],
        rights: Rights,
        audiences: Audiences,
        audit: Audit,
        limits: Limits
    ) {
        self.version = version
        self.controller = controller
        self.purposes = purposes
        self.schema = schema
        self.identifiers = identifiers
        self.privacy = privacy
        self.principals = principals
        self.rights = rights
        self.audiences = audiences
        self.audit = audit
        self.limits = limits
        self.canonicalJSON = self.makeCanonicalJSON()
        self.digest = Hex.encode(SHA256.hash(Array(self.canonicalJSON.utf8)))
    }

    /// The purpose called `name`, if declared.
    public func purpose(named name: String) -> Purpose? {
        self.purposes.first { $0.name == name }
    }

    /// The principal called `name`, if declared.
    public func principal(named name: String) -> Principal? {
        self.principals.first { $0.name == name }
    }
}
