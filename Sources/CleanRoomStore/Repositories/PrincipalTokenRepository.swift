public import Foundation
internal import GRDB

/// The service's bearer tokens, one per principal, kept as SHA-256 digests only.
public struct PrincipalTokenRepository {
    let db: Database

    /// A principal's token as stored.
    public struct StoredToken: Sendable, Equatable {
        /// The principal's name in the policy.
        public var principal: String
        /// The SHA-256 of the token.
        public var digest: [UInt8]
        /// The role the token was issued for.
        public var role: String
        /// When it was issued.
        public var issuedAt: Date

        /// A stored token.
        public init(principal: String, digest: [UInt8], role: String, issuedAt: Date) {
            self.principal = principal
            self.digest = digest
            self.role = role
            self.issuedAt = issuedAt
        }
    }

    /// Stores `token` as the principal's only token, replacing any earlier one (which stops working).
    ///
    /// - Throws: ``StoreError`` `invalidArgument` for a digest that is not 32 bytes.
    public func replace(_ token: StoredToken) throws {
        guard token.digest.count == 32 else {
            throw StoreError(code: .invalidArgument, message: "a token digest is 32 bytes (SHA-256)")
        }
        try performing("store a principal's token") {
            var upsert = try DirectStatement(
                self.db,
                sql: """
                    INSERT INTO principal_tokens (principal, token_digest, role, issued_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (principal) DO UPDATE SET
                        token_digest = excluded.token_digest, role = excluded.role, issued_at = excluded.issued_at
                    """)
            upsert.bind(token.principal)
            upsert.bind(token.digest)
            upsert.bind(token.role)
            upsert.bind(token.issuedAt.storedMilliseconds)
            try upsert.run()
        }
    }

    /// Every stored token, by principal name.
    public func all() throws -> [StoredToken] {
        try performing("read the principals' tokens") {
            try Row.fetchAll(
                self.db, sql: "SELECT principal, token_digest, role, issued_at FROM principal_tokens ORDER BY principal"
            ).map { row in
                StoredToken(principal: row[0], digest: row.bytes(at: 1), role: row[2], issuedAt: row.date(at: 3))
            }
        }
    }

    /// Removes the principal's token; `false` when there was none.
    @discardableResult
    public func revoke(principal: String) throws -> Bool {
        try performing("revoke a principal's token") {
            try self.db.execute(sql: "DELETE FROM principal_tokens WHERE principal = ?", arguments: [principal])
            return self.db.changesCount > 0
        }
    }
}
