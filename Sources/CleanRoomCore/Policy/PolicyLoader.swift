import Foundation
import Yams

/// Loads and validates policy files (`policies/*.yaml`, format in `policies/README.md`).
///
/// A policy either loads completely or not at all: every problem is reported with its file, line and
/// column, and the caller fails closed.
public enum PolicyLoader {
    /// Reads, parses and validates the policy file at `path`.
    ///
    /// - Parameter path: The policy file; it also names the file in errors.
    /// - Returns: The validated policy.
    /// - Throws: ``PolicyError``, the first problem in the file, with the others in
    ///   ``PolicyError/additionalErrors``.
    public static func load(contentsOf path: String) throws(PolicyError) -> Policy {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason =
                FileManager.default.fileExists(atPath: path)
                ? "it exists but cannot be read; check its permissions"
                : "there is no such file; check the path"
            throw Self.fileError("cannot read the policy file: \(reason)", path)
        }
        guard var text = String(data: bytes, encoding: .utf8) else {
            throw Self.fileError("the policy file is not UTF-8 text; save it as UTF-8", path)
        }
        if text.hasPrefix("\u{FEFF}") {
            text.removeFirst()
        }
        return try Self.load(yaml: text, fileName: path)
    }

    /// Parses and validates policy text.
    ///
    /// - Parameters:
    ///   - yaml: The policy as YAML text.
    ///   - fileName: The name given to the text in errors, such as `policies/default.yaml`.
    /// - Returns: The validated policy.
    /// - Throws: ``PolicyError``, the first problem in the text, with the others in
    ///   ``PolicyError/additionalErrors``.
    public static func load(yaml: String, fileName: String) throws(PolicyError) -> Policy {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw Self.syntaxError(error, yaml: yaml, fileName: fileName)
        }
        guard let root else {
            throw PolicyError(
                code: .missingKey,
                message: "the policy is empty; start from policies/default.yaml",
                file: fileName,
                line: 0,
                column: 0
            )
        }
        let decoder = PolicyDecoder(file: fileName)
        if let policy = decoder.decodePolicy(root), decoder.problems.isEmpty {
            return policy
        }
        // Stable sort: problems at one place keep the order they were found in.
        let problems = decoder.problems.enumerated()
            .sorted {
                ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
            }
            .map(\.element)
        var first = problems[0]
        first.additionalErrors = Array(problems.dropFirst())
        throw first
    }

    private static func fileError(_ message: String, _ fileName: String) -> PolicyError {
        PolicyError(code: .unreadableFile, message: message, file: fileName, line: 0, column: 0)
    }

    private static func syntaxError(_ error: any Error, yaml: String, fileName: String) -> PolicyError {
        let hint = "; check the indentation (spaces only, no tabs), the ':' after each key and the quoting"
        switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let during = context.map { " (\($0.text) started on line \($0.mark.line))" } ?? ""
            return PolicyError(
                code: .yamlSyntax,
                message: "YAML syntax error: \(problem)\(during)\(hint)",
                file: fileName,
                line: mark.line,
                column: mark.column
            )
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return PolicyError(
                code: .duplicateKey,
                message: "the key \(keys) appears twice in one mapping; keep one",
                file: fileName,
                line: context.mark.line,
                column: context.mark.column
            )
        case .reader(let problem, let offset, _, _):
            let (line, column) = offset.map { Self.position(ofCharacter: $0, in: yaml) } ?? (0, 0)
            return PolicyError(
                code: .yamlSyntax,
                message: "YAML cannot read the text: \(problem); remove control characters",
                file: fileName,
                line: line,
                column: column
            )
        default:
            return PolicyError(code: .yamlSyntax, message: "YAML error: \(error)", file: fileName, line: 0, column: 0)
        }
    }

    /// The 1-based line and column (in Unicode scalars) of the character at `offset`.
    private static func position(ofCharacter offset: Int, in text: String) -> (Int, Int) {
        let end = text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex) ?? text.endIndex
        let prefix = text[..<end]
        let line = prefix.count(where: { $0.isNewline }) + 1
        let lineStart = prefix.lastIndex(where: { $0.isNewline }).map(prefix.index(after:)) ?? prefix.startIndex
        return (line, prefix[lineStart...].unicodeScalars.count + 1)
    }
}
