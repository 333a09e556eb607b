// swift-tools-version:6.2
import PackageDescription

// CleanRoom's benchmarks, a package of their own so the product build stays lean.
// `make bench` (Benchmarks/run.sh) builds this in release mode and runs it beside the peers.
let package = Package(
    name: "CleanRoomBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "CleanRoom", path: ".."),
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
    ]
)
