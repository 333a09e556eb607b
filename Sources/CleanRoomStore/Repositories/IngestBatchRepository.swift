internal import GRDB

/// Committed ingest batches. Record a batch in the same transaction as its rows: then a batch id found
/// here means every row of the batch is stored, and a replay can be skipped.
public struct IngestBatchRepository {
    let db: Database

    /// Records a committed batch.
    ///
    /// - Throws: ``StoreError`` `constraint` when a batch with the same id was already recorded.
    public func record(_ batch: StoredIngestBatch) throws {
        try performing("record an ingest batch") {
            try self.db.cachedStatement(
                sql: """
                    INSERT INTO ingest_batches (
                        batch_id, digest, source, started_at, committed_at,
                        accepted, rejected, suppressed, duplicates, subjects_created, subjects_updated, rejects
                    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                batch.id, batch.digest.blob, batch.source,
                batch.startedAt.storedMilliseconds, batch.committedAt.storedMilliseconds,
                batch.counts.accepted, batch.counts.rejected, batch.counts.suppressed, batch.counts.duplicates,
                batch.counts.subjectsCreated, batch.counts.subjectsUpdated, batch.rejects.blob,
            ])
        }
    }

    /// The batch recorded under `id`, or `nil` when none was.
    public func find(id: String) throws -> StoredIngestBatch? {
        try performing("look up an ingest batch") {
            guard
                let row = try Row.fetchOne(
                    self.db.cachedStatement(
                        sql: """
                            SELECT batch_id, digest, source, started_at, committed_at,
                                accepted, rejected, suppressed, duplicates, subjects_created, subjects_updated, rejects
                            FROM ingest_batches WHERE batch_id = ?
                            """
                    ),
                    arguments: [id]
                )
            else { return nil }
            return StoredIngestBatch(
                id: row[0],
                digest: row.bytes(at: 1),
                source: row[2],
                startedAt: row.date(at: 3),
                committedAt: row.date(at: 4),
                counts: StoredIngestBatch.Counts(
                    accepted: row[5],
                    rejected: row[6],
                    suppressed: row[7],
                    duplicates: row[8],
                    subjectsCreated: row[9],
                    subjectsUpdated: row[10]
                ),
                rejects: row.bytes(at: 11)
            )
        }
    }
}
