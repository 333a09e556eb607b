// query-bench HOME NOW_MS RUNS [QUERY]
//
// Warm aggregate-query latency of CleanRoom on a home (Benchmarks/query.sh builds one from `cleanroom demo
// generate` data): the cohort index is loaded once, then each query runs RUNS times after one warm-up, through the
// whole path a partner's query takes (policy checks, scan, privacy contract, differencing guard, audit entry
// synced, cohorts recorded). Prints JSON lines: one per run (with where its time went), one result per query, one
// with the load figures.
import CleanRoomAnalytics
import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import CleanRoomStore
import Foundation

/// The queries, by name, as the DuckDB peer (peers/query_peer.py) runs them.
let queries: [(name: String, json: String)] = [
    ("people_by_country", #"{"purpose": "ads_measurement", "groupBy": ["country"], "metrics": ["people"]}"#),
    ("spend_by_age_band_365d", #"""
        {"purpose": "ads_measurement", "groupBy": ["age_band"], "metrics": ["people", "amount_sum"],
         "window": {"within": "P365D"}}
        """#),
    ("conversion_by_country_loyalty_90d", #"""
        {"purpose": "ads_measurement", "groupBy": ["country", "loyalty_tier"],
         "metrics": ["people", "events", "conversion_rate"], "window": {"within": "P90D"}}
        """#),
]
let principal = "alpina-outdoor"

func emit(_ fields: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// CPU time of the process so far (user and system, every thread), in milliseconds.
func cpuMilliseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let seconds = { (time: timeval) in Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
    return (seconds(usage.ru_utime) + seconds(usage.ru_stime)) * 1000
}

func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

let arguments = CommandLine.arguments
guard (4...5).contains(arguments.count), let nowMilliseconds = Int64(arguments[2]), let runs = Int(arguments[3]),
    runs > 0
else {
    FileHandle.standardError.write(Data("usage: query-bench HOME NOW_MS RUNS [QUERY]\n".utf8))
    exit(64)
}
/// Only this query, when named (for profiling one).
let only = arguments.count == 5 ? arguments[4] : nil
let home = URL(fileURLWithPath: arguments[1], isDirectory: true)
func path(_ relative: String) -> String { home.appendingPathComponent(relative).path }
let now = Date(timeIntervalSince1970: Double(nowMilliseconds) / 1000)

do {
    let keyring = try Keyring.open(in: path("keys"))
    let policy = try PolicyLoader.load(contentsOf: path("policies/default.yaml"))
    let segments = try SegmentCatalog.load(path: path("policies/segments.yaml"), policy: policy)
    let audit = try AuditLog.open(
        directory: path("audit"), signingKey: keyring.auditSigningKey,
        options: AuditLog.Options(origin: "cleanroom/audit", checkpointEvery: policy.audit.checkpointEvery)
    ).log
    let store = try Store.open(
        path: path("cleanroom.sqlite"),
        options: Store.Options(createIfMissing: false, keyVaultPath: path("keys/data-keys.sqlite")))
    let loadStart = ContinuousClock.now
    let engine = try CohortEngine(store: store, policy: policy, at: now)
    let loadSeconds = (ContinuousClock.now - loadStart) / .seconds(1)
    let index = try engine.current(at: now)
    emit([
        "system": "cleanroom", "index_load_seconds": loadSeconds, "people": index.peopleCount,
        "events": index.eventTotal, "peak_rss_mib": peakResidentMiB(),
    ])
    let analyst = Analyst(engine: engine, store: store, policy: policy, segments: segments, audit: audit)
    for (name, json) in queries where only == nil || only == name {
        let query = try Query.decode(json: Data(json.utf8))
        let answer = try analyst.run(query, as: principal, at: now)
        for run in 0..<runs {
            let start = ContinuousClock.now
            let cpuStart = cpuMilliseconds()
            // A second apart, so that every run computes: the analyst reuses an answer within the same second.
            let timed = try analyst.run(query, as: principal, at: now + Double(run + 1))
            let elapsed = ContinuousClock.now - start
            let cpu = cpuMilliseconds() - cpuStart
            let ms = { (duration: Duration) in duration / .milliseconds(1) }
            emit([
                "system": "cleanroom", "query": name, "run": run, "ms": ms(elapsed), "cpu_ms": cpu,
                "compute_ms": ms(timed.timings.compute), "guard_ms": ms(timed.timings.differencingGuard),
                "audit_ms": ms(timed.timings.audit), "record_ms": ms(timed.timings.record),
            ])
        }
        var result: [String: [String: Double]] = [:]
        for cell in answer.cells where !cell.isSuppressed {
            let key = cell.labels.map { $0 ?? "null" }.joined(separator: "|")
            result[key] = Dictionary(uniqueKeysWithValues: cell.values.map { ($0.key.rawValue, $0.value) })
        }
        emit(["system": "cleanroom", "query": name, "result": result])
    }
    try audit.close()
    try store.close()
} catch {
    FileHandle.standardError.write(Data("query-bench: \(error)\n".utf8))
    exit(1)
}
