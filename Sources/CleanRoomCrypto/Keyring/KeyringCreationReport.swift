/// What ``Keyring/create(in:)`` did: which files it created and which it found already present.
public struct KeyringCreationReport: Sendable, Equatable, CustomStringConvertible {
    /// The keys directory.
    public let directory: String
    /// Whether the directory itself was created.
    public internal(set) var createdDirectory = false
    /// The names of the key files created, in creation order.
    public internal(set) var createdFiles: [String] = []
    /// The names of the key files that already existed and were left untouched.
    public internal(set) var existingFiles: [String] = []

    init(directory: String) {
        self.directory = directory
    }

    mutating func record(_ name: String, created: Bool) {
        if created {
            self.createdFiles.append(name)
        } else {
            self.existingFiles.append(name)
        }
    }

    /// A summary for people, for example `keys: created kek-v1.key, match.key; already present: none`.
    public var description: String {
        let created = self.createdFiles.isEmpty ? "none" : self.createdFiles.joined(separator: ", ")
        let existing = self.existingFiles.isEmpty ? "none" : self.existingFiles.joined(separator: ", ")
        let directory = self.createdDirectory ? "created directory \(self.directory)" : "directory \(self.directory)"
        return "\(directory); created: \(created); already present: \(existing)"
    }
}
