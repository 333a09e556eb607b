import ArgumentParser
import CleanRoomCore
import Foundation

/// `cleanroom policy …`: work with the policy files under `policies/`.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check the policy that decides who may use which data for what.",
        subcommands: [Check.self]
    )

    /// `cleanroom policy check [FILE]`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Load and validate a policy; print its digest, or every problem as file:line:column.",
            discussion: """
                Without FILE, checks the policy in force, HOME/policies/default.yaml. Whenever a home is used \
                (no FILE, --home, or $CLEANROOM_HOME), its keys must be private first. Exits 0 when the policy \
                is valid, 1 otherwise.
                """
        )

        @Argument(help: ArgumentHelp("The policy file to check.", valueName: "file"))
        var file: String?

        @OptionGroup var homeOptions: HomeOptions

        func run() throws {
            // With FILE alone this is a pure check of that file; whenever a home is named or implied, its keys
            // must be private first, as for every command that uses a home.
            let usesHome = self.file == nil || self.homeOptions.home != nil
                || ProcessInfo.processInfo.environment[CleanRoomHome.environmentVariable] != nil
            let home = self.homeOptions.resolved
            if usesHome {
                try home.checkKeyPermissions()
            }
            let path = self.file ?? home.policyFile
            let policy: Policy
            do {
                policy = try PolicyLoader.load(contentsOf: path)
            } catch {
                printToStandardError(error.report)
                throw ExitCode.failure
            }
            print(PolicySummary(policy: policy, path: path).text)
        }
    }
}

/// What `policy check` prints for a valid policy.
struct PolicySummary {
    let policy: Policy
    let path: String

    var text: String {
        let roles = Dictionary(grouping: self.policy.principals, by: \.role.rawValue)
            .map { "\($0.value.count) \($0.key)" }
            .sorted()
            .joined(separator: ", ")
        return """
            \(self.path): valid
              digest      \(self.policy.digest)
              purposes    \(self.policy.purposes.map(\.name).joined(separator: ", "))
              principals  \(roles)
              k           \(self.policy.privacy.k)
            """
    }
}
