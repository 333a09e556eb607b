public import CleanRoomCore

extension ProcessingReport {
    /// The report as canonical JSON, for programs: the same text for the same policy and log.
    ///
    /// Top-level keys: `report` (`records_of_processing`), `gdpr_article`, `controller`, `policy_digest`,
    /// `purposes`, `data_categories`, `recipients`, `time_limits`, `privacy` and `audit_log`; periods are
    /// objects with the ISO 8601 `period` and the period `in_words`.
    public var json: CanonicalJSON {
        .object([
            "report": .string("records_of_processing"),
            "gdpr_article": .string("Art. 30(1)"),
            "controller": .object([
                "name": .string(self.controller.name),
                "contact": self.controller.contact.map(CanonicalJSON.string) ?? .null,
            ]),
            "policy_digest": .string(self.policyDigest),
            "purposes": .array(self.purposes.map { purpose in
                .object([
                    "name": .string(purpose.name),
                    "description": .string(purpose.description),
                    "lawful_basis": .string(purpose.lawfulBasis.rawValue),
                    "gdpr_article": .string(purpose.gdprArticle),
                    "direct_marketing": .bool(purpose.isDirectMarketing),
                    "consent_signal": .string(purpose.consentSignal),
                    "tcf_purposes": .array(purpose.tcfPurposes.map(CanonicalJSON.integer)),
                ])
            }),
            "data_categories": .array(self.categories.map { category in
                .object([
                    "name": .string(category.name),
                    "description": category.description.map(CanonicalJSON.string) ?? .null,
                    "retention": Self.json(category.retention),
                    "attributes": .array(category.attributes.map(CanonicalJSON.string)),
                    "event_types": .array(category.eventTypes.map(CanonicalJSON.string)),
                ])
            }),
            "recipients": .array(self.recipients.map { recipient in
                .object([
                    "principal": .string(recipient.principal),
                    "organization": .string(recipient.organization),
                    "purposes": .array(recipient.purposes.map(CanonicalJSON.string)),
                    "dimensions": .array(recipient.dimensions.map(CanonicalJSON.string)),
                    "metrics": .array(recipient.metrics.map(CanonicalJSON.string)),
                ])
            }),
            "time_limits": .object([
                "audience_upload_retention": Self.json(self.audienceRetention),
                "rights_request_deadline": Self.json(self.rightsDeadline),
            ]),
            "privacy": .object([
                "k": .integer(self.k),
                "contribution_cap": self.contributionCap.map(CanonicalJSON.number) ?? .null,
            ]),
            "audit_log": .object([
                "entries": .integer(self.log.entries),
                "first_entry_time": self.log.firstEntryTime.map(CanonicalJSON.string) ?? .null,
                "last_entry_time": self.log.lastEntryTime.map(CanonicalJSON.string) ?? .null,
                "root_hash": .string(self.log.rootHash),
                "computations_by_purpose": Self.json(self.log.computationsByPurpose),
                "computations_by_principal": Self.json(self.log.computationsByPrincipal),
                "rights_requests": .object(self.log.rightsRequests.mapValues(CanonicalJSON.integer)),
                "ingest_batches": .integer(self.log.ingestBatches),
            ]),
        ])
    }

    private static func json(_ period: Policy.Period) -> CanonicalJSON {
        .object(["period": .string(period.description), "in_words": .string(period.inWords)])
    }

    private static func json(_ tallies: [String: Tally]) -> CanonicalJSON {
        .object(tallies.mapValues { tally in
            .object([
                "answered": .integer(tally.answered), "refused": .integer(tally.refused),
                "total": .integer(tally.total),
            ])
        })
    }
}

// MARK: - Markdown and HTML

extension ProcessingReport {
    /// The report as GitHub-flavoured Markdown: a heading per section and a table row per purpose, category,
    /// recipient, purpose and principal counted, and kind of rights request. Every text from the policy or the log
    /// is escaped, so none of it can add markup, a link or raw HTML.
    public var markdown: String {
        var lines: [String] = []
        for block in self.document {
            switch block {
            case .heading(let level, let text):
                lines.append(String(repeating: "#", count: level) + " " + Self.markdown(text))
                lines.append("")
            case .paragraph(let text):
                lines.append(Self.markdown(text))
                lines.append("")
            case .facts(let facts):
                lines += facts.map { "- **\(Self.markdown($0.label)):** \(Self.markdown($0.value))" }
                lines.append("")
            case .table(let header, let rows):
                lines.append("| " + header.map(Self.markdown).joined(separator: " | ") + " |")
                lines.append("|" + String(repeating: "---|", count: header.count))
                lines += rows.map { "| " + $0.map(Self.markdown).joined(separator: " | ") + " |" }
                lines.append("")
            }
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as one self-contained HTML page: inline style, no script, no external resource (its content
    /// security policy forbids them), every text HTML-escaped.
    public var html: String {
        var body: [String] = []
        for block in self.document {
            switch block {
            case .heading(let level, let text):
                body.append("<h\(level)>\(Self.html(text))</h\(level)>")
            case .paragraph(let text):
                body.append("<p>\(Self.html(text))</p>")
            case .facts(let facts):
                body.append("<dl>")
                body += facts.map { "<dt>\(Self.html($0.label))</dt><dd>\(Self.html($0.value))</dd>" }
                body.append("</dl>")
            case .table(let header, let rows):
                body.append("<table>")
                body.append("<thead><tr>" + header.map { "<th>\(Self.html($0))</th>" }.joined() + "</tr></thead>")
                body.append("<tbody>")
                body += rows.map { "<tr>" + $0.map { "<td>\(Self.html($0))</td>" }.joined() + "</tr>" }
                body.append("</tbody>")
                body.append("</table>")
            }
        }
        let head = [
            "<!DOCTYPE html>",
            "<html lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
            "<title>\(Self.html(Self.title + ": " + self.controller.name))</title>",
            "<style>",
            "body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; padding: 0 1em; }",
            "table { border-collapse: collapse; margin-bottom: 1.5em; }",
            "th, td { border: 1px solid #999; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }",
            "th { background: #eee; }",
            "dt { font-weight: bold; }",
            "dd { margin: 0 0 0.5em 1.5em; }",
            "</style>",
            "</head>",
            "<body>",
        ]
        return (head + body + ["</body>", "</html>"]).joined(separator: "\n") + "\n"
    }

    /// Escapes text for Markdown: a backslash before every character that could start markup, a link, raw HTML
    /// or an entity, or end a table cell (CommonMark lets any ASCII punctuation be escaped so); line breaks
    /// become spaces so that a row stays one line. `_` is left alone: GitHub-flavoured Markdown never reads it
    /// inside a word (`ads_measurement`), and alone it only changes emphasis.
    static func markdown(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\\", "`", "*", "[", "]", "<", ">", "|", "&", "~":
                escaped.append("\\")
                escaped.append(character)
            case "\n", "\r", "\r\n":
                escaped.append(" ")
            default:
                escaped.append(character)
            }
        }
        return escaped
    }

    /// Escapes text for HTML element content and quoted attribute values.
    static func html(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

// MARK: - The document both renderers write

extension ProcessingReport {
    /// A piece of the document, as plain text; each renderer escapes and marks it up.
    enum Block {
        case heading(level: Int, String)
        case paragraph(String)
        case facts([(label: String, value: String)])
        case table(header: [String], rows: [[String]])
    }

    static let title = "Records of processing activities (GDPR Art. 30)"

    /// The document's blocks, in order.
    var document: [Block] {
        var blocks: [Block] = [
            .heading(level: 1, Self.title),
            .facts([
                ("Controller", self.controller.name),
                ("Contact", self.controller.contact ?? "not given in the policy"),
                ("Policy digest (SHA-256)", self.policyDigest),
            ]),
            .heading(level: 2, "Purposes of the processing"),
            .table(
                header: [
                    "purpose", "description", "lawful basis", "direct marketing", "consent signal", "TCF purposes",
                ],
                rows: self.purposes.map { purpose in
                    [
                        purpose.name, purpose.description,
                        "\(purpose.lawfulBasis.rawValue), GDPR \(purpose.gdprArticle)",
                        purpose.isDirectMarketing ? "yes (objection absolute, Art. 21(3))" : "no",
                        purpose.consentSignal,
                        Self.list(purpose.tcfPurposes.map(String.init)),
                    ]
                }
            ),
            .heading(level: 2, "Categories of personal data"),
            .table(
                header: ["category", "description", "retention", "attributes", "event types"],
                rows: self.categories.map { category in
                    [
                        category.name, category.description ?? "", Self.words(category.retention),
                        Self.list(category.attributes), Self.list(category.eventTypes),
                    ]
                }
            ),
            .heading(level: 2, "Recipients"),
        ]
        if self.recipients.isEmpty {
            blocks.append(.paragraph("The policy names no partner: results go to the controller only."))
        } else {
            blocks.append(.table(
                header: ["principal", "organization", "purposes", "dimensions", "metrics"],
                rows: self.recipients.map { recipient in
                    [
                        recipient.principal, recipient.organization, Self.list(recipient.purposes),
                        Self.list(recipient.dimensions), Self.list(recipient.metrics),
                    ]
                }
            ))
            blocks.append(.paragraph("Recipients receive aggregates only, each over at least \(self.k) people."))
        }
        blocks += [
            .heading(level: 2, "Time limits"),
            .facts([
                ("Partners' audience uploads are erased after", Self.words(self.audienceRetention)),
                ("Rights requests are answered within (GDPR Art. 12(3))", Self.words(self.rightsDeadline)),
            ]),
            .heading(level: 2, "Technical and organisational measures"),
            .facts(self.measures),
        ]
        blocks += self.activityBlocks
        return blocks
    }

    private var measures: [(label: String, value: String)] {
        var facts: [(label: String, value: String)] = [
            ("Minimum group size (k)", "every released number is computed over at least \(self.k) distinct people"),
        ]
        if let cap = self.contributionCap {
            facts.append(("Contribution cap", "one person adds at most \(CanonicalJSON.number(cap).text) to any sum"))
        }
        facts.append((
            "Pseudonymization", "identifiers are kept as keyed pseudonyms, raw values only sealed per person"
        ))
        facts.append((
            "Audit", "every computation is recorded in a tamper-evident, signed audit log before its result leaves"
        ))
        return facts
    }

    private var activityBlocks: [Block] {
        let log = self.log
        var blocks: [Block] = [
            .heading(level: 2, "Processing recorded in the audit log"),
            .facts([
                ("Entries", String(log.entries)),
                ("First entry", log.firstEntryTime ?? "none"),
                ("Last entry", log.lastEntryTime ?? "none"),
                ("Root hash (RFC 9162)", log.rootHash),
                ("Ingest batches", String(log.ingestBatches)),
            ]),
            .heading(level: 3, "Computations by purpose"),
        ]
        blocks.append(Self.table(log.computationsByPurpose, key: "purpose"))
        blocks.append(.heading(level: 3, "Computations by principal"))
        blocks.append(Self.table(log.computationsByPrincipal, key: "principal"))
        blocks.append(.heading(level: 3, "Rights requests"))
        if log.rightsRequests.isEmpty {
            blocks.append(.paragraph("None recorded."))
        } else {
            blocks.append(.table(
                header: ["kind", "requests"],
                rows: log.rightsRequests.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] }
            ))
        }
        return blocks
    }

    private static func table(_ tallies: [String: Tally], key: String) -> Block {
        guard !tallies.isEmpty else { return .paragraph("None recorded.") }
        return .table(
            header: [key, "answered", "refused", "total"],
            rows: tallies.sorted { $0.key < $1.key }.map { name, tally in
                [name, String(tally.answered), String(tally.refused), String(tally.total)]
            }
        )
    }

    private static func words(_ period: Policy.Period) -> String {
        "\(period.inWords) (\(period))"
    }

    private static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.joined(separator: ", ")
    }
}

extension Policy.Period {
    /// The period in English words: `3 years`, `13 months`, `1 year and 6 months`, `2 years, 1 month and 3 days`.
    var inWords: String {
        let parts = [(self.years, "year"), (self.months, "month"), (self.days, "day")]
            .filter { $0.0 > 0 }
            .map { count, unit in "\(count) \(unit)\(count == 1 ? "" : "s")" }
        guard let last = parts.last else { return "no time" }
        return parts.count == 1 ? last : parts.dropLast().joined(separator: ", ") + " and " + last
    }
}
