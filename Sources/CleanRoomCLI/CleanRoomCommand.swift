public import ArgumentParser

/// The `cleanroom` command: every subcommand of the CLI.
public struct CleanRoomCommand: ParsableCommand {
    /// The command's name, summary and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "cleanroom",
        abstract: "A privacy-first data clean room: ingest first-party data, release only aggregates.",
        subcommands: [InitCommand.self, KeysCommand.self, PolicyCommand.self, HashCommand.self]
    )

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}
}
