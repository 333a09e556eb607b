// swift-tools-version:6.2
import PackageDescription

// CleanRoom's benchmarks, a package of their own so the product build stays lean.
// `make bench` (Benchmarks/run.sh) builds this in release mode and runs it beside the peers.
let package = Package(
    name: "CleanRoomBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "CleanRoom", path: ".."),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "cleanroom-bench",
            dependencies: [
                .product(name: "CleanRoomCrypto", package: "CleanRoom"),
                .product(name: "CleanRoomCore", package: "CleanRoom"),
            ]
        ),
        .executableTarget(
            name: "audit-bench",
            dependencies: [
                .product(name: "CleanRoomAudit", package: "CleanRoom"),
                .product(name: "CleanRoomCrypto", package: "CleanRoom"),
                .product(name: "CleanRoomCore", package: "CleanRoom"),
            ]
        ),
        // Rights requests on a real home: erasure latency and withdrawal throughput (Benchmarks/rights.sh).
        .executableTarget(
            name: "rights-bench",
            dependencies: [
                .product(name: "CleanRoomRights", package: "CleanRoom"),
                .product(name: "CleanRoomIngest", package: "CleanRoom"),
                .product(name: "CleanRoomStore", package: "CleanRoom"),
                .product(name: "CleanRoomAudit", package: "CleanRoom"),
                .product(name: "CleanRoomCrypto", package: "CleanRoom"),
                .product(name: "CleanRoomCore", package: "CleanRoom"),
            ]
        ),
        // Warm aggregate-query latency on a home, beside DuckDB (Benchmarks/query.sh).
        .executableTarget(
            name: "query-bench",
            dependencies: [
                .product(name: "CleanRoomAnalytics", package: "CleanRoom"),
                .product(name: "CleanRoomAudit", package: "CleanRoom"),
                .product(name: "CleanRoomStore", package: "CleanRoom"),
                .product(name: "CleanRoomCrypto", package: "CleanRoom"),
                .product(name: "CleanRoomCore", package: "CleanRoom"),
            ]
        ),
        // Frequent-itemset mining on the FIMI data sets beside pyfim and mlxtend (Benchmarks/rules.sh).
        .executableTarget(
            name: "rules-bench",
            dependencies: [
                .product(name: "CleanRoomAnalytics", package: "CleanRoom"),
            ]
        ),
        // The bare SQLite ceiling of the ingest: the rows of an ingested database copied through the C API.
        .executableTarget(
            name: "ingest-ceiling",
            dependencies: [
                // For SQLite's process-wide settings only (Store.configureSQLite), so that both measure alike.
                .product(name: "CleanRoomStore", package: "CleanRoom"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            // On the allocator `cleanroom` runs on, so that SQLite's own allocations cost the same in both (measured:
            // no difference to glibc's malloc here).
            linkerSettings: [.linkedLibrary("jemalloc")]
        ),
    ]
)
