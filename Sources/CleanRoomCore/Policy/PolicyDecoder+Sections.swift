internal import CPhoneNumber
import Yams

// The sections of a policy file, read in dependency order so that each reference is checked against what
// is declared: purposes and the schema first, then identifiers and principals, then the privacy settings
// that name principals.

extension PolicyDecoder {
    static let supportedVersion = 1

    /// The policy of the document `root`, or `nil` when any problem was reported.
    func decodePolicy(_ root: Node) -> Policy? {
        let keys = [
            "version", "controller", "purposes", "schema", "identifiers", "privacy", "principals", "rights",
            "audiences", "audit", "limits",
        ]
        guard let top = self.table(root, Self.topLevel, keys: keys) else { return nil }
        let version = self.required(top, "version", hint: " (version: 1)", self.version)
        let controller = self.required(top, "controller", self.controller)
        let purposes = self.required(top, "purposes", self.purposes)
        let schema = self.required(top, "schema", self.schema)
        let identifiers = self.required(top, "identifiers", hint: " with at least 'default_region'") {
            self.identifiers($0, $1, attributes: schema?.attributes)
        }
        let principals = self.optional(top, "principals", default: [], self.principals)
        let privacy = self.optional(top, "privacy", default: self.defaultPrivacy) {
            self.privacy($0, $1, principals: principals)
        }
        let rights = self.optional(
            top,
            "rights",
            default: Policy.Rights(deadline: Policy.Rights.defaultDeadline),
            self.rights
        )
        let audiences = self.optional(
            top,
            "audiences",
            default: Policy.Audiences(retention: Policy.Audiences.defaultRetention),
            self.audiences
        )
        let audit = self.optional(
            top,
            "audit",
            default: Policy.Audit(checkpointEvery: Policy.Audit.defaultCheckpointEvery),
            self.audit
        )
        let limits = self.optional(top, "limits", default: self.defaultLimits, self.limits)
        guard self.problems.isEmpty, let version, let controller, let purposes, let schema, let identifiers,
            let principals, let privacy, let rights, let audiences, let audit, let limits
        else { return nil }
        return Policy(
            version: version,
            controller: controller,
            purposes: purposes,
            schema: schema,
            identifiers: identifiers,
            privacy: privacy,
            principals: principals,
            rights: rights,
            audiences: audiences,
            audit: audit,
            limits: limits
        )
    }

    private func version(_ node: Node, _ field: String) -> Int? {
        guard let version = self.integer(node, field) else { return nil }
        guard version == Self.supportedVersion else {
            self.report(
                .invalidValue,
                "\(field) is \(version), but this CleanRoom reads version \(Self.supportedVersion) only",
                at: node
            )
            return nil
        }
        return version
    }

    private func controller(_ node: Node, _ field: String) -> Policy.Controller? {
        guard let table = self.table(node, field, keys: ["name", "contact"]) else { return nil }
        let name = self.required(table, "name", self.text)
        let contact = self.optionalSetting(table, "contact", self.text)
        guard let name, let contact else { return nil }
        return Policy.Controller(name: name, contact: contact)
    }

    // MARK: - Purposes

    private func purposes(_ node: Node, _ field: String) -> [Policy.Purpose]? {
        let keys = ["name", "description", "lawful_basis", "consent_signal", "direct_marketing", "tcf_purposes"]
        guard let entries = self.namedEntries(node, field, entity: "purpose", keys: keys) else { return nil }
        let purposes = entries.compactMap { name, table -> Policy.Purpose? in
            let description = self.required(table, "description", self.text)
            let basis = self.required(
                table,
                "lawful_basis",
                hint: " (consent or legitimate_interest)",
                self.choice(Policy.LawfulBasis.self)
            )
            let signal = self.optional(table, "consent_signal", default: name, self.name)
            let directMarketing = self.optional(table, "direct_marketing", default: false, self.bool)
            let tcf = self.optional(table, "tcf_purposes", default: [], self.uniqueList(self.tcfPurpose))
            guard let description, let basis, let signal, let directMarketing, let tcf else { return nil }
            return Policy.Purpose(
                name: name,
                description: description,
                lawfulBasis: basis,
                consentSignal: signal,
                isDirectMarketing: directMarketing,
                tcfPurposes: Set(tcf.map(\.0))
            )
        }
        return purposes.count == entries.count ? purposes : nil
    }

    private func tcfPurpose(_ node: Node, _ field: String) -> Int? {
        guard let value = self.integer(node, field) else { return nil }
        guard (1...11).contains(value) else {
            self.report(.invalidValue, "\(field) is \(value); IAB TCF v2.2 purposes are numbered 1 to 11", at: node)
            return nil
        }
        return value
    }

    // MARK: - Schema

    private enum TypeName: String, CaseIterable {
        case string, `enum`, integer, boolean
    }

    private func schema(_ node: Node, _ field: String) -> Policy.Schema? {
        guard let table = self.table(node, field, keys: ["categories", "attributes", "events"]) else { return nil }
        let categories = self.required(table, "categories", self.categories)
        let attributes = self.optional(table, "attributes", default: [], self.attributes)
        let events = self.optional(table, "events", default: [], self.eventTypes)
        guard let categories, let attributes, let events else { return nil }
        return Policy.Schema(categories: categories, attributes: attributes, eventTypes: events)
    }

    private func categories(_ node: Node, _ field: String) -> [Policy.DataCategory]? {
        let keys = ["name", "description", "retention"]
        guard let entries = self.namedEntries(node, field, entity: "data category", keys: keys) else { return nil }
        let categories = entries.compactMap { name, table -> Policy.DataCategory? in
            let description = self.optionalSetting(table, "description", self.text)
            let retention = self.required(table, "retention", hint: " (an ISO 8601 duration such as P2Y)", self.period)
            guard let description, let retention else { return nil }
            return Policy.DataCategory(name: name, description: description, retention: retention)
        }
        return categories.count == entries.count ? categories : nil
    }

    private func attributes(_ node: Node, _ field: String) -> [Policy.Attribute]? {
        let keys = ["name", "type", "values", "min", "max", "quasi_identifier", "category"]
        guard let entries = self.namedEntries(node, field, entity: "attribute", keys: keys) else { return nil }
        let attributes = entries.compactMap { name, table -> Policy.Attribute? in
            let nameIsFree = self.checkAttributeName(name, table)
            let valueType = self.valueType(table)
            let isQuasiIdentifier = self.optional(table, "quasi_identifier", default: false, self.bool)
            let category = self.categoryReference(table)
            guard nameIsFree, let valueType, let isQuasiIdentifier, let category else { return nil }
            return Policy.Attribute(
                name: name,
                valueType: valueType,
                isQuasiIdentifier: isQuasiIdentifier,
                category: category
            )
        }
        return attributes.count == entries.count ? attributes : nil
    }

    /// Attribute names share CSV headers with identifier columns and `consent_<purpose>` columns.
    private func checkAttributeName(_ name: String, _ table: Table) -> Bool {
        let identifierColumns = IdentifierKind.allCases.map(\.rawValue)
        guard identifierColumns.contains(name) || name.hasPrefix("consent_") else { return true }
        self.report(
            .invalidValue,
            "attribute name '\(name)' is reserved: identifier columns (\(identifierColumns.joined(separator: ", "))) "
                + "and consent_<purpose> columns share the CSV header with attributes; choose another name",
            at: table.entries["name"]?.value
        )
        return false
    }

    private func valueType(_ table: Table) -> Policy.ValueType? {
        let hint = " (string, enum, integer or boolean)"
        guard let typeName = self.required(table, "type", hint: hint, self.choice(TypeName.self)) else {
            return nil
        }
        let onlyFor: [TypeName: [String]] = [.enum: ["values"], .integer: ["min", "max"]]
        for (owner, keys) in onlyFor where owner != typeName {
            for key in keys {
                guard let entry = table.entries[key] else { continue }
                self.report(
                    .invalidValue,
                    "'\(key)' applies only to type \(owner.rawValue), but \(table.context) has type "
                        + "\(typeName.rawValue); remove '\(key)' or change the type",
                    at: entry.key
                )
                return nil
            }
        }
        switch typeName {
        case .string:
            return .string
        case .boolean:
            return .boolean
        case .enum:
            let values = self.required(
                table,
                "values",
                hint: " (the list of allowed values)",
                self.uniqueList(self.text)
            )
            guard let values else { return nil }
            guard !values.isEmpty else {
                self.report(
                    .invalidValue,
                    "\(table.field("values")) is empty; list the allowed values",
                    at: table.entries["values"]?.value
                )
                return nil
            }
            return .enumeration(values: values.map(\.0))
        case .integer:
            let minimum = self.optionalSetting(table, "min", self.integer)
            let maximum = self.optionalSetting(table, "max", self.integer)
            guard let minimum, let maximum else { return nil }
            if let minimum, let maximum, minimum > maximum {
                self.report(
                    .invalidValue,
                    "\(table.field("min")) is \(minimum), above its 'max' \(maximum); swap or correct them",
                    at: table.entries["min"]?.value
                )
                return nil
            }
            return .integer(minimum: minimum, maximum: maximum)
        }
    }

    private func categoryReference(_ table: Table) -> String? {
        guard let category = self.required(table, "category", self.name) else { return nil }
        let isKnown = self.check(
            category,
            at: table.entries["category"]!.value,
            isOneOf: self.declared["data category"],
            what: "data category",
            in: table.context,
            declareHint: "declare it under 'schema: categories' or correct the name"
        )
        return isKnown ? category : nil
    }

    private func eventTypes(_ node: Node, _ field: String) -> [Policy.EventType]? {
        let keys = ["name", "category", "amount", "items"]
        guard let entries = self.namedEntries(node, field, entity: "event type", keys: keys) else { return nil }
        let events = entries.compactMap { name, table -> Policy.EventType? in
            let category = self.categoryReference(table)
            let amount = self.optional(table, "amount", default: false, self.bool)
            let items = self.optional(table, "items", default: false, self.bool)
            guard let category, let amount, let items else { return nil }
            return Policy.EventType(name: name, category: category, allowsAmount: amount, allowsItems: items)
        }
        return events.count == entries.count ? events : nil
    }

    // MARK: - Identifiers

    private func identifiers(_ node: Node, _ field: String, attributes: [Policy.Attribute]?) -> Policy.Identifiers? {
        let keys = ["default_region", "region_attribute", "email_profiles", "phone_forms"]
        guard let table = self.table(node, field, keys: keys) else { return nil }
        let region = self.required(
            table,
            "default_region",
            hint: " (an ISO 3166-1 alpha-2 code such as DE)",
            self.region
        )
        let regionAttribute = self.optionalSetting(table, "region_attribute") {
            self.regionAttribute($0, $1, attributes: attributes, context: table.context)
        }
        let profiles = self.optional(
            table,
            "email_profiles",
            default: Policy.Identifiers.defaultEmailProfiles,
            self.nonEmptySet(self.choice(EmailProfile.self))
        )
        let forms = self.optional(
            table,
            "phone_forms",
            default: Policy.Identifiers.defaultPhoneForms,
            self.nonEmptySet(self.choice(PhoneForm.self))
        )
        guard let region, let regionAttribute, let profiles, let forms else { return nil }
        return Policy.Identifiers(
            defaultRegion: region,
            regionAttribute: regionAttribute,
            emailProfiles: profiles,
            phoneForms: forms
        )
    }

    private func nonEmptySet<T: Hashable>(_ read: @escaping (Node, String) -> T?) -> (Node, String) -> Set<T>? {
        { node, field in
            guard let values = self.uniqueList(read)(node, field) else { return nil }
            guard !values.isEmpty else {
                self.report(.invalidValue, "\(field) is empty; list at least one, or leave it out for all", at: node)
                return nil
            }
            return Set(values.map(\.0))
        }
    }

    private func region(_ node: Node, _ field: String) -> String? {
        guard let text = self.text(node, field) else { return nil }
        guard Self.isSupportedRegion(text) else {
            self.report(.invalidValue, Self.regionProblem(text, in: field), at: node)
            return nil
        }
        return text
    }

    private static func isSupportedRegion(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 2, bytes.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else {
            return false
        }
        return CPhoneNumber_isSupportedRegion(text) == 1
    }

    private static func regionProblem(_ text: String, in field: String) -> String {
        "\(field) '\(text)' is not an ISO 3166-1 alpha-2 region known to libphonenumber; use two capital "
            + "letters such as DE, FR, GB or US"
    }

    private func regionAttribute(
        _ node: Node,
        _ field: String,
        attributes: [Policy.Attribute]?,
        context: String
    ) -> String? {
        guard let name = self.name(node, field) else { return nil }
        let isKnown = self.check(
            name,
            at: node,
            isOneOf: self.declared["attribute"],
            what: "attribute",
            in: context,
            declareHint: "declare it under 'schema: attributes' or correct the name"
        )
        guard isKnown else { return nil }
        // When the attribute's own entry failed, that is reported already.
        guard let attribute = attributes?.first(where: { $0.name == name }) else { return name }
        switch attribute.valueType {
        case .string:
            return name
        case .enumeration(let values):
            if let bad = values.first(where: { !Self.isSupportedRegion($0) }) {
                self.report(.invalidValue, Self.regionProblem(bad, in: "a value of attribute '\(name)'"), at: node)
                return nil
            }
            return name
        case .integer, .boolean:
            self.report(
                .invalidValue,
                "\(field) names attribute '\(name)' of type \(attribute.valueType.name); a region attribute must be "
                    + "of type enum or string",
                at: node
            )
            return nil
        }
    }

    // MARK: - Principals

    private func principals(_ node: Node, _ field: String) -> [Policy.Principal]? {
        let keys = ["name", "role", "partner", "purposes", "dimensions", "metrics", "segments"]
        guard let entries = self.namedEntries(node, field, entity: "principal", keys: keys) else { return nil }
        let principals = entries.compactMap { name, table -> Policy.Principal? in
            self.principal(name, table)
        }
        return principals.count == entries.count ? principals : nil
    }

    private func principal(_ name: String, _ table: Table) -> Policy.Principal? {
        let role = self.required(
            table,
            "role",
            hint: " (owner, partner, auditor or admin)",
            self.choice(Policy.Role.self)
        )
        let partner = self.optionalSetting(table, "partner", self.text)
        let purposes = self.optional(
            table,
            "purposes",
            default: [],
            self.references(
                to: "purpose",
                as: "purpose",
                in: table.context,
                declareHint: "declare it under 'purposes' or correct the name"
            )
        )
        let dimensions = self.optional(
            table,
            "dimensions",
            default: [],
            self.references(
                to: "attribute",
                as: "dimension",
                in: table.context,
                declareHint: "dimensions are attributes; declare it under 'schema: attributes' or correct the name"
            )
        )
        let metrics = self.optional(table, "metrics", default: [], self.uniqueList(self.choice(Policy.Metric.self)))
        let segments = self.optional(table, "segments", default: [], self.uniqueList(self.name))
        guard let role, let partner else { return nil }
        guard self.checkRoleFields(role, partner: partner, table), let purposes, let dimensions, let metrics,
            let segments
        else { return nil }
        return Policy.Principal(
            name: name,
            role: role,
            partner: partner,
            purposes: Set(purposes.map(\.0)),
            dimensions: Set(dimensions.map(\.0)),
            metrics: Set(metrics.map(\.0)),
            segments: Set(segments.map(\.0))
        )
    }

    /// A partner names its organization; auditors and admins run no queries.
    private func checkRoleFields(_ role: Policy.Role, partner: String?, _ table: Table) -> Bool {
        switch role {
        case .partner:
            guard partner == nil else { return true }
            self.report(
                .missingKey,
                "\(table.context) has role partner but no 'partner'; add the partner organization's name",
                at: table.node
            )
            return false
        case .owner, .auditor, .admin:
            var valid = true
            if partner != nil, let entry = table.entries["partner"] {
                self.report(
                    .invalidValue,
                    "'partner' applies only to role partner, but \(table.context) has role \(role.rawValue); remove it",
                    at: entry.key
                )
                valid = false
            }
            guard role != .owner else { return valid }
            for key in ["purposes", "dimensions", "metrics", "segments"] {
                guard let entry = table.entries[key], !(entry.value.sequence?.isEmpty ?? true) else { continue }
                self.report(
                    .invalidValue,
                    "\(table.context) has role \(role.rawValue), which runs no queries; remove '\(key)'",
                    at: entry.key
                )
                valid = false
            }
            return valid
        }
    }

    // MARK: - Settings

    private var defaultPrivacy: Policy.Privacy {
        Policy.Privacy(k: Policy.Privacy.defaultK, contributionCap: nil, differencingGuardExemptions: [])
    }

    private func privacy(_ node: Node, _ field: String, principals: [Policy.Principal]?) -> Policy.Privacy? {
        let keys = ["k", "contribution_cap", "differencing_guard_exempt"]
        guard let table = self.table(node, field, keys: keys) else { return nil }
        let k = self.optional(table, "k", default: Policy.Privacy.defaultK, self.k)
        let cap = self.optionalSetting(table, "contribution_cap", self.positiveNumber)
        let exempt = self.optional(table, "differencing_guard_exempt", default: []) { node, field in
            self.differencingGuardExemptions(node, field, principals: principals, context: table.context)
        }
        guard let k, let cap, let exempt else { return nil }
        return Policy.Privacy(k: k, contributionCap: cap, differencingGuardExemptions: Set(exempt))
    }

    /// Declared principals of role owner.
    private func differencingGuardExemptions(
        _ node: Node,
        _ field: String,
        principals: [Policy.Principal]?,
        context: String
    ) -> [String]? {
        let read = self.references(
            to: "principal",
            as: "principal",
            in: context,
            declareHint: "declare it under 'principals' or correct the name"
        )
        guard let names = read(node, field) else { return nil }
        var valid = true
        // A principal whose own entry failed is reported already.
        for (name, node) in names {
            guard let principal = principals?.first(where: { $0.name == name }), principal.role != .owner else {
                continue
            }
            self.report(
                .invalidValue,
                "principal '\(name)' has role \(principal.role.rawValue); only owner principals may be exempt "
                    + "from the differencing guard",
                at: node
            )
            valid = false
        }
        return valid ? names.map(\.0) : nil
    }

    private func k(_ node: Node, _ field: String) -> Int? {
        guard let k = self.integer(node, field) else { return nil }
        guard k >= 2 else {
            self.report(
                .invalidValue,
                "\(field) is \(k); it must be at least 2, or single people could be seen (the default is "
                    + "\(Policy.Privacy.defaultK))",
                at: node
            )
            return nil
        }
        return k
    }

    private func positiveNumber(_ node: Node, _ field: String) -> Double? {
        guard let value = self.number(node, field) else { return nil }
        guard value > 0 else {
            self.report(.invalidValue, "\(field) is \(value); it must be above 0", at: node)
            return nil
        }
        return value
    }

    private func rights(_ node: Node, _ field: String) -> Policy.Rights? {
        guard let table = self.table(node, field, keys: ["deadline"]) else { return nil }
        let deadline = self.optional(table, "deadline", default: Policy.Rights.defaultDeadline) { node, field in
            guard let period = self.period(node, field) else { return nil }
            guard period.years == 0, period.months * 31 + period.days <= 31 else {
                self.report(
                    .invalidValue,
                    "\(field) is \(period); GDPR Art. 12(3) requires an answer within one month, so use at most "
                        + "P1M (an extension is decided per request)",
                    at: node
                )
                return nil
            }
            return period
        }
        guard let deadline else { return nil }
        return Policy.Rights(deadline: deadline)
    }

    private func audiences(_ node: Node, _ field: String) -> Policy.Audiences? {
        guard let table = self.table(node, field, keys: ["retention"]) else { return nil }
        let retention = self.optional(table, "retention", default: Policy.Audiences.defaultRetention, self.period)
        guard let retention else { return nil }
        return Policy.Audiences(retention: retention)
    }

    private func audit(_ node: Node, _ field: String) -> Policy.Audit? {
        guard let table = self.table(node, field, keys: ["checkpoint_every"]) else { return nil }
        let every = self.optional(
            table,
            "checkpoint_every",
            default: Policy.Audit.defaultCheckpointEvery,
            self.integer(atLeast: 1)
        )
        guard let every else { return nil }
        return Policy.Audit(checkpointEvery: every)
    }

    private var defaultLimits: Policy.Limits {
        Policy.Limits(
            requestBodyBytes: Policy.Limits.defaultRequestBodyBytes,
            rowsPerBatch: Policy.Limits.defaultRowsPerBatch,
            queriesPerMinute: Policy.Limits.defaultQueriesPerMinute,
            requestTimeoutSeconds: Policy.Limits.defaultRequestTimeoutSeconds
        )
    }

    private func limits(_ node: Node, _ field: String) -> Policy.Limits? {
        let keys = ["request_body_bytes", "rows_per_batch", "queries_per_minute", "request_timeout_seconds"]
        guard let table = self.table(node, field, keys: keys) else { return nil }
        let positive = self.integer(atLeast: 1)
        let body = self.optional(table, "request_body_bytes", default: Policy.Limits.defaultRequestBodyBytes, positive)
        let rows = self.optional(table, "rows_per_batch", default: Policy.Limits.defaultRowsPerBatch, positive)
        let queries = self.optional(
            table,
            "queries_per_minute",
            default: Policy.Limits.defaultQueriesPerMinute,
            positive
        )
        let timeout = self.optional(
            table,
            "request_timeout_seconds",
            default: Policy.Limits.defaultRequestTimeoutSeconds,
            positive
        )
        guard let body, let rows, let queries, let timeout else { return nil }
        return Policy.Limits(
            requestBodyBytes: body,
            rowsPerBatch: rows,
            queriesPerMinute: queries,
            requestTimeoutSeconds: timeout
        )
    }
}
