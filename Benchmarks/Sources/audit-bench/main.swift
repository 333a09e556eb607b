// Audit log append throughput: every entry durable (fdatasync) before its append returns, with a sync per
// entry and with group commit shared by concurrent requests. Usage: audit-bench DIR RUNS
// Prints a table of medians. DIR must be on the disk the log would live on.
import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import Foundation

func record(_ number: Int, writer: Int) -> AuditRecord {
    AuditRecord(
        principal: "partner-\(writer)", role: "partner", action: .query, purpose: "analytics",
        request: .object([
            "metrics": .array([.string("people"), .string("amount_sum")]), "group_by": .array([.string("country")]),
            "number": .integer(number),
        ]),
        decision: .allowed("policy.purpose_allowed"), cohortSizes: [1200, 800, 77], suppressedCells: 1,
        policyDigest: String(repeating: "ab", count: 32), resultDigest: String(repeating: "cd", count: 32)
    )
}

/// Appends `total` entries from `writers` threads; returns appends per second.
func measure(directory: String, key: Ed25519PrivateKey, mode: AuditLog.CommitMode, writers: Int, total: Int) throws
    -> Double
{
    try? FileManager.default.removeItem(atPath: directory)
    let log = try AuditLog.open(
        directory: directory, signingKey: key,
        options: AuditLog.Options(origin: "bench/audit", checkpointEvery: 10_000, commitMode: mode)
    ).log
    let perWriter = total / writers
    // One thread per writer, as concurrent requests would be (concurrentPerform would run only as many at
    // once as there are cores).
    let done = DispatchGroup()
    let start = ContinuousClock.now
    for writer in 0..<writers {
        done.enter()
        Thread {
            for number in 0..<perWriter {
                _ = try? log.append(record(number, writer: writer))
            }
            done.leave()
        }.start()
    }
    done.wait()
    let elapsed = ContinuousClock.now - start
    try log.close()
    guard log.size == perWriter * writers else { fatalError("lost appends: \(log.size)") }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Double(perWriter * writers) / seconds
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let runs = Int(arguments[2]), runs > 0 else {
    FileHandle.standardError.write(Data("usage: audit-bench DIR RUNS\n".utf8))
    exit(2)
}
let key = try Ed25519PrivateKey.generate()
let cases: [(String, AuditLog.CommitMode, Int, Int)] = [
    ("sync per entry, 1 writer", .perEntry, 1, 2_000),
    ("sync per entry, 8 writers", .perEntry, 8, 2_000),
    ("group commit, 1 writer", .group, 1, 2_000),
    ("group commit, 8 writers", .group, 8, 8_000),
    ("group commit, 32 writers", .group, 32, 16_000),
]
print("| audit append (every entry durable before it returns) | appends/s (median of \(runs)) |")
print("|---|---:|")
for (name, mode, writers, total) in cases {
    var rates: [Double] = []
    for _ in 0..<runs {
        rates.append(try measure(directory: arguments[1] + "/log", key: key, mode: mode, writers: writers, total: total))
    }
    rates.sort()
    print("| \(name) | \(Int(rates[rates.count / 2])) |")
}
try? FileManager.default.removeItem(atPath: arguments[1] + "/log")
