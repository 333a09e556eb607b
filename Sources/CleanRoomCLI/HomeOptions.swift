import ArgumentParser
import Foundation

/// The `--home` option shared by every command that uses a CleanRoom home.
struct HomeOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The CleanRoom home (keys/, policies/, audit/, cleanroom.sqlite).",
            discussion: "Defaults to $CLEANROOM_HOME, else the current directory.",
            valueName: "dir"
        )
    )
    var home: String?

    /// The home this invocation works on.
    var resolved: CleanRoomHome {
        CleanRoomHome.resolve(option: self.home, environment: ProcessInfo.processInfo.environment)
    }
}
