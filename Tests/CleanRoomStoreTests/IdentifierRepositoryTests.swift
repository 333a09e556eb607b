import CleanRoomCore
import CleanRoomStore
import Foundation
import Testing

struct IdentifierRepositoryTests {
    @Test func pseudonymsStreamInArrivalOrderWithKindVariantAndSubject() throws {
        let store = try Store.inMemory()
        let emailProfiles = ["basic", "gmail_dots", "google", "uid2"]
        let (first, second) = try store.write { tx throws in
            let first = try tx.subjects.create(at: Fixture.time(0))
            let second = try tx.subjects.create(at: Fixture.time(0))
            try tx.identifiers.add(Fixture.identifier(of: first, kind: .email, seed: 100, variants: emailProfiles))
            try tx.identifiers.add(Fixture.identifier(of: second, kind: .deviceID, seed: 200))
            try tx.identifiers.add(
                Fixture.identifier(of: first, kind: .phone, seed: 300, variants: ["digits", "e164"])
            )
            return (first, second)
        }

        var loaded: [StoredPseudonym] = []
        try store.read { tx in try tx.identifiers.forEachPseudonym { loaded.append($0) } }

        func entry(_ seed: Int, _ kind: IdentifierKind, _ variant: String, _ subject: SubjectID) -> StoredPseudonym {
            StoredPseudonym(pseudonym: Fixture.pseudonym(seed), kind: kind, variant: variant, subject: subject)
        }
        let expected =
            emailProfiles.enumerated().map { offset, profile in entry(100 + offset, .email, profile, first) }
            + [entry(200, .deviceID, "", second)]
            + [entry(300, .phone, "digits", first), entry(301, .phone, "e164", first)]
        #expect(loaded == expected)
    }

    @Test func oneVariantPerKindStreamsAsTheVariantsOfTheFullStream() throws {
        let store = try Store.inMemory()
        let wanted: [IdentifierKind: String] = [.email: "google", .phone: "e164", .deviceID: "", .customerID: "x"]
        try store.write { tx throws in
            let first = try tx.subjects.create(at: Fixture.time(0))
            let second = try tx.subjects.create(at: Fixture.time(0))
            try tx.identifiers.add(Fixture.identifier(of: first, kind: .email, seed: 100, variants: ["basic", "google", "uid2"]))
            try tx.identifiers.add(Fixture.identifier(of: second, kind: .deviceID, seed: 200))
            try tx.identifiers.add(Fixture.identifier(of: first, kind: .phone, seed: 300, variants: ["digits", "e164"]))
            // A customer id without the wanted variant, and an e-mail whose variant names only contain it.
            try tx.identifiers.add(Fixture.identifier(of: second, kind: .customerID, seed: 400, variants: ["y"]))
            try tx.identifiers.add(Fixture.identifier(of: second, kind: .email, seed: 500, variants: ["googles", "xgoogle"]))
        }
        var all: [StoredPseudonym] = []
        var selected: [StoredPseudonym] = []
        try store.read { tx in
            try tx.identifiers.forEachPseudonym { all.append($0) }
            try tx.identifiers.forEachPseudonym(ofVariant: { wanted[$0]! }) { subject, kind, bytes in
                selected.append(StoredPseudonym(
                    pseudonym: Pseudonym(bytes: Array(bytes))!, kind: kind, variant: wanted[kind]!, subject: subject))
            }
        }
        #expect(selected == all.filter { $0.variant == wanted[$0.kind] })
        #expect(selected.map(\.pseudonym) == [Fixture.pseudonym(101), Fixture.pseudonym(200), Fixture.pseudonym(301)])
    }

    @Test func variantsEncodedBeforehandAreStoredAsTheRecordsOwn() throws {
        let store = try Store.inMemory()
        let subject = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }
        let identifier = Fixture.identifier(of: subject, kind: .email, seed: 1, variants: ["uid2", "basic", "google"])
        let encoded = try StoredIdentifier.EncodedVariants(identifier.variants)
        #expect(encoded.names == "basic,google,uid2")
        #expect(encoded.pseudonyms == Fixture.pseudonym(2).bytes + Fixture.pseudonym(3).bytes + Fixture.pseudonym(1).bytes)
        try store.write { tx throws in
            try tx.identifiers.add(
                subject: subject, kind: identifier.kind, sealed: identifier.sealed, addedAt: identifier.addedAt,
                variants: encoded)
        }
        let stored = try store.read { tx in try tx.identifiers.identifiers(of: subject) }
        #expect(stored.map { Set($0.variants) } == [Set(identifier.variants)])
        #expect(stored.map(\.sealed) == [identifier.sealed])
    }

    @Test func aSubjectsIdentifiersComeBackSealedOnceWithTheirVariants() throws {
        let store = try Store.inMemory()
        let subject = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }
        let email = Fixture.identifier(
            of: subject, kind: .email, seed: 1, variants: ["basic", "google"], at: Fixture.time(5)
        )
        let customer = Fixture.identifier(of: subject, kind: .customerID, seed: 9, at: Fixture.time(6))
        try store.write { tx throws in
            try tx.identifiers.add(email)
            try tx.identifiers.add(customer)
        }
        try store.read { tx throws in
            #expect(try tx.identifiers.identifiers(of: subject) == [email, customer])
            #expect(try tx.identifiers.pseudonyms(of: subject).map(\.pseudonym) == [
                Fixture.pseudonym(1), Fixture.pseudonym(2), Fixture.pseudonym(9),
            ])
        }
    }

    @Test func anIdentifierNeedsDistinctVariants() throws {
        let store = try Store.inMemory()
        let subject = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }
        var empty = Fixture.identifier(of: subject, kind: .email, seed: 1)
        empty.variants = []
        let twice = Fixture.identifier(of: subject, kind: .email, seed: 1, variants: ["basic", "basic"])
        for identifier in [empty, twice] {
            let error = try #require(throws: StoreError.self) {
                try store.write { tx in try tx.identifiers.add(identifier) }
            }
            #expect(error.code == .invalidArgument)
        }
    }

    @Test func anIdentifierOfAnUnknownSubjectIsRefused() throws {
        let store = try Store.inMemory()
        let error = try #require(throws: StoreError.self) {
            try store.write { tx in
                try tx.identifiers.add(Fixture.identifier(of: SubjectID(42), kind: .phone, seed: 1))
            }
        }
        #expect(error.code == .constraint)
    }

    /// Identifiers added together are written up to 32 per statement and come back as each added alone would.
    @Test func identifiersAddedTogetherComeBackInOrderAcrossStatements() throws {
        let store = try Store.inMemory()
        let subjects = try store.write { tx in try (0..<4).map { _ in try tx.subjects.create(at: Fixture.time(0)) } }
        let identifiers = try (0..<33).map { number in
            let identifier = Fixture.identifier(
                of: subjects[number % 4], kind: IdentifierKind.allCases[number % 4], seed: 1_000 + 10 * number,
                variants: number.isMultiple(of: 3) ? ["a", "b"] : [""], at: Fixture.time(number))
            return (identifier, try StoredIdentifier.EncodedVariants(identifier.variants))
        }
        try store.write { tx in
            try tx.identifiers.add(contentsOf: identifiers.map { identifier, variants in
                IdentifierRepository.Addition(
                    subject: identifier.subject, kind: identifier.kind, sealed: identifier.sealed,
                    addedAt: identifier.addedAt, variants: variants)
            })
        }

        try store.read { tx throws in
            #expect(try tx.identifiers.count() == 33)
            for subject in subjects {
                #expect(try tx.identifiers.identifiers(of: subject) == identifiers.map(\.0).filter { $0.subject == subject })
            }
        }
    }
}
