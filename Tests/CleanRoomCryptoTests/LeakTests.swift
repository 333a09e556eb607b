import CleanRoomCrypto
import Foundation
import Testing

/// Runs a million mixed operations and checks that resident memory stays flat: every OpenSSL context
/// and key allocated per call, on the success and the failure paths alike, must be freed again.
struct LeakTests {
    /// The resident set size of this process in bytes, from `/proc/self/statm` (Linux).
    static func residentBytes() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        let fields = statm.split(separator: " ")
        let pages = try #require(fields.count > 1 ? Int(fields[1]) : nil)
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/statm")))
    func millionMixedOperationsKeepResidentMemoryFlat() throws {
        let key = try SymmetricKey.generate()
        let signingKey = try Ed25519PrivateKey.generate()
        let authenticator = HMACSHA256.Authenticator(key: key)
        let context = Array("subject-context".utf8)
        let message = Array("a short identifier".utf8)
        let box = try AES256GCM.seal(message, key: key, authenticating: context)
        var tampered = box.combined
        tampered[20] ^= 0x01
        let tamperedBox = try AES256GCM.SealedBox(combined: tampered)

        let operationCount = 1_000_000
        var baseline = 0
        // Folding every result into a checksum keeps the work from being optimised away.
        var checksum: UInt8 = 0
        var failures = 0
        for index in 0..<operationCount {
            if index == operationCount / 10 {
                baseline = try Self.residentBytes()
            }
            switch index % 5 {
            case 0 where index % 2 == 0:
                checksum ^= HMACSHA256.authenticationCode(for: message, key: key)[0]
            case 0:
                checksum ^= authenticator.authenticationCode(for: message)[0]
            case 1:
                checksum ^= try AES256GCM.seal(message, key: key, authenticating: context).tag[0]
            case 2:
                checksum ^= try AES256GCM.open(box, key: key, authenticating: context)[0]
            case 3:
                do {
                    _ = try AES256GCM.open(tamperedBox, key: key, authenticating: context)
                } catch {
                    failures += 1
                }
            default:
                checksum ^= try HKDFSHA256.deriveKey(inputKeyMaterial: message, info: context, outputByteCount: 32)[0]
            }
            if index % 100 == 0 {
                let signature = try signingKey.signature(for: message)
                #expect(signingKey.publicKey.isValidSignature(signature, for: message))
                var hasher = SHA256Hasher()
                hasher.update(message)
                checksum ^= hasher.finalize()[0]
            }
        }
        let growth = try Self.residentBytes() - baseline
        #expect(failures == operationCount / 5)
        #expect(growth < 4 << 20, "resident memory grew by \(growth) bytes over 900,000 operations (\(checksum))")
    }
}
