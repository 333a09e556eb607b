public import ArgumentParser

/// `cleanroom demo`: data sets for demos, tests and benchmarks, in the ingest contract's JSON Lines format.
public struct DemoCommand: ParsableCommand {
    /// The name, summary and subcommands of `cleanroom demo`.
    public static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate or convert data sets for demos, tests and benchmarks.",
        subcommands: [DemoGenerateCommand.self, DemoCDNOWCommand.self]
    )

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}
}
