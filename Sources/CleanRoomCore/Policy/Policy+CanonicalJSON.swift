// The canonical form of a policy mirrors the policy file: the same keys, every default written out, optional
// settings left out when unset, sets sorted. Loading it as a policy file gives the same policy back.

extension Policy {
    /// The canonical JSON text of this policy's settings (see ``canonicalJSON``).
    func makeCanonicalJSON() -> String {
        CanonicalJSON.object([
            "version": .integer(self.version),
            "controller": self.controller.canonicalValue,
            "purposes": .array(self.purposes.map(\.canonicalValue)),
            "schema": self.schema.canonicalValue,
            "identifiers": self.identifiers.canonicalValue,
            "privacy": self.privacy.canonicalValue,
            "principals": .array(self.principals.map(\.canonicalValue)),
            "rights": .object(["deadline": .string(self.rights.deadline.description)]),
            "audiences": .object(["retention": .string(self.audiences.retention.description)]),
            "audit": .object(["checkpoint_every": .integer(self.audit.checkpointEvery)]),
            "limits": self.limits.canonicalValue,
        ]).text
    }
}

extension CanonicalJSON {
    /// A JSON array of the sorted strings of a set.
    static func sorted(_ strings: some Sequence<String>) -> CanonicalJSON {
        .array(strings.sorted().map(CanonicalJSON.string))
    }

    /// A JSON object of the members whose value is not `nil`.
    static func object(dropping members: [String: CanonicalJSON?]) -> CanonicalJSON {
        .object(members.compactMapValues { $0 })
    }
}

extension Policy.Controller {
    var canonicalValue: CanonicalJSON {
        .object(dropping: ["name": .string(self.name), "contact": self.contact.map(CanonicalJSON.string)])
    }
}

extension Policy.Purpose {
    var canonicalValue: CanonicalJSON {
        .object([
            "name": .string(self.name),
            "description": .string(self.description),
            "lawful_basis": .string(self.lawfulBasis.rawValue),
            "consent_signal": .string(self.consentSignal),
            "direct_marketing": .bool(self.isDirectMarketing),
            "tcf_purposes": .array(self.tcfPurposes.sorted().map(CanonicalJSON.integer)),
        ])
    }
}

extension Policy.Schema {
    var canonicalValue: CanonicalJSON {
        .object([
            "categories": .array(self.categories.map(\.canonicalValue)),
            "attributes": .array(self.attributes.map(\.canonicalValue)),
            "events": .array(self.eventTypes.map(\.canonicalValue)),
        ])
    }
}

extension Policy.DataCategory {
    var canonicalValue: CanonicalJSON {
        .object(dropping: [
            "name": .string(self.name),
            "description": self.description.map(CanonicalJSON.string),
            "retention": .string(self.retention.description),
        ])
    }
}

extension Policy.Attribute {
    var canonicalValue: CanonicalJSON {
        var members: [String: CanonicalJSON?] = [
            "name": .string(self.name),
            "type": .string(self.valueType.name),
            "quasi_identifier": .bool(self.isQuasiIdentifier),
            "category": .string(self.category),
        ]
        switch self.valueType {
        case .enumeration(let values):
            members["values"] = .array(values.map(CanonicalJSON.string))
        case .integer(let minimum, let maximum):
            members["min"] = minimum.map(CanonicalJSON.integer)
            members["max"] = maximum.map(CanonicalJSON.integer)
        case .string, .boolean:
            break
        }
        return .object(dropping: members)
    }
}

extension Policy.EventType {
    var canonicalValue: CanonicalJSON {
        .object([
            "name": .string(self.name),
            "category": .string(self.category),
            "amount": .bool(self.allowsAmount),
            "items": .bool(self.allowsItems),
        ])
    }
}

extension Policy.Identifiers {
    var canonicalValue: CanonicalJSON {
        .object(dropping: [
            "default_region": .string(self.defaultRegion),
            "region_attribute": self.regionAttribute.map(CanonicalJSON.string),
            "email_profiles": .sorted(self.emailProfiles.map(\.rawValue)),
            "phone_forms": .sorted(self.phoneForms.map(\.rawValue)),
        ])
    }
}

extension Policy.Privacy {
    var canonicalValue: CanonicalJSON {
        .object(dropping: [
            "k": .integer(self.k),
            "contribution_cap": self.contributionCap.map(CanonicalJSON.number),
            "differencing_guard_exempt": .sorted(self.differencingGuardExemptions),
        ])
    }
}

extension Policy.Principal {
    var canonicalValue: CanonicalJSON {
        .object(dropping: [
            "name": .string(self.name),
            "role": .string(self.role.rawValue),
            "partner": self.partner.map(CanonicalJSON.string),
            "purposes": .sorted(self.purposes),
            "dimensions": .sorted(self.dimensions),
            "metrics": .sorted(self.metrics.map(\.rawValue)),
            "segments": .sorted(self.segments),
        ])
    }
}

extension Policy.Limits {
    var canonicalValue: CanonicalJSON {
        .object([
            "request_body_bytes": .integer(self.requestBodyBytes),
            "rows_per_batch": .integer(self.rowsPerBatch),
            "queries_per_minute": .integer(self.queriesPerMinute),
            "request_timeout_seconds": .integer(self.requestTimeoutSeconds),
        ])
    }
}
