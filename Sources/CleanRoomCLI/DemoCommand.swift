public import ArgumentParser

/// `cleanroom demo`: the end-to-end demo (the default), and data sets for demos, tests and benchmarks in the
/// ingest contract's JSON Lines format.
public struct DemoCommand: AsyncParsableCommand {
    /// The name, summary and subcommands of `cleanroom demo`.
    public static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the end-to-end demo, or generate or convert data sets for demos, tests and benchmarks.",
        subcommands: [DemoRunCommand.self, DemoGenerateCommand.self, DemoCDNOWCommand.self],
        defaultSubcommand: DemoRunCommand.self
    )

    /// Creates the command; ArgumentParser fills it from the command line.
    public init() {}
}
