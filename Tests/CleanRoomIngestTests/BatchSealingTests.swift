import CleanRoomCore
import CleanRoomCrypto
@testable import CleanRoomIngest
import CleanRoomStore
import Dispatch
import Foundation
import Testing

/// The sealing of a batch's new people and identifiers beside its commit gives every result, in the order handed
/// over, each bound to its subject and kind.
struct BatchSealingTests {
    @Test(arguments: [0, 1, BatchSealing.chunkSize - 1, BatchSealing.chunkSize, 2 * BatchSealing.chunkSize + 5])
    func everyKeyAndIdentifierComesBackSealedInOrder(identifiers count: Int) throws {
        let fixture = try IngestFixture()
        let sealing = BatchSealing(keyring: fixture.keyring, queue: DispatchQueue(label: "test.sealing"))
        var keys: [SubjectID: DataKey] = [:]
        var handedOver: [(SubjectID, IdentifierKind, String, Date)] = []
        let variants = try StoredIdentifier.EncodedVariants(
            [.init(name: "", pseudonym: Pseudonym(bytes: [UInt8](repeating: 1, count: 32))!)])
        // Rows of three identifiers. Every fourth row's second identifier is known already (not sealed); every third
        // row is a second row about the person before, whose key is handed over once.
        var row = 0
        var subject = SubjectID(0)
        while handedOver.count < count {
            if !row.isMultiple(of: 3) || row == 0 {
                subject = SubjectID(subject.rawValue + 1)
                keys[subject] = try DataKey.generate()
                sealing.wrap(keys[subject]!, of: subject)
            }
            let identifiers = ([.email, .phone, .customerID] as [IdentifierKind]).map { kind in
                ResolvedIdentifiers.Identifier(
                    kind: kind, raw: "\(kind)-\(row)", key: IdentityIndex.Key(a: UInt64(row), b: 0, c: 0, d: 0),
                    variants: variants)
            }
            var newPositions: UInt8 = row.isMultiple(of: 4) ? 0b101 : 0b111
            // The last row takes only as many as are left to hand over.
            while newPositions.nonzeroBitCount > count - handedOver.count { newPositions &= newPositions - 1 }
            let addedAt = Date(timeIntervalSince1970: TimeInterval(row))
            let handed = BatchSealing.NewIdentifiers(
                subject: subject, dataKey: keys[subject]!, addedAt: addedAt, identifiers: identifiers,
                newPositions: newPositions)
            sealing.seal(handed)
            for position in identifiers.indices where handed.isNew(position) {
                handedOver.append((subject, identifiers[position].kind, identifiers[position].raw, addedAt))
            }
            row += 1
        }
        let chunks = try sealing.finish()
        let wrapped = chunks.flatMap(\.wrapped)
        let sealed = chunks.flatMap(\.identifiers)
        #expect(wrapped.map(\.subject) == keys.keys.sorted())
        for stored in wrapped {
            let wrappedKey = try WrappedDataKey(serialized: stored.wrapped)
            #expect(wrappedKey.keyEncryptionKeyVersion == stored.kekVersion)
            #expect(try fixture.keyring.unwrap(wrappedKey, context: stored.subject.dataKeyContext) == keys[stored.subject])
        }
        #expect(sealed.count == handedOver.count)
        for (identifier, (subject, kind, raw, addedAt)) in zip(sealed, handedOver) {
            #expect(identifier.subject == subject && identifier.kind == kind)
            #expect(identifier.addedAt == addedAt && identifier.variants == variants)
            let bytes = identifier.sealed
            let opened = try keys[subject]!.open(bytes, context: IdentifierSealing.context(subject, kind))
            #expect(opened == Array(raw.utf8))
            #expect(throws: CryptoError.self) {
                try keys[subject]!.open(bytes, context: IdentifierSealing.context(SubjectID(subject.rawValue + 1000), kind))
            }
        }
    }
}
