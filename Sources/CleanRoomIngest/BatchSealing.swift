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
/// The committing thread hands over the work as it meets it (``wrap(_:of:)``, ``seal(_:)``); once ``chunkSize``
/// identifiers are pending (a row's identifiers stay together), they go to the sealing queue as one chunk.
/// ``finish()`` waits for the last chunk and gives the results in the order the work was handed over, as the rows
/// the store writes, so they keep that order. The work handed over is freed on the queue: the committing thread
/// gets back only the rows.
final class BatchSealing {
    /// A new person's data key, to be wrapped under the key-encryption key.
    struct NewKey: Sendable {
        let subject: SubjectID
        let dataKey: DataKey
    }

    /// The new identifiers of one row, to be sealed under their subject's data key: the row's resolved
    /// identifiers as they are, with the positions of the new ones. Handed over whole, the committing thread
    /// retains one array per row rather than each identifier's strings and arrays, which the preparing threads
    /// made and which are not in its cache.
    struct NewIdentifiers: Sendable {
        /// The person the identifiers belong to.
        let subject: SubjectID
        /// The person's data key, which seals them.
        let dataKey: DataKey
        /// When the row's values count from.
        let addedAt: Date
        /// The row's identifiers, new and known.
        let identifiers: [ResolvedIdentifiers.Identifier]
        /// Which of `identifiers` to seal: bit `i` for position `i` (a row has one identifier of each kind at most,
        /// four in all).
        let newPositions: UInt8

        /// Whether the identifier at `position` is one to seal.
        func isNew(_ position: Int) -> Bool { self.newPositions & (1 << position) != 0 }
    }

    /// What the sealing queue made of a chunk of work, in the order it was handed over.
    struct Chunk: Sendable {
        /// Each key handed over with the chunk, wrapped, as the store keeps it.
        fileprivate(set) var wrapped: [StoredDataKey] = []
        /// Each identifier handed over with the chunk, sealed, as the store adds it.
        fileprivate(set) var identifiers: [IdentifierRepository.Addition] = []
    }

    /// Identifiers per chunk: enough that handing a chunk over costs nothing beside its work, few enough that
    /// the queue starts early in the batch.
    static let chunkSize = 1024

    private let keyring: Keyring
    private let queue: DispatchQueue
    private var pending = (keys: [NewKey](), identifiers: [NewIdentifiers](), identifierCount: 0)
    private var chunksHandedOver = 0
    private let done = Done()

    /// The chunks sealed so far, by their number, and the first error met: written by the queue.
    private final class Done: Sendable {
        let state = Mutex<(chunks: [Int: Chunk], error: (any Error)?)>(([:], nil))
    }

    init(keyring: Keyring, queue: DispatchQueue) {
        self.keyring = keyring
        self.queue = queue
    }

    /// Hands over the wrapping of a new person's data key.
    func wrap(_ dataKey: DataKey, of subject: SubjectID) {
        self.pending.keys.append(NewKey(subject: subject, dataKey: dataKey))
    }

    /// Hands over the sealing of a row's new identifiers.
    func seal(_ identifiers: NewIdentifiers) {
        self.pending.identifierCount += identifiers.newPositions.nonzeroBitCount
        self.pending.identifiers.append(identifiers)
        if self.pending.identifierCount >= Self.chunkSize {
            self.handOver()
        }
    }

    /// Waits for every chunk and returns them sealed, in the order handed over.
    ///
    /// - Throws: the first error of the sealing (OpenSSL), after every chunk has finished.
    func finish() throws -> [Chunk] {
        self.handOver()
        self.queue.sync {}
        let (chunks, error) = self.done.state.withLock { state in
            defer { state.chunks = [:] }
            return (state.chunks, state.error)
        }
        if let error { throw error }
        let count = self.chunksHandedOver
        self.chunksHandedOver = 0
        return (0..<count).map { number in
            guard let chunk = chunks[number] else { preconditionFailure("every chunk handed over is sealed or fails") }
            return chunk
        }
    }

    private func handOver() {
        guard !self.pending.keys.isEmpty || !self.pending.identifiers.isEmpty else { return }
        let (keys, identifiers, _) = self.pending
        self.pending = ([], [], 0)
        let number = self.chunksHandedOver
        self.chunksHandedOver += 1
        let (keyring, done) = (self.keyring, self.done)
        self.queue.async {
            do {
                let chunk = try Self.seal(keys: keys, identifiers: identifiers, keyring: keyring)
                done.state.withLock { $0.chunks[number] = chunk }
            } catch {
                done.state.withLock { if $0.error == nil { $0.error = error } }
            }
        }
    }

    private static func seal(keys: [NewKey], identifiers rows: [NewIdentifiers], keyring: Keyring) throws -> Chunk {
        var chunk = Chunk()
        if !keys.isEmpty {
            let wrapper = try keyring.wrapper()
            chunk.wrapped.reserveCapacity(keys.count)
            for index in keys.indices {
                let subject = keys[index].subject
                let wrapped = try wrapper.wrap(keys[index].dataKey, context: subject.dataKeyContext)
                chunk.wrapped.append(StoredDataKey(
                    subject: subject, kekVersion: wrapped.keyEncryptionKeyVersion, wrapped: wrapped.serialized))
            }
        }
        // By index, reading each item in place; a person's identifiers follow one another, and their data key is
        // expanded once for all of them.
        chunk.identifiers.reserveCapacity(rows.reduce(0) { $0 + $1.newPositions.nonzeroBitCount })
        var sealer: (subject: SubjectID, sealer: DataKey.Sealer)?
        for row in rows.indices {
            let subject = rows[row].subject
            if sealer?.subject != subject {
                sealer = (subject, try rows[row].dataKey.sealer())
            }
            for position in rows[row].identifiers.indices where rows[row].isNew(position) {
                let kind = rows[row].identifiers[position].kind
                guard let variants = rows[row].identifiers[position].variants else {
                    preconditionFailure("a customer's identifier unprepared")
                }
                let sealed = try sealer!.sealer.seal(
                    Array(rows[row].identifiers[position].raw.utf8), context: IdentifierSealing.context(subject, kind))
                chunk.identifiers.append(IdentifierRepository.Addition(
                    subject: subject, kind: kind, sealed: sealed, addedAt: rows[row].addedAt, variants: variants))
            }
        }
        return chunk
    }
}
