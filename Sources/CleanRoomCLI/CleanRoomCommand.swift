public import ArgumentParser
import CleanRoomCrypto

/// The `cleanroom` command: every subcommand of the CLI.
public struct CleanRoomCommand: AsyncParsableCommand {
    /// The command's name, summary and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "cleanroom",
        abstract: "A privacy-first data clean room: ingest first-party data, release only aggregates.",
        subcommands: [
            InitCommand.self, KeysCommand.self, PolicyCommand.self, IngestCommand.self, AuditCommand.self, HashCommand.self,
            RightsCommand.self, RetentionCommand.self, ReportCommand.self, QueryCommand.self, RulesCommand.self, PrincipalCommand.self,
            ServeCommand.self,
            DemoCommand.self,
        ]
    )

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}

    /// Runs the power-on self-test of the cryptography, then the command line: a broken or misconfigured
    /// OpenSSL stops every command with a clear message before anything is read or written.
    public static func mainAfterSelfTest() async {
        do {
            try CryptoSelfTest.run()
        } catch {
            Self.exit(withError: error)
        }
        await Self.main()
    }
}
