/// What ``Keyring/create(in:)`` did: which files it created and which it found already present.
public struct KeyringCreationReport: Sendable, Equatable, CustomStringConvertible {
    /// The keys directory.
    public let directory: String
    /// Whether the directory itself was created.
    public internal(set) var createdDirectory = false
    /// Whether an existing directory that held no key yet was tightened to mode 0700.
    public internal(set) var tightenedDirectory = false
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
        let directory =
            if self.createdDirectory {
                "created directory \(self.directory)"
            } else if self.tightenedDirectory {
                "directory \(self.directory) (mode tightened to 0700)"
            } else {
                "directory \(self.directory)"
            }
        return "\(directory); created: \(created); already present: \(existing)"
    }
}
