// Rights requests on a real home: erasure latency (each request timed on its own, audit entry included) and
// withdrawal throughput, with the identity index loaded once as a long-running service would.
// Usage: rights-bench HOME --erasures N --withdrawals M [--seed S] [--customers FILE]   (HOME is altered)
import CleanRoomCore
import CleanRoomRights
import Foundation

@main
struct RightsBench {
    static func main() {
        do {
            try run(BenchOptions(arguments: Array(CommandLine.arguments.dropFirst())))
        } catch {
            FileHandle.standardError.write(Data("rights-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(_ options: BenchOptions) throws {
        let loadBefore = loadAverage()
        let home = try BenchHome(root: options.home)
        let customersFile = options.customersFile
            ?? URL(fileURLWithPath: options.home).appendingPathComponent("../data/customers.jsonl").standardized.path
        guard options.customersFile == nil || FileManager.default.fileExists(atPath: customersFile) else {
            throw BenchError(code: .usage, message: "the customers file given does not exist: \(customersFile)")
        }
        let ((chosen, candidates), sampleSeconds) = try Stopwatch.time { () throws -> ([String], Int) in
            let ids = FileManager.default.fileExists(atPath: customersFile)
                ? try CustomerSample.customerIDs(inFile: customersFile)
                : CustomerSample.demoCustomerIDs(people: home.subjects)
            let chosen = try CustomerSample.draw(
                options.erasures + options.withdrawals, from: ids, index: home.index,
                matchKey: home.keyring.matchKey,
                normalizer: IdentifierNormalizer(defaultRegion: home.policy.identifiers.defaultRegion),
                seed: options.seed)
            return (chosen, ids.count)
        }
        let indexEntries = home.index.count
        let desk = try home.desk()

        var eraseSeconds: [Double] = []
        for id in chosen.prefix(options.erasures) {
            let (outcome, seconds) = try Stopwatch.time {
                try desk.erase(PersonIdentifier(kind: .customerID, value: id))
            }
            try expect(outcome, "erased")
            eraseSeconds.append(seconds)
        }

        var withdrawSeconds: [Double] = []
        let (_, withdrawalWall) = try Stopwatch.time {
            for id in chosen.dropFirst(options.erasures) {
                let (outcome, seconds) = try Stopwatch.time {
                    try desk.withdraw(PersonIdentifier(kind: .customerID, value: id), purposes: nil)
                }
                try expect(outcome, "withdrawn")
                withdrawSeconds.append(seconds)
            }
        }
        try home.close()

        BenchReport(
            home: home, indexEntries: indexEntries, candidates: candidates, sampleSeconds: sampleSeconds,
            erasures: eraseSeconds.isEmpty ? nil : LatencySummary(seconds: eraseSeconds),
            withdrawals: withdrawSeconds.isEmpty ? nil : LatencySummary(seconds: withdrawSeconds),
            withdrawalSeconds: withdrawalWall, loadAverage: "\(loadBefore) → \(loadAverage())"
        ).print()
    }

    private static func expect(_ outcome: RightsDesk.Outcome, _ expected: String) throws {
        guard outcome.outcome == expected else {
            throw BenchError(
                code: .unexpectedOutcome,
                message: "request \(outcome.request) answered \(outcome.outcome), not \(expected)")
        }
    }

    /// The 1-minute load average from /proc/loadavg, or "?" where there is none.
    private static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "?" }
        return text.split(separator: " ").first.map(String.init) ?? "?"
    }
}
