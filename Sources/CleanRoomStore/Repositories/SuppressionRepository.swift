public import CleanRoomCore
public import Foundation
internal import GRDB

/// The suppression list: pseudonyms of erased people, so a later ingest does not bring them back.
public struct SuppressionRepository {
    let db: Database

    /// Puts a pseudonym on the list.
    ///
    /// - Returns: `false` when it was already there.
    @discardableResult
    public func add(_ pseudonym: Pseudonym, at time: Date) throws -> Bool {
        try performing("add to the suppression list") {
            try self.db.cachedStatement(
                sql: "INSERT INTO suppression_list (pseudonym, added_at) VALUES (?, ?) ON CONFLICT DO NOTHING"
            ).execute(arguments: [pseudonym.bytes.blob, time.storedMilliseconds])
            return self.db.changesCount > 0
        }
    }

    /// Whether the pseudonym is on the list.
    public func contains(_ pseudonym: Pseudonym) throws -> Bool {
        try performing("look up the suppression list") {
            try Bool.fetchOne(
                self.db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM suppression_list WHERE pseudonym = ?)"),
                arguments: [pseudonym.bytes.blob]
            ) ?? false
        }
    }

    /// Calls `body` with every pseudonym on the list, streaming from the database.
    public func forEach(_ body: (Pseudonym) throws -> Void) throws {
        try performing("read the suppression list") {
            let rows = try Row.fetchCursor(self.db, sql: "SELECT pseudonym FROM suppression_list")
            while let row = try rows.next() {
                try body(row.pseudonym(at: 0, table: "suppression_list"))
            }
        }
    }

    /// The number of pseudonyms on the list.
    public func count() throws -> Int {
        try performing("count the suppression list") {
            try Int.fetchOne(self.db, sql: "SELECT COUNT(*) FROM suppression_list") ?? 0
        }
    }
}
