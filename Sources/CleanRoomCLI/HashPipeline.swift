import CleanRoomCore

/// What `cleanroom hash` does to each value (normalize, hash, encode), and the loop from a source to the output.
struct HashPipeline {
    /// Normalizes the values, reading national phone numbers in its default region.
    var normalizer: IdentifierNormalizer
    /// The kind of identifier every value is.
    var kind: IdentifierKind
    /// The e-mail profile, for e-mail addresses.
    var profile: EmailProfile
    /// The phone form, for phone numbers.
    var form: PhoneForm
    /// The text encoding of each hash.
    var encoding: HashEncoding
    /// Whether an empty or rejected value gives an empty line, so that output line N belongs to input row N.
    var keepsRows: Bool

    /// The encoded match hash of `raw`.
    func encodedHash(of raw: String) throws(IdentifierError) -> String {
        let normalized = try self.normalizer.normalize(
            kind: self.kind, raw: raw, profile: self.profile, form: self.form)
        let hash = MatchHash(normalized: normalized)
        switch self.encoding {
        case .hex: return hash.hex
        case .base64: return hash.base64
        }
    }

    /// Hashes every value of `source` into `output`, counting hashed, skipped (empty) and rejected values.
    func hash(_ source: inout some HashValueSource, into output: HashOutput, summary: inout HashSummary)
        throws(HashCommandError)
    {
        while let value = try source.next() {
            if let line = self.line(for: value, summary: &summary) {
                try output.write(line: line)
            }
        }
    }

    /// The output line of `value`, counted in `summary`: its hash; for an empty or rejected value, an empty line
    /// if rows are kept, else none.
    private func line(for value: HashInputValue, summary: inout HashSummary) -> String? {
        guard case .text(let raw) = value else {
            summary.reject(.invalidEncoding)
            return self.keepsRows ? "" : nil
        }
        do {
            let line = try self.encodedHash(of: raw)
            summary.hashed += 1
            return line
        } catch where error.code == .empty {
            summary.skipped += 1
        } catch {
            summary.reject(error.code)
        }
        return self.keepsRows ? "" : nil
    }
}
