public import CleanRoomCore
public import Foundation
internal import GRDB

/// GDPR rights requests: when each arrived, its deadline, and how and when it was answered.
public struct RightsRequestRepository {
    let db: Database

    private static let columns =
        "SELECT id, kind, subject_id, received_at, deadline, completed_at, outcome FROM rights_requests"

    /// Records a new, open request and returns its number.
    ///
    /// - Parameter subject: The person it concerns, or `nil` when the store holds nobody matching.
    public func record(
        kind: StoredRightsRequest.Kind,
        subject: SubjectID?,
        receivedAt: Date,
        deadline: Date
    ) throws -> StoredRightsRequest.ID {
        try performing("record a rights request") {
            try self.db.cachedStatement(
                sql: "INSERT INTO rights_requests (kind, subject_id, received_at, deadline) VALUES (?, ?, ?, ?)"
            ).execute(arguments: [
                kind.rawValue, subject?.rawValue, receivedAt.storedMilliseconds, deadline.storedMilliseconds,
            ])
            return StoredRightsRequest.ID(self.db.lastInsertedRowID)
        }
    }

    /// Marks an open request answered.
    ///
    /// - Returns: `false` when no open request has this number (unknown, or already completed).
    @discardableResult
    public func complete(_ id: StoredRightsRequest.ID, at time: Date, outcome: String) throws -> Bool {
        try performing("complete a rights request") {
            try self.db.cachedStatement(
                sql: "UPDATE rights_requests SET completed_at = ?, outcome = ? WHERE id = ? AND completed_at IS NULL"
            ).execute(arguments: [time.storedMilliseconds, outcome, id.rawValue])
            return self.db.changesCount > 0
        }
    }

    /// The request with this number, or `nil`.
    public func find(_ id: StoredRightsRequest.ID) throws -> StoredRightsRequest? {
        try performing("look up a rights request") {
            try Row.fetchOne(self.db.cachedStatement(sql: Self.columns + " WHERE id = ?"), arguments: [id.rawValue])
                .map(Self.request)
        }
    }

    /// The requests not yet answered, earliest deadline first.
    ///
    /// - Parameter time: When given, only the requests whose deadline is before it (overdue at `time`).
    public func listOpen(overdueAt time: Date? = nil) throws -> [StoredRightsRequest] {
        try performing("list open rights requests") {
            let cutoff = time?.storedMilliseconds ?? Int64.max
            return try Array(
                Row.fetchCursor(
                    self.db.cachedStatement(
                        sql: Self.columns + " WHERE completed_at IS NULL AND deadline < ? ORDER BY deadline, id"
                    ),
                    arguments: [cutoff]
                ).map(Self.request)
            )
        }
    }

    /// Every request, in the order received.
    public func all() throws -> [StoredRightsRequest] {
        try performing("list rights requests") {
            try Array(Row.fetchCursor(self.db, sql: Self.columns + " ORDER BY id").map(Self.request))
        }
    }

    private static func request(_ row: Row) -> StoredRightsRequest {
        StoredRightsRequest(
            id: StoredRightsRequest.ID(row[0]),
            kind: StoredRightsRequest.Kind(rawValue: row[1]),
            subject: (row[2] as Int64?).map(SubjectID.init),
            receivedAt: row.date(at: 3),
            deadline: row.date(at: 4),
            completedAt: row.optionalDate(at: 5),
            outcome: row[6]
        )
    }
}
