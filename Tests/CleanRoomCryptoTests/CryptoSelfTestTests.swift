@testable import CleanRoomCrypto
import Testing

extension KnownAnswerTest: CustomTestStringConvertible {
    var testDescription: String { self.name }
}

struct CryptoSelfTestTests {
    @Test func passesWithThisOpenSSL() throws {
        try CryptoSelfTest.run()
    }

    @Test func coversEveryPrimitive() {
        let names = KnownAnswerTest.all.map(\.name)
        for primitive in ["SHA-256", "HMAC-SHA256", "HKDF-SHA256", "AES-256-GCM", "Ed25519"] {
            #expect(names.contains { $0.hasPrefix(primitive + " ") }, "no known-answer test for \(primitive)")
        }
    }

    @Test(arguments: KnownAnswerTest.all)
    func aWrongResultFailsNamingTheTest(_ test: KnownAnswerTest) {
        #expect(throws: Never.self) { try test.verify() }
        var spoiled = test
        // Change the last hexadecimal digit of the published output.
        spoiled.expected = String(test.expected.dropLast()) + (test.expected.hasSuffix("0") ? "1" : "0")
        let error = #expect(throws: CryptoError.self) { try spoiled.verify() }
        #expect(error?.code == .selfTestFailure)
        #expect(error?.message.contains("the \(test.name) known-answer test gave a wrong result") == true)
        #expect(error?.message.contains("OpenSSL 3.") == true)
    }

    @Test func aFailingComputationFailsNamingTheTest() {
        let test = KnownAnswerTest(name: "AES-256-GCM (broken)", expected: "00") {
            throw CryptoError(code: .authenticationFailure, message: "AES-256-GCM authentication failed")
        }
        let error = #expect(throws: CryptoError.self) { try test.verify() }
        #expect(error?.code == .selfTestFailure)
        #expect(
            error?.message
                == "the AES-256-GCM (broken) known-answer test failed: "
                + "authentication_failure: AES-256-GCM authentication failed"
        )
    }

    /// Each algorithm the module fetches, replaced by a name no provider knows.
    enum MissingAlgorithm: String, CaseIterable, Sendable {
        case sha256 = "SHA-256", hmac = "HMAC-SHA256", hkdf = "HKDF", aes256GCM = "AES-256-GCM", ed25519 = "Ed25519"

        var names: FetchedAlgorithms.Names {
            var names = FetchedAlgorithms.Names()
            let unknown = "CLEANROOM-NO-SUCH-ALGORITHM"
            switch self {
            case .sha256: names.sha256 = unknown
            case .hmac: names.hmac = unknown
            case .hkdf: names.hkdf = unknown
            case .aes256GCM: names.aes256GCM = unknown
            case .ed25519: names.ed25519 = unknown
            }
            return names
        }
    }

    @Test(arguments: MissingAlgorithm.allCases)
    func aMissingAlgorithmThrowsNamingItAndTheConfiguration(_ missing: MissingAlgorithm) {
        let algorithms = FetchedAlgorithms(names: missing.names)
        // HMAC-SHA256 needs SHA-256, so a missing SHA-256 takes HMAC-SHA256 with it.
        let expected = missing == .sha256 ? ["SHA-256", "HMAC-SHA256"] : [missing.rawValue]
        #expect(algorithms.unavailableAlgorithms == expected)
        let error = #expect(throws: CryptoError.self) { try CryptoSelfTest.requireAvailable(algorithms) }
        #expect(error?.code == .algorithmUnavailable)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("no active OpenSSL provider offers \(expected.joined(separator: ", ")); "))
        #expect(message.contains("OPENSSL_CONF"))
        #expect(message.contains(".cnf"))
        #expect(message.contains("openssl list -providers"))
    }

    @Test func theThrowingEntryPointsReportAMissingAlgorithm() {
        var names = FetchedAlgorithms.Names()
        names.aes256GCM = "CLEANROOM-NO-SUCH-CIPHER"
        names.hkdf = "CLEANROOM-NO-SUCH-KDF"
        let algorithms = FetchedAlgorithms(names: names)
        let cipherError = #expect(throws: CryptoError.self) { try algorithms.requireAES256GCM() }
        #expect(cipherError?.code == .algorithmUnavailable)
        #expect(cipherError?.message.contains("AES-256-GCM") == true)
        let kdfError = #expect(throws: CryptoError.self) { try algorithms.requireHKDF() }
        #expect(kdfError?.code == .algorithmUnavailable)
        #expect(kdfError?.message.contains("HKDF") == true)
    }

    @Test func theSharedAlgorithmsAreAllThere() {
        #expect(FetchedAlgorithms.shared.unavailableAlgorithms.isEmpty)
    }
}
