public import CleanRoomCrypto

/// Signed checkpoints: a ``Checkpoint`` as the text of a ``SignedNote`` (c2sp.org/tlog-checkpoint), the form
/// transparency-log tools (Go's `sumdb/note` and `sumdb/tlog`, the transparency-dev witnesses) read:
///
/// ```
/// cleanroom.example/audit
/// 1042
/// 0HdbJZtSlpGHbnLbzrpuvwHXnf+cLH0c9uTvsCgQIno=
/// time 2026-11-25T18:00:00Z
///
/// — cleanroom.example/audit <base64(4-byte key ID ‖ 64-byte Ed25519 signature)>
/// ```
///
/// The key name should be the checkpoint's origin, as the specification recommends.
///
/// ## Checking a checkpoint with openssl alone
///
/// An auditor holding a checkpoint file `checkpoint` and CleanRoom's public key `pub.pem` (see
/// `Ed25519PublicKey.pemRepresentation`) checks the signature with `sed`, `head`, `base64`, `tail` and
/// OpenSSL 3:
///
/// ```sh
/// sed '/^$/,$d' checkpoint > checkpoint.text
/// sed '1,/^$/d' checkpoint > checkpoint.sigs
/// sed -n 's|^— cleanroom.example/audit ||p' checkpoint.sigs | head -n 1 | base64 -d | tail -c 64 > checkpoint.sig
/// openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in checkpoint.text -sigfile checkpoint.sig
/// ```
///
/// The first command keeps the lines before the blank line: the signed text (a checkpoint has no empty
/// line). The second keeps the signature lines after it. The third takes the first signature line of the
/// key name `cleanroom.example/audit`, decodes its Base64, and keeps the last 64 bytes, dropping the 4-byte
/// key ID. The fourth prints
/// `Signature Verified Successfully` and exits with 0 when the key signed exactly `checkpoint.text`, and
/// prints `Signature Verification Failure` and exits with 1 otherwise. Only then does `checkpoint.text`
/// (origin, tree size, Base64 root hash, `time` line) count.
public enum SignedCheckpoint {
    /// Signs `checkpoint` with `key` under the key name `name` (normally the origin), and returns the signed
    /// note text to store or publish.
    ///
    /// - Throws: ``SignedNoteError/Code/invalidKeyName`` for a bad name, ``SignedNoteError/Code/malformedText``
    ///   when a line of the checkpoint starts with an em dash, and ``CryptoError`` when signing fails.
    public static func sign(checkpoint: Checkpoint, name: String, key: Ed25519PrivateKey) throws -> String {
        try SignedNote.sign(text: checkpoint.text, name: name, key: key)
    }

    /// Verifies a signed checkpoint with `verifier` and returns the checkpoint it holds.
    ///
    /// The text is read only once the signature verifies.
    ///
    /// - Parameters:
    ///   - noteText: the signed note, as ``sign(checkpoint:name:key:)`` gives it.
    ///   - verifier: the trusted key.
    ///   - origin: the log the caller expects; when given, a checkpoint of another log is refused.
    /// - Throws: ``SignedNoteError`` when the note is malformed or not signed by `verifier`'s key (see
    ///   ``SignedNote/open(note:verifier:)``), ``CheckpointError`` when the signed text is not a well-formed
    ///   checkpoint or its origin is not `origin`.
    public static func open(
        _ noteText: String,
        verifier: NoteVerifier,
        origin: String? = nil
    ) throws -> Checkpoint {
        let checkpoint = try Checkpoint(text: SignedNote.open(note: noteText, verifier: verifier))
        if let origin, checkpoint.origin != origin {
            throw CheckpointError(
                code: .originMismatch,
                message: "the checkpoint is of the log '\(checkpoint.origin)', not of '\(origin)'"
            )
        }
        return checkpoint
    }
}
