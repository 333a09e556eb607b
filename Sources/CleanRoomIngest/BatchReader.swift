import Foundation

/// Reads an input file in batches of rows on a thread of its own, a few batches ahead of the caller, so that
/// the thread committing batches never waits for the disk or spends its time splitting lines.
final class BatchReader: @unchecked Sendable {
    /// How many read batches may wait for the caller: enough to hide a slow read, few enough to bound memory.
    private static let readAhead = 2

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var ready: [[IngestInput.Row]] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false

    /// Starts reading `path` as `format`, `batchSize` rows per batch.
    init(path: String, format: Ingestor.Format, batchSize: Int) {
        let thread = Thread { [self] in
            self.read(path: path, format: format, batchSize: batchSize)
        }
        thread.name = "cleanroom.ingest.reader"
        thread.start()
    }

    /// The next batch, or `nil` at the end of the file.
    ///
    /// - Throws: The error that stopped the reading (an unreadable file, malformed CSV).
    func next() throws -> [IngestInput.Row]? {
        self.condition.lock()
        defer { self.condition.unlock() }
        while self.ready.isEmpty && !self.finished {
            self.condition.wait()
        }
        if !self.ready.isEmpty {
            let batch = self.ready.removeFirst()
            self.condition.broadcast()
            return batch
        }
        if let failure = self.failure { throw failure }
        return nil
    }

    /// Stops the reading thread at its next row; later calls to ``next()`` return what was read or `nil`.
    func cancel() {
        self.condition.lock()
        self.cancelled = true
        self.condition.broadcast()
        self.condition.unlock()
    }

    private struct Cancelled: Error {}

    private func read(path: String, format: Ingestor.Format, batchSize: Int) {
        var batch: [IngestInput.Row] = []
        batch.reserveCapacity(batchSize)
        do {
            let take = { (row: IngestInput.Row) throws in
                batch.append(row)
                if batch.count >= batchSize {
                    try self.hand(batch)
                    batch = []
                    batch.reserveCapacity(batchSize)
                }
            }
            switch format {
            case .jsonl: try IngestInput.forEachJSONLine(path: path, take)
            case .csv: try IngestInput.forEachCSVRow(path: path, take)
            }
            if !batch.isEmpty { try self.hand(batch) }
            self.finish(nil)
        } catch is Cancelled {
            self.finish(nil)
        } catch {
            self.finish(error)
        }
    }

    /// Hands a batch to the caller, waiting while enough batches are ready.
    private func hand(_ batch: [IngestInput.Row]) throws {
        self.condition.lock()
        defer { self.condition.unlock() }
        while self.ready.count >= Self.readAhead && !self.cancelled {
            self.condition.wait()
        }
        if self.cancelled { throw Cancelled() }
        self.ready.append(batch)
        self.condition.broadcast()
    }

    private func finish(_ error: (any Error)?) {
        self.condition.lock()
        self.finished = true
        self.failure = error
        self.condition.broadcast()
        self.condition.unlock()
    }
}
