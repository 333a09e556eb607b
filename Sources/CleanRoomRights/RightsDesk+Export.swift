import CleanRoomCore
import CleanRoomCrypto
import CleanRoomIngest
import CleanRoomStore
import Foundation

extension RightsDesk {
    /// The export of an access or portability request: everything the store holds about `subject`, as JSON.
    func export(_ subject: SubjectID, at time: Date, in transaction: StoreTransaction) throws -> CanonicalJSON {
        guard let stored = try transaction.dataKeys.key(for: subject) else {
            throw StoreError(
                code: .corrupt, message: "the database holds a person without a data key; restore it from a backup")
        }
        let key = try self.keyring.unwrap(
            WrappedDataKey(serialized: stored.wrapped), context: subject.dataKeyContext)
        let identifiers = try transaction.identifiers.identifiers(of: subject).map { identifier in
            let value = try key.open(identifier.sealed, context: IdentifierSealing.context(subject, identifier.kind))
            return CanonicalJSON.object([
                "kind": .string(identifier.kind.rawValue), "value": .string(String(decoding: value, as: UTF8.self)),
                "added_at": Self.time(identifier.addedAt),
            ])
        }
        let attributes = try transaction.attributes.attributes(of: subject).map { attribute in
            CanonicalJSON.object([
                "name": .string(attribute.name), "value": .string(attribute.value),
                "updated_at": Self.time(attribute.updatedAt),
            ])
        }
        let events = try transaction.events.events(of: subject).map { event in
            CanonicalJSON.object([
                "type": .string(event.type), "at": Self.time(event.occurredAt),
                "amount": event.amount.map(CanonicalJSON.number) ?? .null,
                "currency": event.currency.map(CanonicalJSON.string) ?? .null,
                "items": .array(event.items.map(CanonicalJSON.string)),
            ])
        }
        let history = try transaction.consent.history(of: subject)
        let consent = history.map { entry in
            CanonicalJSON.object([
                "signal": .string(entry.purpose), "choice": .string(entry.signal.rawValue),
                "given_at": Self.time(entry.occurredAt), "recorded_at": Self.time(entry.recordedAt),
                "source": entry.source.map(CanonicalJSON.string) ?? .null,
            ])
        }
        let requests = try transaction.rightsRequests.all().filter { $0.subject == subject }.map { request in
            CanonicalJSON.object([
                "number": .integer(Int(request.id.rawValue)), "kind": .string(request.kind.rawValue),
                "received_at": Self.time(request.receivedAt), "deadline": Self.time(request.deadline),
                "completed_at": request.completedAt.map(Self.time) ?? .null,
                "outcome": request.outcome.map(CanonicalJSON.string) ?? .null,
            ])
        }
        return .object([
            "exported_at": Self.time(time),
            "controller": .string(self.policy.controller.name),
            "processing": self.processing(sources: Set(history.compactMap(\.source))),
            "identifiers": .array(identifiers),
            "attributes": .array(attributes),
            "events": .array(events),
            "consent_history": .array(consent),
            "purposes_now": .array(
                self.binding.purposes(allowedAt: time, ledger: history).map(CanonicalJSON.string)),
            "rights_requests": .array(requests),
            "computations": .array(
                try transaction.cohortReleases.auditSequences(including: subject).map(CanonicalJSON.integer)),
        ])
    }

    /// What Art. 15(1)(a)–(h) asks besides the data: the purposes and their lawful basis, the recipients, how
    /// long each category is kept, where the data came from, and the person's rights.
    private func processing(sources: Set<String>) -> CanonicalJSON {
        let schema = self.policy.schema
        return .object([
            "controller_contact": self.policy.controller.contact.map(CanonicalJSON.string) ?? .null,
            "purposes": .array(self.policy.purposes.map { purpose in
                .object([
                    "name": .string(purpose.name), "description": .string(purpose.description),
                    "lawful_basis": .string(purpose.lawfulBasis.rawValue),
                    "direct_marketing": .bool(purpose.isDirectMarketing),
                ])
            }),
            "recipients": .array(
                Set(self.policy.principals.compactMap(\.partner)).sorted().map(CanonicalJSON.string)),
            "recipients_receive": .string("aggregates over at least \(self.policy.privacy.k) people, never a person's data"),
            "retention": .array(schema.categories.map { category in
                .object([
                    "category": .string(category.name), "kept_for": .string(category.retention.description),
                    "attributes": .array(schema.attributes.filter { $0.category == category.name }.map { .string($0.name) }),
                    "event_types": .array(schema.eventTypes.filter { $0.category == category.name }.map { .string($0.name) }),
                ])
            }),
            "sources": .array(sources.sorted().map(CanonicalJSON.string)),
            "rights": .string(
                "withdraw consent, object, access, rectification, erasure, restriction, portability; complain to a "
                    + "supervisory authority"),
        ])
    }

    private static func time(_ date: Date) -> CanonicalJSON {
        .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}
