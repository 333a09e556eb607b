import CleanRoomCore
import CleanRoomCrypto
import CleanRoomStore
import Dispatch
import Foundation
import Synchronization

/// The AES-256-GCM work of one batch, done on a thread of its own while the committing thread writes the batch's
/// other rows: the wrapping of each new person's data key and the sealing of each new identifier. On the
/// committing thread it was a tenth of its time, which bounds a customers ingest.
///
/// The committing thread hands over the work as it meets it (``wrap(_:of:)``, ``seal(_:)``); every
/// ``chunkSize`` identifiers go to the sealing queue as one chunk. ``finish()`` waits for the last chunk and gives
/// the results in the order the work was handed over, so the rows written from them keep that order.
final class BatchSealing {
    /// A new person's data key, to be wrapped under the key-encryption key.
    struct NewKey: Sendable {
        let subject: SubjectID
        let dataKey: DataKey
    }

    /// A new identifier, to be sealed under its subject's data key.
    struct NewIdentifier: Sendable {
        let subject: SubjectID
        let dataKey: DataKey
        let kind: IdentifierKind
        let raw: String
        let addedAt: Date
        let variants: StoredIdentifier.EncodedVariants
    }

    /// What the sealing queue made of a chunk, in the order of its work.
    struct Sealed: Sendable {
        var keys: [(NewKey, WrappedDataKey)] = []
        var identifiers: [(NewIdentifier, [UInt8])] = []
    }

    /// Identifiers per chunk: enough that handing a chunk over costs nothing beside its work, few enough that
    /// the queue starts early in the batch.
    static let chunkSize = 1024

    private let keyring: Keyring
    private let queue: DispatchQueue
    private var pending = (keys: [NewKey](), identifiers: [NewIdentifier]())
    private var chunksHandedOver = 0
    private let done = Done()

    /// The chunks sealed so far, by their number, and the first error met: written by the sealing queue.
    private final class Done: Sendable {
        let state = Mutex<(chunks: [Int: Sealed], error: (any Error)?)>(([:], nil))
    }

    init(keyring: Keyring, queue: DispatchQueue) {
        self.keyring = keyring
        self.queue = queue
    }

    /// Hands over the wrapping of a new person's data key.
    func wrap(_ dataKey: DataKey, of subject: SubjectID) {
        self.pending.keys.append(NewKey(subject: subject, dataKey: dataKey))
    }

    /// Hands over the sealing of a new identifier.
    func seal(_ identifier: NewIdentifier) {
        self.pending.identifiers.append(identifier)
        if self.pending.identifiers.count >= Self.chunkSize {
            self.handOver()
        }
    }

    /// Waits for every chunk and returns them sealed, in the order handed over.
    ///
    /// - Throws: the first error of the sealing (OpenSSL), after every chunk has finished.
    func finish() throws -> [Sealed] {
        self.handOver()
        self.queue.sync {}
        let (chunks, error) = self.done.state.withLock { ($0.chunks, $0.error) }
        if let error { throw error }
        return (0..<self.chunksHandedOver).map { chunks[$0] ?? Sealed() }
    }

    private func handOver() {
        guard !self.pending.keys.isEmpty || !self.pending.identifiers.isEmpty else { return }
        let (keys, identifiers) = self.pending
        self.pending = ([], [])
        let number = self.chunksHandedOver
        self.chunksHandedOver += 1
        let (keyring, done) = (self.keyring, self.done)
        self.queue.async {
            do {
                let sealed = try Self.seal(keys: keys, identifiers: identifiers, keyring: keyring)
                done.state.withLock { $0.chunks[number] = sealed }
            } catch {
                done.state.withLock { if $0.error == nil { $0.error = error } }
            }
        }
    }

    private static func seal(keys: [NewKey], identifiers: [NewIdentifier], keyring: Keyring) throws -> Sealed {
        var sealed = Sealed()
        sealed.keys.reserveCapacity(keys.count)
        sealed.identifiers.reserveCapacity(identifiers.count)
        if !keys.isEmpty {
            let wrapper = try keyring.wrapper()
            for key in keys {
                sealed.keys.append((key, try wrapper.wrap(key.dataKey, context: key.subject.dataKeyContext)))
            }
        }
        // A person's identifiers follow one another: their data key is expanded once for all of them.
        var sealer: (subject: SubjectID, sealer: DataKey.Sealer)?
        for identifier in identifiers {
            if sealer?.subject != identifier.subject {
                sealer = (identifier.subject, try identifier.dataKey.sealer())
            }
            let bytes = try sealer!.sealer.seal(
                Array(identifier.raw.utf8), context: IdentifierSealing.context(identifier.subject, identifier.kind))
            sealed.identifiers.append((identifier, bytes))
        }
        return sealed
    }
}
