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
        var handedOver: [(SubjectID, IdentifierKind, String)] = []
        // Three identifiers per person, a new person every third, keys handed over as people appear.
        for index in 0..<count {
            let subject = SubjectID(Int64(index / 3 + 1))
            if keys[subject] == nil {
                keys[subject] = try DataKey.generate()
                sealing.wrap(keys[subject]!, of: subject)
            }
            let kind: IdentifierKind = [.email, .phone, .customerID][index % 3]
            let raw = "value-\(index)"
            sealing.seal(BatchSealing.NewIdentifier(
                subject: subject, dataKey: keys[subject]!, kind: kind, raw: raw, addedAt: Date(timeIntervalSince1970: 0),
                variants: try StoredIdentifier.EncodedVariants([.init(name: "", pseudonym: Pseudonym(bytes: [UInt8](repeating: 1, count: 32))!)])))
            handedOver.append((subject, kind, raw))
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
        for (identifier, (subject, kind, raw)) in zip(sealed, handedOver) {
            #expect(identifier.subject == subject && identifier.kind == kind)
            let bytes = identifier.sealed
            let opened = try keys[subject]!.open(bytes, context: IdentifierSealing.context(subject, kind))
            #expect(opened == Array(raw.utf8))
            #expect(throws: CryptoError.self) {
                try keys[subject]!.open(bytes, context: IdentifierSealing.context(SubjectID(subject.rawValue + 1000), kind))
            }
        }
    }
}
