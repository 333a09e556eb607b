// CleanRoom's identifier benchmarks: the work the ingestion gateway does per identifier, on the same
// inputs as the Python peer (Benchmarks/peers/identifiers_peer.py). Usage: cleanroom-bench INPUT_DIR RUNS
// Prints one JSON object per benchmark, read by Benchmarks/peers/table.py.
import CleanRoomCore
import CleanRoomCrypto
import Foundation

/// The same match key the peer uses: bytes 0, 1, …, 31.
let matchKey = HMACSHA256.Authenticator(key: (0..<32).map { UInt8($0) })

/// XOR of the first 8 bytes (big-endian) of every pseudonym: equal on both sides when both computed the
/// same pseudonyms.
func fold(_ accumulator: inout UInt64, _ pseudonym: Pseudonym) {
    accumulator ^= pseudonym.bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
}

func benchmarkEmails(_ lines: [String], _ normalizer: IdentifierNormalizer) -> UInt64 {
    var accumulator: UInt64 = 0
    for line in lines {
        guard let hashes = try? normalizer.matchHashes(kind: .email, raw: line) else { continue }
        for entry in hashes {
            fold(&accumulator, entry.hash.pseudonym(using: matchKey))
        }
    }
    return accumulator
}

func benchmarkPhones(_ rows: [(region: String, number: String)], _ normalizer: IdentifierNormalizer) -> UInt64 {
    var accumulator: UInt64 = 0
    for row in rows {
        guard let hashes = try? normalizer.matchHashes(kind: .phone, raw: row.number, region: row.region) else {
            continue
        }
        for entry in hashes {
            fold(&accumulator, entry.hash.pseudonym(using: matchKey))
        }
    }
    return accumulator
}

func benchmarkSeal(_ lines: [String], _ key: DataKey) -> UInt64 {
    let context = Array("subject".utf8)
    var total: UInt64 = 0
    for line in lines {
        guard let sealed = try? key.seal(Array(line.utf8), context: context) else { continue }
        // The ciphertext alone, without nonce and tag: what the peer counts too.
        total += UInt64(sealed.count - AES256GCM.nonceByteCount - AES256GCM.tagByteCount)
    }
    return total
}

/// Runs `body` `runs` times and prints the median time per value.
func measure(_ name: String, count: Int, runs: Int, _ body: () -> UInt64) {
    var samples: [Double] = []
    var checksum: UInt64 = 0
    for _ in 0..<runs {
        let start = ContinuousClock.now
        checksum = body()
        let elapsed = ContinuousClock.now - start
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        samples.append(nanoseconds / Double(count))
    }
    samples.sort()
    let median = samples.count % 2 == 1
        ? samples[samples.count / 2] : (samples[samples.count / 2 - 1] + samples[samples.count / 2]) / 2
    let row: [String: Any] = [
        "name": name, "peer": "cleanroom", "ops": count, "median_ns_per_op": median, "checksum": checksum,
    ]
    let json = try! JSONSerialization.data(withJSONObject: row, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}

func readLines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
        .map(String.init)
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let runs = Int(arguments[2]), runs > 0 else {
    FileHandle.standardError.write(Data("usage: cleanroom-bench INPUT_DIR RUNS\n".utf8))
    exit(2)
}
let inputs = URL(fileURLWithPath: arguments[1])
let emails = try readLines(inputs.appendingPathComponent("emails.txt").path)
let phones = try readLines(inputs.appendingPathComponent("phones.tsv").path).map { line in
    let fields = line.split(separator: "\t", maxSplits: 1)
    return (region: String(fields[0]), number: String(fields[1]))
}
let normalizer = try IdentifierNormalizer()
let dataKey = try DataKey.generate()

measure("email: normalize 4 profiles + SHA-256 + HMAC", count: emails.count, runs: runs) {
    benchmarkEmails(emails, normalizer)
}
measure("phone: parse + validate + 2 forms + SHA-256 + HMAC", count: phones.count, runs: runs) {
    benchmarkPhones(phones, normalizer)
}
measure("seal: AES-256-GCM of an e-mail, fresh nonce", count: emails.count, runs: runs) {
    benchmarkSeal(emails, dataKey)
}
