import Foundation

/// What a run measured, printed as a markdown table and one JSON line.
struct BenchReport {
    /// The erasure goal of the rights issue, per request, audit entry included.
    static let erasureGoalMilliseconds = 50.0

    let home: BenchHome
    let indexEntries: Int
    let candidates: Int
    let sampleSeconds: Double
    let erasures: LatencySummary?
    let withdrawals: LatencySummary?
    /// Wall time of the whole run of withdrawals, in seconds.
    let withdrawalSeconds: Double
    let loadAverage: String

    var withdrawalsPerSecond: Double {
        guard let withdrawals, self.withdrawalSeconds > 0 else { return 0 }
        return Double(withdrawals.count) / self.withdrawalSeconds
    }

    func print() {
        Swift.print("""
            \(self.home.subjects.formatted()) subjects, \(self.indexEntries.formatted()) identifiers indexed; \
            load average \(self.loadAverage)
            opening: keys, policy and audit log \(Self.ms(self.home.keysPolicyAuditSeconds)) ms, store \
            \(Self.ms(self.home.storeOpenSeconds)) ms (integrity check included), identity index \
            \(Self.ms(self.home.indexLoadSeconds)) ms; customers drawn from \(self.candidates.formatted()) ids in \
            \(Self.ms(self.sampleSeconds)) ms

            | request (each audited and synced before it returns) | requests | p50 ms | p90 ms | p99 ms | max ms \
            | mean ms | requests/s |
            |---|---:|---:|---:|---:|---:|---:|---:|
            """)
        if let erasures = self.erasures {
            Swift.print(Self.row("erasure (crypto-shredding, rows deleted, WAL checkpoint)", erasures,
                                 rate: 1 / (erasures.mean / 1000)))
        }
        if let withdrawals = self.withdrawals {
            Swift.print(Self.row("withdrawal of consent, all purposes", withdrawals, rate: self.withdrawalsPerSecond))
        }
        Swift.print("")
        for (name, summary) in [("erasure", self.erasures), ("withdrawal", self.withdrawals)] {
            guard let summary else { continue }
            Swift.print("first \(name) \(Self.ms2(summary.first)) ms; slowest: number \(summary.slowestPosition)")
        }
        if let erasures = self.erasures {
            let met = erasures.p99 < Self.erasureGoalMilliseconds ? "met" : "NOT met"
            Swift.print("erasure goal (< \(Int(Self.erasureGoalMilliseconds)) ms per request): \(met) at p99")
        }
        Swift.print(self.json)
    }

    private var json: String {
        var members = [
            #""tool":"rights-bench""#, #""subjects":\#(self.home.subjects)"#,
            #""index_entries":\#(self.indexEntries)"#,
            #""keys_policy_audit_ms":\#(Self.ms(self.home.keysPolicyAuditSeconds))"#,
            #""store_open_ms":\#(Self.ms(self.home.storeOpenSeconds))"#,
            #""index_load_ms":\#(Self.ms(self.home.indexLoadSeconds))"#,
            #""load_average":"\#(self.loadAverage)""#,
        ]
        if let erasures = self.erasures {
            members.append(#""erasures":\#(erasures.count)"#)
            members.append(#""erase_ms":\#(Self.json(erasures))"#)
        }
        if let withdrawals = self.withdrawals {
            members.append(#""withdrawals":\#(withdrawals.count)"#)
            members.append(#""withdrawals_per_s":\#(String(format: "%.1f", self.withdrawalsPerSecond))"#)
            members.append(#""withdraw_ms":\#(Self.json(withdrawals))"#)
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    private static func row(_ name: String, _ summary: LatencySummary, rate: Double) -> String {
        let cells = [summary.p50, summary.p90, summary.p99, summary.max, summary.mean].map { Self.ms2($0) }
        return "| \(name) | \(summary.count) | " + cells.joined(separator: " | ")
            + " | \(String(format: "%.0f", rate)) |"
    }

    private static func json(_ summary: LatencySummary) -> String {
        #"{"p50":\#(ms2(summary.p50)),"p90":\#(ms2(summary.p90)),"p99":\#(ms2(summary.p99)),"#
            + #""max":\#(ms2(summary.max)),"mean":\#(ms2(summary.mean)),"first":\#(ms2(summary.first)),"#
            + #""slowest_position":\#(summary.slowestPosition)}"#
    }

    /// Seconds as whole milliseconds.
    private static func ms(_ seconds: Double) -> String { String(format: "%.0f", seconds * 1000) }

    /// Milliseconds with two decimals.
    private static func ms2(_ milliseconds: Double) -> String { String(format: "%.2f", milliseconds) }
}
