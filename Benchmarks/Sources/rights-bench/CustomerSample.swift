import CleanRoomCore
import CleanRoomCrypto
import CleanRoomIngest
import Foundation

/// Distinct customers held by the store, drawn at random (seeded): the candidates' customer ids are shuffled
/// and kept in order while their canonical pseudonym is in the identity index and names a subject not taken yet
/// (a person's second record may carry another customer id).
enum CustomerSample {
    /// `count` customer ids of distinct subjects, taken from `candidates`.
    static func draw(
        _ count: Int, from candidates: [String], index: IdentityIndex, matchKey: SymmetricKey,
        normalizer: IdentifierNormalizer, seed: UInt64
    ) throws -> [String] {
        var generator = SeededGenerator(seed: seed)
        var shuffled = candidates
        shuffled.shuffle(using: &generator)
        var taken = Set<SubjectID>()
        var chosen: [String] = []
        chosen.reserveCapacity(count)
        for id in shuffled where chosen.count < count {
            // An id a bad row carried may not normalize; the store holds no one by it.
            guard let hash = try? normalizer.canonicalMatchHash(kind: .customerID, raw: id),
                let subject = index.subject(for: hash.pseudonym(matchKey: matchKey), kind: .customerID),
                taken.insert(subject).inserted
            else { continue }
            chosen.append(id)
        }
        guard chosen.count == count else {
            throw BenchError(
                code: .tooFewCustomers,
                message: "the store holds \(chosen.count) distinct customers among the candidate ids, fewer than "
                    + "the \(count) asked for")
        }
        return chosen
    }

    /// The distinct `customer_id` values of a customers file in the ingest's JSON Lines format, in file order.
    static func customerIDs(inFile path: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        let key = Array(#""customer_id":""#.utf8)
        var seen = Set<String>()
        var ids: [String] = []
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            let bytes = buffer.bindMemory(to: UInt8.self)
            var position = 0
            while let start = Self.find(key, in: bytes, from: position) {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\n") {
                    end += 1
                }
                // An id written with escapes is left out: the draw only needs ids the store certainly holds.
                if end < bytes.count, bytes[end] == UInt8(ascii: "\""),
                    !bytes[start..<end].contains(UInt8(ascii: "\\"))
                {
                    let id = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                    if seen.insert(id).inserted { ids.append(id) }
                }
                position = end
            }
        }
        return ids
    }

    /// The ids `cleanroom demo generate --customers N` gives its people (Sources/CleanRoomCLI/DemoPopulation.swift):
    /// `c-` and the person's number from 1, zero-padded to seven digits or the digits of `N`.
    static func demoCustomerIDs(people: Int) -> [String] {
        let width = max(7, String(people).count)
        return (1...max(1, people)).map { number in
            let digits = String(number)
            return "c-" + String(repeating: "0", count: width - digits.count) + digits
        }
    }

    /// Where `key` next starts in `bytes` at or after `position`, returning the offset just past it.
    private static func find(_ key: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from position: Int) -> Int? {
        guard let first = key.first, bytes.count >= key.count else { return nil }
        var offset = position
        let last = bytes.count - key.count
        while offset <= last {
            if bytes[offset] == first {
                var matched = 1
                while matched < key.count, bytes[offset + matched] == key[matched] { matched += 1 }
                if matched == key.count { return offset + key.count }
            }
            offset += 1
        }
        return nil
    }
}
