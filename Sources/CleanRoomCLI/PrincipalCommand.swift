import ArgumentParser
import CleanRoomAudit
import CleanRoomCore
import CleanRoomServer
import CleanRoomStore
import Foundation

/// `cleanroom principal …`: the service's bearer tokens.
struct PrincipalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "principal",
        abstract: "Issue and list the bearer tokens of the service's principals.",
        subcommands: [Add.self, List.self]
    )

    /// `cleanroom principal add NAME --role ROLE`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a bearer token for a principal the policy declares, replacing any earlier one.",
            discussion: """
                The token is printed once and stored only as its SHA-256: keep it, and issue a new one when it is \
                lost (the old one stops working). The issue is audited, without the token.
                """
        )

        @OptionGroup var homeOptions: HomeOptions
        @Argument(help: "The principal's name in policies/default.yaml.") var name: String
        @Option(help: "owner, partner, auditor or admin: the role the policy gives the principal.")
        var role: String

        func run() throws {
            guard let role = Policy.Role(rawValue: self.role) else {
                throw ValidationError("--role is one of owner, partner, auditor, admin")
            }
            let home = self.homeOptions.resolved
            let audit = try HomeAuditLog(home: home)
            defer { try? audit.log.close() }
            let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
            defer { try? store.close() }
            let tokens = try PrincipalTokens(store: store, policy: audit.policy)
            do {
                let token = try tokens.issue(for: self.name, role: role)
                try audit.record(
                    .init(rawValue: "token_issue"),
                    request: .object(["principal": .string(self.name), "role": .string(self.role)]),
                    decision: .allowed("cli.admin"))
                print(token)
            } catch let error as TokenError {
                throw ValidationError(error.message)
            }
        }
    }

    /// `cleanroom principal list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the principals that hold a token, with their role and when it was issued.")

        @OptionGroup var homeOptions: HomeOptions

        func run() throws {
            let home = self.homeOptions.resolved
            try home.checkKeyPermissions()
            let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
            defer { try? store.close() }
            for token in try store.read({ try $0.principalTokens.all() }) {
                print("\(token.principal)\t\(token.role)\tissued \(token.issuedAt.formatted(.iso8601))")
            }
        }
    }
}
