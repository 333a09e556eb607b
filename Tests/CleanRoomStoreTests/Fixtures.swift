import CleanRoomCore
import CleanRoomStore
import Foundation

/// Deterministic test values.
enum Fixture {
    /// A whole-second time, so it survives the store's millisecond precision unchanged.
    static func time(_ seconds: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(1_772_000_000 + seconds))
    }

    /// A distinct 32-byte pseudonym for each `seed`.
    /// The time `milliseconds` after 1970 as the store reads it back.
    static func milliseconds(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    static func pseudonym(_ seed: Int) -> Pseudonym {
        Pseudonym(bytes: (0..<32).map { UInt8(truncatingIfNeeded: seed &* 131 &+ $0 &* 7 &+ (seed >> 8)) })!
    }

    /// Sealed-looking bytes, distinct for each `seed`.
    static func sealed(_ seed: Int, count: Int = 44) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: seed &* 17 &+ $0 &* 3 &+ 1) }
    }

    /// An identifier of `subject` with one pseudonym per variant name; pseudonym seeds start at `seed`.
    static func identifier(
        of subject: SubjectID,
        kind: IdentifierKind,
        seed: Int,
        variants: [String] = [""],
        at time: Date = Fixture.time(0)
    ) -> StoredIdentifier {
        StoredIdentifier(
            subject: subject,
            kind: kind,
            sealed: self.sealed(seed),
            variants: variants.enumerated().map { offset, name in
                StoredIdentifier.Variant(name: name, pseudonym: self.pseudonym(seed + offset))
            },
            addedAt: time
        )
    }

    /// A purchase of `subject` with the given key byte and items.
    static func purchase(of subject: SubjectID, key: UInt8, at seconds: Int, items: [String] = []) -> StoredEvent {
        StoredEvent(
            subject: subject,
            type: "purchase",
            occurredAt: self.time(seconds),
            amount: 42.5,
            currency: "EUR",
            items: items,
            key: [key, 0xEE]
        )
    }
}

/// Runs `body` with a fresh temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("cleanroom-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// The async form of ``withTemporaryDirectory(_:)``.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("cleanroom-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// Whether the file at `url` (if any) contains `needle` as a contiguous run of bytes.
func file(at url: URL, contains needle: [UInt8]) throws -> Bool {
    guard FileManager.default.fileExists(atPath: url.path) else { return false }
    return try Data(contentsOf: url).range(of: Data(needle)) != nil
}
