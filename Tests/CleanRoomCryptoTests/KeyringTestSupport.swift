import Foundation

/// Runs `body` with the path of a `keys` directory (not yet created) inside a fresh temporary directory,
/// and removes everything afterwards.
func withTemporaryKeysDirectory<Result>(_ body: (String) throws -> Result) throws -> Result {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("cleanroom-keyring-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    return try body(root.appendingPathComponent("keys").path)
}

/// The permission bits of the file or directory at `path`.
func permissions(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

func setPermissions(_ path: String, _ mode: Int) throws {
    try FileManager.default.setAttributes([.posixPermissions: NSNumber(value: mode)], ofItemAtPath: path)
}

func contents(_ path: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: path))
}

/// Replaces the file at `path` with `text`, keeping mode 0600.
func overwrite(_ path: String, with text: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    try setPermissions(path, 0o600)
}

/// The file names in a keyring, as created.
enum KeyringFiles {
    static let all = ["kek-v1.key", "match.key", "audit-ed25519.key", "audit-ed25519.pub"]
}
