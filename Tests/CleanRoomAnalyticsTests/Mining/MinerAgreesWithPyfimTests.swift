import CleanRoomAnalytics
import Foundation
import Testing

/// The miner against Borgelt's pyfim on the FIMI data sets: the fixtures are pyfim's `fim.fpgrowth` output,
/// written by `Benchmarks/peers/rules_expected.py` (which also checks them against mlxtend).
struct MinerAgreesWithPyfimTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The FIMI files beside the repository (`../shared/data`), where the project keeps them.
    static let dataFolder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    static let fixtureFolder = packageRoot.appendingPathComponent("Tests/CleanRoomAnalyticsTests/Fixtures")
    static let dataPresent = ["mushroom.dat", "foodmart.dat"].allSatisfy { name in
        FileManager.default.fileExists(atPath: dataFolder.appendingPathComponent(name).path)
    }

    @Test(
        .enabled(if: dataPresent, "the FIMI data sets are not in ../shared/data beside the package root"),
        arguments: [("mushroom", 3250), ("mushroom", 2437), ("mushroom", 1850), ("foodmart", 10), ("foodmart", 3),
                    ("foodmart", 2)]
    )
    func findsWhatPyfimFinds(dataSet: String, minimumSupport: Int) throws {
        let text = try String(contentsOf: Self.dataFolder.appendingPathComponent("\(dataSet).dat"), encoding: .utf8)
        let transactions = try FIMIFormat.transactions(in: text)
        #expect(transactions.count == (dataSet == "mushroom" ? 8_124 : 4_141))
        let expected = try Self.fixture("fpgrowth-\(dataSet)-\(minimumSupport).txt")
        #expect(!expected.isEmpty)
        let found = FrequentItemsetMiner(minimumSupport: minimumSupport).mine(transactions)
        #expect(found.count == expected.count)
        let foundSet = Set(found)
        let expectedSet = Set(expected)
        let missing = expected.filter { !foundSet.contains($0) }
        let extra = found.filter { !expectedSet.contains($0) }
        #expect(missing.isEmpty, "missing \(missing.count), first \(missing.prefix(3))")
        #expect(extra.isEmpty, "not in pyfim's \(extra.count), first \(extra.prefix(3))")
        #expect(found == expected, "same itemsets in the same (lexicographic) order")
    }

    /// A fixture's itemsets: after `#` comment lines, one per line, "support item item …".
    static func fixture(_ name: String) throws -> [FrequentItemset] {
        let text = try String(contentsOf: Self.fixtureFolder.appendingPathComponent(name), encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let numbers = line.split(separator: " ")
            let support = try #require(Int(numbers[0]))
            return FrequentItemset(items: try numbers.dropFirst().map { try #require(UInt32($0)) }, support: support)
        }
    }
}
