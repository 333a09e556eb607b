import CleanRoomCrypto
import Foundation
import Testing

/// Runs every operation of the module, on its success and its failure paths, over a million times in all,
/// and checks that resident memory stays flat: every OpenSSL context and key allocated per call must be
/// freed again.
///
/// The work runs in rounds that each do a share of every kind. A leak grows memory in every round by
/// about the same amount; other suites, running in parallel in the same process, grow it only in some
/// (by megabytes in a full `swift test`). So the median growth of a round, times the number of rounds,
/// estimates the leak. Alone it is 0; leaving out one `free` gives 10 to 80 MiB (tried with the
/// `EVP_MD_CTX` of a signature check, 20,000 calls, about 540 bytes a call; the `EVP_PKEY` of a key;
/// and `SHA256Hasher`'s context), against a limit of 1 MiB.
///
/// Process memory is shared by every suite, and a full parallel `swift test` on two cores still disturbed the
/// estimate now and then; so the check runs alone, in its own `swift test` process, when
/// `CLEANROOM_LEAK_CHECK=1` is set, as `make test` (and so CI) does after the main run.
struct LeakTests {
    static let isRequested = ProcessInfo.processInfo.environment["CLEANROOM_LEAK_CHECK"] == "1"

    /// One kind of operation: how often it runs in all, and one call of it, returning a byte of its result
    /// so that the work cannot be optimised away. A call on a failure path returns 1 when it failed as it
    /// should.
    struct Workload {
        var name: String
        var count: Int
        var isFailurePath = false
        var call: () throws -> UInt8
    }

    static let warmUpRounds = 1
    static let measuredRounds = 16
    static let limit = 1 << 20

    /// The resident set size of this process in bytes, from `/proc/self/statm` (Linux).
    static func residentBytes() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        let fields = statm.split(separator: " ")
        let pages = try #require(fields.count > 1 ? Int(fields[1]) : nil)
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test(
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/statm")),
        .enabled(if: Self.isRequested, "runs alone: CLEANROOM_LEAK_CHECK=1 swift test --filter LeakTests")
    )
    func everyOperationKeepsResidentMemoryFlat() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            let workloads = try Self.workloads(keyring: Keyring.open(in: directory))
            let rounds = Self.warmUpRounds + Self.measuredRounds
            let operationCount = workloads.map { $0.count / rounds * rounds }.reduce(0, +)
            #expect(operationCount >= 1_000_000)

            var checksum: UInt8 = 0
            var failures = 0
            var samples: [Int] = []
            for round in 0..<rounds {
                for workload in workloads {
                    for _ in 0..<workload.count / rounds {
                        let byte = try workload.call()
                        if workload.isFailurePath {
                            failures += Int(byte)
                        } else {
                            checksum ^= byte
                        }
                    }
                }
                if round >= Self.warmUpRounds - 1 {
                    samples.append(try Self.residentBytes())
                }
            }

            let expectedFailures = workloads.filter(\.isFailurePath).map { $0.count / rounds * rounds }
            #expect(failures == expectedFailures.reduce(0, +))
            let growths = zip(samples.dropFirst(), samples).map { $0 - $1 }.sorted()
            let estimate = growths[growths.count / 2] * Self.measuredRounds
            #expect(
                estimate < Self.limit,
                """
                resident memory grew by about \(estimate) bytes over \(operationCount) operations (rounds grew by \
                \(growths) bytes; total \(samples[samples.count - 1] - samples[0]); checksum \(checksum))
                """
            )
        }
    }

    /// Every operation, each often enough that one OpenSSL context or key leaked per call shows.
    static func workloads(keyring: Keyring) throws -> [Workload] {
        let key = try SymmetricKey.generate()
        let authenticator = HMACSHA256.Authenticator(key: key)
        let context = Array("subject-context".utf8)
        let message = Array("a short identifier".utf8)
        let box = try AES256GCM.seal(message, key: key, authenticating: context)
        var tamperedBytes = box.combined
        tamperedBytes[20] ^= 0x01
        let tamperedBox = try AES256GCM.SealedBox(combined: tamperedBytes)
        let dataKey = try DataKey.generate()
        let sealed = try dataKey.seal(message, context: context)
        let wrapped = try keyring.wrap(dataKey, context: context)
        let signingKey = try Ed25519PrivateKey.generate()
        let signature = try signingKey.signature(for: message)
        var forgedSignature = signature
        forgedSignature[5] ^= 0x01

        /// A call that must fail with `code`: 1 when it does, 0 when it succeeds.
        func failing(_ code: CryptoError.Code, _ body: @escaping () throws -> Void) -> () throws -> UInt8 {
            {
                do {
                    try body()
                    return 0
                } catch let error as CryptoError where error.code == code {
                    return 1
                }
            }
        }

        return [
            Workload(name: "SHA-256", count: 150_000) { SHA256.hash(message)[0] },
            Workload(name: "SHA-256 incremental, forked", count: 100_000) {
                var hasher = SHA256Hasher()
                hasher.update(message)
                var fork = hasher
                fork.update(context)
                return hasher.finalize()[0] ^ fork.finalize()[0]
            },
            Workload(name: "HMAC-SHA256", count: 100_000) {
                HMACSHA256.authenticationCode(for: message, key: key)[0]
            },
            Workload(name: "HMAC-SHA256 authenticator", count: 150_000) {
                authenticator.authenticationCode(for: message)[0]
            },
            Workload(name: "HKDF-SHA256", count: 100_000) {
                try HKDFSHA256.deriveKey(inputKeyMaterial: message, info: context, outputByteCount: 32)[0]
            },
            Workload(name: "random key", count: 50_000) {
                var first: UInt8 = 0
                try SymmetricKey.generate().withUnsafeBytes { first = $0[0] }
                return first
            },
            Workload(name: "AES-256-GCM seal", count: 100_000) {
                try AES256GCM.seal(message, key: key, authenticating: context).tag[0]
            },
            Workload(name: "AES-256-GCM open", count: 100_000) {
                try AES256GCM.open(box, key: key, authenticating: context)[0]
            },
            Workload(
                name: "AES-256-GCM open of altered data", count: 50_000, isFailurePath: true,
                call: failing(.authenticationFailure) {
                    _ = try AES256GCM.open(tamperedBox, key: key, authenticating: context)
                }
            ),
            Workload(name: "data key seal", count: 50_000) { try dataKey.seal(message, context: context)[0] },
            Workload(name: "data key open", count: 50_000) { try dataKey.open(sealed, context: context)[0] },
            Workload(name: "keyring wrap", count: 20_000) { try keyring.wrap(dataKey, context: context).sealed[0] },
            Workload(name: "keyring unwrap", count: 20_000) {
                try keyring.unwrap(wrapped, context: context) == dataKey ? 1 : 0
            },
            Workload(
                name: "keyring unwrap in another context", count: 10_000, isFailurePath: true,
                call: failing(.authenticationFailure) { _ = try keyring.unwrap(wrapped, context: message) }
            ),
            Workload(name: "Ed25519 sign", count: 10_000) { try signingKey.signature(for: message)[0] },
            Workload(name: "Ed25519 verify", count: 10_000) {
                signingKey.publicKey.isValidSignature(signature, for: message) ? 1 : 0
            },
            Workload(name: "Ed25519 verify of a forged signature", count: 10_000, isFailurePath: true) {
                signingKey.publicKey.isValidSignature(forgedSignature, for: message) ? 0 : 1
            },
            Workload(name: "Ed25519 private key parse", count: 10_000) {
                try Ed25519PrivateKey(rawRepresentation: signingKey.rawRepresentation).publicKey.rawRepresentation[0]
            },
            Workload(name: "Ed25519 public key parse", count: 20_000) {
                try Ed25519PublicKey(rawRepresentation: signingKey.publicKey.rawRepresentation).rawRepresentation[0]
            },
            Workload(name: "Ed25519 generate", count: 10_000) {
                try Ed25519PrivateKey.generate().rawRepresentation[0]
            },
        ]
    }
}
