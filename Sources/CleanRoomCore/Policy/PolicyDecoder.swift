import Yams

/// Reads a composed YAML tree into a ``Policy``, collecting every problem instead of stopping at the first.
///
/// The readers report a problem and return `nil`; the section readers go on with what they have, so one
/// run finds every independent problem. References to a section that itself failed are not checked, so one
/// mistake does not cascade into many.
final class PolicyDecoder {
    /// A YAML mapping whose keys were checked against the keys the policy format allows.
    struct Table {
        /// Where the mapping starts.
        let node: Node
        /// What the mapping is, for messages: `principal 'publisher-a'`, `'privacy'`.
        let context: String
        /// The known keys present, with their key and value nodes.
        let entries: [String: (key: Node, value: Node)]
        /// The unknown keys present (reported already).
        let unknownKeys: [String]

        /// How messages name the value under `key`: `'k' of 'privacy'`, or `'version'` at the top level.
        func field(_ key: String) -> String {
            self.context == PolicyDecoder.topLevel ? "'\(key)'" : "'\(key)' of \(self.context)"
        }
    }

    /// The context of the top-level mapping.
    static let topLevel = "the policy"

    /// The policy file name, for error messages.
    let file: String
    /// The problems found so far, in the order found.
    private(set) var problems: [PolicyError] = []
    /// The names each readable list of named entries declares, by entity (`purpose`, `attribute`, ...),
    /// including entries that failed otherwise, so references to them are not reported as unknown.
    private(set) var declared: [String: [String]] = [:]

    init(file: String) {
        self.file = file
    }

    // MARK: - Reporting

    func report(_ code: PolicyError.Code, _ message: String, at node: Node?) {
        self.problems.append(
            PolicyError(
                code: code,
                message: message,
                file: self.file,
                line: node?.mark?.line ?? 0,
                column: node?.mark?.column ?? 0
            )
        )
    }

    // MARK: - Structure

    /// The mapping `node` as a table of the allowed `keys`; reports keys outside them.
    func table(_ node: Node, _ context: String, keys: [String]) -> Table? {
        guard case .mapping(let mapping) = node else {
            self.report(.wrongType, "\(context) must be a mapping of keys to values, not \(node.kindName)", at: node)
            return nil
        }
        var entries: [String: (key: Node, value: Node)] = [:]
        var unknownKeys: [String] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                self.report(.wrongType, "a key in \(context) must be plain text, not \(key.kindName)", at: key)
                continue
            }
            guard keys.contains(scalar.string) else {
                let hint = Self.closest(to: scalar.string, in: keys).map { "did you mean '\($0)'? " } ?? ""
                self.report(
                    .unknownKey,
                    "unknown key '\(scalar.string)' in \(context); \(hint)known keys: \(keys.joined(separator: ", "))",
                    at: key
                )
                unknownKeys.append(scalar.string)
                continue
            }
            entries[scalar.string] = (key, value)
        }
        return Table(node: node, context: context, entries: entries, unknownKeys: unknownKeys)
    }

    /// The value under `key`, read by `read`; reports a missing key or an empty value.
    func required<T>(
        _ table: Table,
        _ key: String,
        hint: String = "",
        _ read: (Node, String) -> T?
    ) -> T? {
        guard let entry = table.entries[key] else {
            // A misspelt key is reported as unknown, with the right spelling; its absence adds nothing.
            if !table.unknownKeys.contains(where: { Self.closest(to: $0, in: [key]) != nil }) {
                self.report(.missingKey, "\(table.context) has no '\(key)'; add it\(hint)", at: table.node)
            }
            return nil
        }
        guard !entry.value.isNull else {
            self.report(.missingKey, "\(table.field(key)) is empty; give it a value\(hint)", at: entry.key)
            return nil
        }
        return read(entry.value, table.field(key))
    }

    /// The value under `key`, read by `read`, or `defaultValue` when the key is absent or empty (`~`);
    /// `nil` only when the value is present but wrong.
    func optional<T>(_ table: Table, _ key: String, default defaultValue: T, _ read: (Node, String) -> T?) -> T? {
        guard let entry = table.entries[key], !entry.value.isNull else { return defaultValue }
        return read(entry.value, table.field(key))
    }

    /// The value under `key` as an optional setting: `.some(nil)` when absent or empty, `nil` when wrong.
    func optionalSetting<T>(_ table: Table, _ key: String, _ read: (Node, String) -> T?) -> T?? {
        guard let entry = table.entries[key], !entry.value.isNull else { return .some(nil) }
        guard let value = read(entry.value, table.field(key)) else { return nil }
        return .some(value)
    }

    /// The elements of a list of named mappings (`- name: x`), each read as a table of `keys`, with
    /// duplicate names reported. Entries whose name cannot be read are reported and skipped.
    func namedEntries(_ node: Node, _ field: String, entity: String, keys: [String]) -> [(String, Table)]? {
        guard let elements = self.list(node, field) else { return nil }
        self.declared[entity] = []
        var seen: [String: Node] = [:]
        var result: [(String, Table)] = []
        for element in elements {
            // Name the entry in messages about its keys, when its name can be seen.
            let seenName = element.mapping?.first { $0.key.string == "name" }?.value.string
            let context = seenName.map { "\(entity) '\($0)'" } ?? "an entry of \(field)"
            guard let table = self.table(element, context, keys: keys) else { continue }
            guard let name = self.required(table, "name", self.name) else { continue }
            if let first = seen[name] {
                let place = first.mark.map { " (first declared on line \($0.line))" } ?? ""
                self.report(
                    .duplicateName,
                    "\(entity) '\(name)' is declared twice\(place); rename or remove one",
                    at: table.entries["name"]?.value
                )
                continue
            }
            seen[name] = table.entries["name"]?.value
            self.declared[entity, default: []].append(name)
            result.append((name, table))
        }
        return result
    }

    // MARK: - Values

    func list(_ node: Node, _ field: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            self.report(.wrongType, "\(field) must be a list, not \(node.kindName)", at: node)
            return nil
        }
        return Array(sequence)
    }

    /// Text as written; a plain `NO`, `on` or `1.0` stays text, as a policy author means it.
    func text(_ node: Node, _ field: String) -> String? {
        guard case .scalar(let scalar) = node, !node.isNull else {
            self.report(.wrongType, "\(field) must be text, not \(node.kindName)", at: node)
            return nil
        }
        return scalar.string
    }

    /// A name: lowercase ASCII letters, digits, `_` and `-`, starting with a letter, at most 64 characters.
    func name(_ node: Node, _ field: String) -> String? {
        guard let text = self.text(node, field) else { return nil }
        guard Self.isName(text) else {
            self.report(
                .invalidValue,
                "\(field) '\(text)' is not a valid name; use lowercase letters, digits, '_' and '-', "
                    + "starting with a letter (at most 64 characters)",
                at: node
            )
            return nil
        }
        return text
    }

    func integer(_ node: Node, _ field: String) -> Int? {
        guard case .scalar(let scalar) = node, node.resolvedTag == Tag.Name.int.rawValue,
            let value = Int(scalar.string)
        else {
            self.report(.wrongType, "\(field) must be a whole number in decimal digits, not \(node.kindName)", at: node)
            return nil
        }
        return value
    }

    /// A whole number of at least `minimum`.
    func integer(atLeast minimum: Int) -> (Node, String) -> Int? {
        { node, field in
            guard let value = self.integer(node, field) else { return nil }
            guard value >= minimum else {
                self.report(.invalidValue, "\(field) is \(value); it must be at least \(minimum)", at: node)
                return nil
            }
            return value
        }
    }

    func number(_ node: Node, _ field: String) -> Double? {
        let tag = node.resolvedTag
        guard case .scalar(let scalar) = node, tag == Tag.Name.int.rawValue || tag == Tag.Name.float.rawValue,
            let value = Double(scalar.string), value.isFinite
        else {
            self.report(.wrongType, "\(field) must be a finite decimal number, not \(node.kindName)", at: node)
            return nil
        }
        return value
    }

    func bool(_ node: Node, _ field: String) -> Bool? {
        guard node.resolvedTag == Tag.Name.bool.rawValue, let value = node.bool else {
            self.report(.wrongType, "\(field) must be true or false, not \(node.kindName)", at: node)
            return nil
        }
        return value
    }

    /// One of the raw values of `Choice`.
    func choice<Choice: RawRepresentable & CaseIterable>(_ type: Choice.Type) -> (Node, String) -> Choice?
    where Choice.RawValue == String {
        { node, field in
            guard let text = self.text(node, field) else { return nil }
            guard let value = Choice(rawValue: text) else {
                let allowed = Choice.allCases.map(\.rawValue)
                let hint = Self.closest(to: text, in: allowed).map { "did you mean '\($0)'? " } ?? ""
                self.report(
                    .invalidValue,
                    "\(field) cannot be '\(text)'; \(hint)use one of: \(allowed.joined(separator: ", "))",
                    at: node
                )
                return nil
            }
            return value
        }
    }

    func period(_ node: Node, _ field: String) -> Policy.Period? {
        guard let text = self.text(node, field) else { return nil }
        guard let period = Policy.Period(iso8601: text) else {
            self.report(
                .invalidValue,
                "\(field) '\(text)' is not a period; write an ISO 8601 duration of years, months, weeks or "
                    + "days such as P2Y, P6M, P4W, P30D or P1Y6M",
                at: node
            )
            return nil
        }
        return period
    }

    /// A list of values read by `read`, with duplicates reported; the values keep their nodes for later checks.
    func uniqueList<T: Hashable>(_ read: @escaping (Node, String) -> T?) -> (Node, String) -> [(T, Node)]? {
        { node, field in
            guard let elements = self.list(node, field) else { return nil }
            var seen: Set<T> = []
            var values: [(T, Node)] = []
            for element in elements {
                guard let value = read(element, "an entry of \(field)") else { continue }
                guard seen.insert(value).inserted else {
                    self.report(.duplicateName, "\(field) lists '\(value)' twice; remove one", at: element)
                    continue
                }
                values.append((value, element))
            }
            return values
        }
    }

    /// Reports `name`, written at `node`, unless it is among `known`; `known` is `nil` when the declaring list
    /// itself could not be read, and nothing is checked.
    @discardableResult
    func check(
        _ name: String,
        at node: Node,
        isOneOf known: [String]?,
        what: String,
        in context: String,
        declareHint: String
    ) -> Bool {
        guard let known, !known.contains(name) else { return true }
        let hint = Self.closest(to: name, in: known).map { "did you mean '\($0)'? " } ?? ""
        let list = known.isEmpty ? "none declared" : "known: \(known.joined(separator: ", "))"
        self.report(
            .unknownReference,
            "unknown \(what) '\(name)' in \(context) (\(list)); \(hint)\(declareHint)",
            at: node
        )
        return false
    }

    /// A list of distinct names that must each be declared as `entity` (see ``declared``).
    func references(
        to entity: String,
        as what: String,
        in context: String,
        declareHint: String
    ) -> (Node, String) -> [(String, Node)]? {
        { node, field in
            guard let names = self.uniqueList(self.name)(node, field) else { return nil }
            let checks = names.map { name, node in
                self.check(
                    name,
                    at: node,
                    isOneOf: self.declared[entity],
                    what: what,
                    in: context,
                    declareHint: declareHint
                )
            }
            return checks.allSatisfy { $0 } ? names : nil
        }
    }

    // MARK: - Helpers

    static func isName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first), bytes.count <= 64
        else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// The candidate nearest to `word` by edit distance, if it is close enough to be a likely typo.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let limit = max(1, min(3, word.count / 3))
        return
            candidates
            .map { ($0, Self.editDistance(word, $0)) }
            .filter { $0.1 <= limit && $0.1 > 0 }
            .min { $0.1 < $1.1 }?
            .0
    }

    private static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let lhs = Array(lhs.unicodeScalars)
        let rhs = Array(rhs.unicodeScalars)
        var previous = Array(0...rhs.count)
        for (i, left) in lhs.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: rhs.count)
            for (j, right) in rhs.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1))
            }
            previous = current
        }
        return previous[rhs.count]
    }
}

extension Node {
    /// The resolved YAML tag of this node, such as `tag:yaml.org,2002:int`.
    var resolvedTag: String {
        self.tag.rawValue
    }

    /// Whether this node is an empty value (`~`, `null` or nothing).
    var isNull: Bool {
        self.resolvedTag == Tag.Name.null.rawValue
    }

    /// What this node is, for messages: `a list`, `a mapping`, `the number 50`, `the text 'fifty'`.
    var kindName: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            // Long text is cut: the message points at the line anyway.
            let shown = scalar.string.count > 40 ? scalar.string.prefix(40) + "…" : scalar.string
            switch self.resolvedTag {
            case Tag.Name.null.rawValue: return "an empty value"
            case Tag.Name.bool.rawValue: return "the boolean '\(shown)'"
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue: return "the number '\(shown)'"
            default: return "the text '\(shown)'"
            }
        }
    }
}
