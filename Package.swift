// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "CleanRoom",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cleanroom", targets: ["cleanroom"]),
        .library(name: "CleanRoomCrypto", targets: ["CleanRoomCrypto"]),
        .library(name: "CleanRoomCore", targets: ["CleanRoomCore"]),
        .library(name: "CleanRoomStore", targets: ["CleanRoomStore"]),
        .library(name: "CleanRoomAudit", targets: ["CleanRoomAudit"]),
        .library(name: "CleanRoomIngest", targets: ["CleanRoomIngest"]),
        .library(name: "CleanRoomRights", targets: ["CleanRoomRights"]),
        .library(name: "CleanRoomAnalytics", targets: ["CleanRoomAnalytics"]),
        .library(name: "CleanRoomServer", targets: ["CleanRoomServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // System OpenSSL 3 libcrypto (Debian: libssl-dev). Only CleanRoomCrypto imports it.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        // A C shim over Google's libphonenumber (Debian: libphonenumber-dev). Only CleanRoomCore imports it.
        .target(
            name: "CPhoneNumber",
            linkerSettings: [.linkedLibrary("phonenumber"), .linkedLibrary("stdc++")]
        ),
        // The two process-wide settings of the system SQLite (libsqlite3-dev) Swift cannot call. Only CleanRoomStore
        // imports it.
        .systemLibrary(
            name: "CSQLiteConfig",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .target(name: "CleanRoomCrypto", dependencies: ["COpenSSL"]),
        .target(
            name: "CleanRoomCore",
            dependencies: [
                "CleanRoomCrypto",
                "CPhoneNumber",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "CleanRoomStore",
            dependencies: [
                "CleanRoomCore",
                "CSQLiteConfig",
                .product(name: "GRDB", package: "GRDB.swift"),
                // GRDB's own system library over libsqlite3, for the direct binding of the hot inserts.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .target(name: "CleanRoomAudit", dependencies: ["CleanRoomCrypto", "CleanRoomCore"]),
        .target(
            name: "CleanRoomRights",
            dependencies: ["CleanRoomCrypto", "CleanRoomCore", "CleanRoomStore", "CleanRoomAudit", "CleanRoomIngest"]
        ),
        .target(
            name: "CleanRoomIngest",
            dependencies: [
                "CleanRoomCrypto", "CleanRoomCore", "CleanRoomStore", "CleanRoomAudit",
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        // The cohort engine, aggregate queries, segments, association rules and the privacy guards.
        .target(
            name: "CleanRoomAnalytics",
            dependencies: [
                "CleanRoomCrypto", "CleanRoomCore", "CleanRoomStore", "CleanRoomAudit", "CleanRoomRights",
                .product(name: "Yams", package: "Yams"),
                // Customer Match CSV uploads of partner audiences.
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        // The HTTP service (Hummingbird 2): routes, authentication, roles, limits, metrics. The only importer of
        // Hummingbird.
        .target(
            name: "CleanRoomServer",
            dependencies: [
                "CleanRoomCrypto", "CleanRoomCore", "CleanRoomStore", "CleanRoomAudit", "CleanRoomIngest",
                "CleanRoomRights", "CleanRoomAnalytics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            // The OpenAPI document it serves at /openapi.yaml (the repository's openapi.yaml links to it).
            resources: [.copy("Resources/openapi.yaml")]
        ),
        // The commands of the `cleanroom` executable, as a library so tests can run them in-process.
        .target(
            name: "CleanRoomCLI",
            dependencies: [
                "CleanRoomCrypto", "CleanRoomCore", "CleanRoomStore", "CleanRoomAudit", "CleanRoomIngest",
                "CleanRoomRights", "CleanRoomAnalytics", "CleanRoomServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        .executableTarget(
            name: "cleanroom",
            dependencies: ["CleanRoomCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            // jemalloc (Debian: libjemalloc-dev) replaces glibc's malloc in the whole process, libraries included: an
            // ingest allocates its rows on some threads and frees them on others, where glibc's arenas cost 7-13 %
            // of its time (Benchmarks/peers/README.md). Linked before libc, so its malloc is the one every library
            // binds to.
            linkerSettings: [.linkedLibrary("jemalloc")]
        ),
        // What several test targets use: a seeded random generator.
        .target(name: "CleanRoomTestSupport", path: "Tests/CleanRoomTestSupport"),
        .testTarget(name: "CleanRoomCryptoTests", dependencies: ["CleanRoomCrypto", "CleanRoomTestSupport"]),
        .testTarget(name: "CleanRoomCoreTests", dependencies: ["CleanRoomCore", "CleanRoomCrypto", "CleanRoomTestSupport"]),
        .testTarget(
            name: "CleanRoomStoreTests",
            dependencies: [
                "CleanRoomStore", "CleanRoomCore", "CleanRoomCrypto",
                // To build a database at an older schema version and migrate it.
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "CleanRoomAuditTests",
            dependencies: ["CleanRoomAudit", "CleanRoomCrypto", "CleanRoomCore", "CleanRoomTestSupport"]
        ),
        .testTarget(
            name: "CleanRoomIngestTests",
            dependencies: [
                "CleanRoomIngest", "CleanRoomCore", "CleanRoomCrypto", "CleanRoomStore", "CleanRoomAudit",
                "CleanRoomTestSupport",
            ]
        ),
        .testTarget(
            name: "CleanRoomRightsTests",
            dependencies: [
                "CleanRoomRights", "CleanRoomCore", "CleanRoomStore", "CleanRoomCrypto", "CleanRoomIngest", "CleanRoomAudit",
            ]
        ),
        .testTarget(
            name: "CleanRoomAnalyticsTests",
            dependencies: [
                "CleanRoomAnalytics", "CleanRoomRights", "CleanRoomCore", "CleanRoomStore", "CleanRoomCrypto",
                "CleanRoomIngest", "CleanRoomAudit", "CleanRoomTestSupport",
            ],
            // pyfim's itemsets of the FIMI data sets, read by the agreement test.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "CleanRoomServerTests",
            dependencies: [
                "CleanRoomServer", "CleanRoomAnalytics", "CleanRoomCore", "CleanRoomCrypto", "CleanRoomStore",
                "CleanRoomAudit", "CleanRoomIngest",
                "CleanRoomRights",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "CleanRoomCLITests",
            dependencies: [
                "CleanRoomCLI", "CleanRoomAnalytics", "CleanRoomCore", "CleanRoomCrypto", "CleanRoomStore", "CleanRoomAudit", "CleanRoomIngest",
                "CleanRoomTestSupport",
            ]
        ),
    ],
    cxxLanguageStandard: .cxx17
)

// The upcoming features swift-log and Hummingbird turn on, for every Swift target.
for target in package.targets where target.type != .system && target.name != "CPhoneNumber" {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ]
}
