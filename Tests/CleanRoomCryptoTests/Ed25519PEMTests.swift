import CleanRoomCrypto
import Foundation
import Testing

/// SubjectPublicKeyInfo PEM for Ed25519 public keys, checked against the `openssl` command-line tool.
struct Ed25519PEMTests {
    /// RFC 8032 section 7.1 TEST 1 public key in PEM: the fixed RFC 8410 prefix `302a300506032b6570032100`
    /// followed by the key, in Base64.
    static let rfc8032Test1PublicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    static let rfc8032Test1PEM = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
        -----END PUBLIC KEY-----

        """

    @Test func knownKeyGivesTheRFC8410Encoding() throws {
        let key = try Ed25519PublicKey(rawRepresentation: bytes(Self.rfc8032Test1PublicKey))
        #expect(key.pemRepresentation == Self.rfc8032Test1PEM)
        #expect(try Ed25519PublicKey(pemRepresentation: Self.rfc8032Test1PEM) == key)
    }

    @Test func roundTripsGeneratedKeys() throws {
        for _ in 0..<20 {
            let key = try Ed25519PrivateKey.generate().publicKey
            let decoded = try Ed25519PublicKey(pemRepresentation: key.pemRepresentation)
            #expect(decoded == key)
            #expect(decoded.rawRepresentation == key.rawRepresentation)
        }
    }

    @Test func acceptsSurroundingWhiteSpace() throws {
        let key = try Ed25519PublicKey(pemRepresentation: "\n  " + Self.rfc8032Test1PEM + "\r\n\n")
        #expect(key.rawRepresentation == bytes(Self.rfc8032Test1PublicKey))
    }

    @Test(arguments: [
        "",
        "not a key",
        "junk\n" + rfc8032Test1PEM,
        rfc8032Test1PEM + "junk\n",
        rfc8032Test1PEM + rfc8032Test1PEM,
        rfc8032Test1PEM.replacingOccurrences(of: "MCow", with: "MCox"),
        rfc8032Test1PEM.replacingOccurrences(of: "URo=", with: "UR=="),
        rfc8032Test1PEM.replacingOccurrences(of: "PUBLIC KEY", with: "PRIVATE KEY"),
    ])
    func rejectsMalformedText(_ text: String) {
        let error = #expect(throws: CryptoError.self) { try Ed25519PublicKey(pemRepresentation: text) }
        #expect(error?.code == .invalidKey)
    }

    @Test func opensslAcceptsOurPEMAndVerifiesOurSignature() throws {
        try withTemporaryDirectory { directory in
            let privateKey = try Ed25519PrivateKey.generate()
            let message = Array("a message signed by CleanRoom\n".utf8)
            try Data(privateKey.publicKey.pemRepresentation.utf8).write(to: directory.appending(path: "pub.pem"))
            try Data(message).write(to: directory.appending(path: "msg"))
            try Data(privateKey.signature(for: message)).write(to: directory.appending(path: "sig"))

            let check = try runOpenSSL(["pkey", "-pubin", "-in", "pub.pem", "-noout"], in: directory)
            #expect(check.status == 0, "openssl pkey refused the PEM: \(check.output)")

            let verify = [
                "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "msg", "-sigfile", "sig",
            ]
            let verified = try runOpenSSL(verify, in: directory)
            #expect(verified.status == 0)
            #expect(verified.output.contains("Signature Verified Successfully"))

            try Data("a message signed by CleanRoom?\n".utf8).write(to: directory.appending(path: "msg"))
            let tampered = try runOpenSSL(verify, in: directory)
            #expect(tampered.status != 0)
            #expect(tampered.output.contains("Signature Verification Failure"))
        }
    }

    @Test func readsTheKeysOpenSSLWrites() throws {
        try withTemporaryDirectory { directory in
            let generate = try runOpenSSL(["genpkey", "-algorithm", "ed25519", "-out", "key.pem"], in: directory)
            try #require(generate.status == 0, "\(generate.output)")
            let export = try runOpenSSL(["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"], in: directory)
            try #require(export.status == 0, "\(export.output)")
            let der = try runOpenSSL(
                ["pkey", "-pubin", "-in", "pub.pem", "-outform", "DER", "-out", "pub.der"], in: directory
            )
            try #require(der.status == 0, "\(der.output)")

            let pem = try String(contentsOf: directory.appending(path: "pub.pem"), encoding: .utf8)
            let key = try Ed25519PublicKey(pemRepresentation: pem)
            // An Ed25519 SubjectPublicKeyInfo ends with the 32-byte key.
            let spki = try [UInt8](Data(contentsOf: directory.appending(path: "pub.der")))
            #expect(key.rawRepresentation == Array(spki.suffix(Ed25519PublicKey.byteCount)))
            #expect(key.pemRepresentation == pem)
        }
    }

    @Test(arguments: ["X25519", "ed448"])
    func rejectsOtherAlgorithms(_ algorithm: String) throws {
        try withTemporaryDirectory { directory in
            let generate = try runOpenSSL(["genpkey", "-algorithm", algorithm, "-out", "key.pem"], in: directory)
            try #require(generate.status == 0, "\(generate.output)")
            let export = try runOpenSSL(["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"], in: directory)
            try #require(export.status == 0, "\(export.output)")
            let pem = try String(contentsOf: directory.appending(path: "pub.pem"), encoding: .utf8)
            let error = #expect(throws: CryptoError.self) { try Ed25519PublicKey(pemRepresentation: pem) }
            #expect(error?.code == .invalidKey)
        }
    }

    @Test func rejectsAPrivateKeyPEM() throws {
        try withTemporaryDirectory { directory in
            let generate = try runOpenSSL(["genpkey", "-algorithm", "ed25519", "-out", "key.pem"], in: directory)
            try #require(generate.status == 0, "\(generate.output)")
            let pem = try String(contentsOf: directory.appending(path: "key.pem"), encoding: .utf8)
            let error = #expect(throws: CryptoError.self) { try Ed25519PublicKey(pemRepresentation: pem) }
            #expect(error?.code == .invalidKey)
        }
    }

    /// The exit status and the combined standard output and error of one `/usr/bin/openssl` run.
    private struct ProcessResult {
        var status: Int32
        var output: String
    }

    private func runOpenSSL(_ arguments: [String], in directory: URL) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }

    private func withTemporaryDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "cleanroom-pem-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }
}
