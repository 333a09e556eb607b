public import CleanRoomCore
public import CleanRoomStore
public import Foundation
internal import CleanRoomCrypto
internal import Synchronization

/// The bearer tokens of the service's principals: issued once (`cleanroom principal add`), stored only as their
/// SHA-256, and checked in constant time against a token presented with a request.
public final class PrincipalTokens: Sendable {
    private let store: Store
    private let policy: Policy
    private let digests: Mutex<[[UInt8]: String]>

    /// The tokens stored in `store`, for the principals `policy` declares (a token of a principal the policy no
    /// longer declares, or declares with another role, authenticates no one).
    public init(store: Store, policy: Policy) throws {
        self.store = store
        self.policy = policy
        self.digests = Mutex([:])
        try self.reload()
    }

    /// The prefix of every token, so a leaked one is easy to recognize in a scan of logs or repositories.
    public static let prefix = "crt_"

    /// Issues a new token for the principal named `name` (declared by the policy with `role`), replacing any
    /// earlier one, and returns it: the only time it is ever shown.
    ///
    /// - Throws: ``TokenError`` when the policy does not declare that principal with that role.
    public func issue(for name: String, role: Policy.Role, at time: Date = Date()) throws -> String {
        guard let principal = self.policy.principal(named: name) else {
            throw TokenError(message: "the policy declares no principal named \(name); add it under principals first")
        }
        guard principal.role == role else {
            throw TokenError(
                message: "the policy declares \(name) with the role \(principal.role.rawValue), not \(role.rawValue)")
        }
        let token = Self.prefix + Hex.encode(try SecureRandom.bytes(count: 32))
        try self.store.write { transaction in
            try transaction.principalTokens.replace(.init(
                principal: name, digest: SHA256.hash(token), role: role.rawValue, issuedAt: time))
        }
        try self.reload()
        return token
    }

    /// The principal `token` belongs to, or `nil`.
    public func principal(for token: String) -> Policy.Principal? {
        guard token.hasPrefix(Self.prefix), token.utf8.count == Self.prefix.utf8.count + 64 else { return nil }
        let digest = SHA256.hash(token)
        let name: String? = self.digests.withLock { digests in
            // Compare every stored digest in constant time rather than look one up, so timing tells nothing.
            var found: String?
            for (stored, name) in digests where ConstantTime.isEqual(stored, digest) { found = name }
            return found
        }
        return name.flatMap { self.policy.principal(named: $0) }
    }

    /// Rereads the stored tokens.
    public func reload() throws {
        let stored = try self.store.read { try $0.principalTokens.all() }
        var digests: [[UInt8]: String] = [:]
        for token in stored where self.policy.principal(named: token.principal)?.role.rawValue == token.role {
            digests[token.digest] = token.principal
        }
        self.digests.withLock { $0 = digests }
    }
}

/// Why a token could not be issued.
public struct TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong and what to do.
    public var message: String

    public var description: String { self.message }
}
