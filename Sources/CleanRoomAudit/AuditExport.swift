public import CleanRoomCrypto
import Foundation

/// A copy of the audit log for an outside auditor, verifiable without CleanRoom.
///
/// The export folder holds the segment files, every checkpoint, the log's public key as PEM
/// (`audit-ed25519.pem`), a `README.md` explaining the format, and `verify.sh`, which checks every leaf hash,
/// the sequence, the Merkle root at every checkpoint and every checkpoint's signature with `bash`, `sha256sum`,
/// `openssl`, `base64`, `od`, `sed` and `awk` only.
public enum AuditExport {
    /// Verifies the log in `directory`, then writes the export to the new folder `destination`.
    ///
    /// - Throws: ``AuditError`` when the log does not verify (nothing is exported) or the folder exists or
    ///   cannot be written.
    public static func write(
        from directory: String, to destination: String, publicKey: Ed25519PublicKey, origin: String
    ) throws -> AuditVerifier.Summary {
        let summary = try AuditVerifier.verify(directory: directory, publicKey: publicKey, origin: origin)
        let manager = FileManager.default
        guard !manager.fileExists(atPath: destination) else {
            throw AuditError(code: .writeFailed, message: "\(destination) exists; export into a new folder")
        }
        let source = AuditFiles(directory: directory)
        let target = AuditFiles(directory: destination)
        do {
            try target.createDirectories()
            for first in try source.segments() {
                try manager.copyItem(
                    atPath: source.segmentPath(firstSequence: first), toPath: target.segmentPath(firstSequence: first))
            }
            for size in try source.checkpointSizes() {
                try manager.copyItem(atPath: source.checkpointPath(size: size), toPath: target.checkpointPath(size: size))
            }
            if manager.fileExists(atPath: source.latestCheckpoint) {
                try manager.copyItem(atPath: source.latestCheckpoint, toPath: target.latestCheckpoint)
            }
            try Data(publicKey.pemRepresentation.utf8).write(to: URL(fileURLWithPath: destination + "/audit-ed25519.pem"))
            try Data(AuditExportScript.readme(origin: origin).utf8).write(to: URL(fileURLWithPath: destination + "/README.md"))
            let script = destination + "/verify.sh"
            try Data(AuditExportScript.verify.utf8).write(to: URL(fileURLWithPath: script))
            try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        } catch let error as AuditError {
            throw error
        } catch {
            throw AuditError(code: .writeFailed, message: "cannot write the export to \(destination): \(error)")
        }
        return summary
    }
}
