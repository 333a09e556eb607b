import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
@testable import CleanRoomRights
import Foundation
import Testing

/// An audit log in a temporary folder, written by hand, with a clock that moves one minute per entry from
/// 2026-09-24T10:00:00Z.
final class ReportLogFixture {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)").path
    var directory: String { self.root + "/audit" }
    let key: Ed25519PrivateKey
    let log: AuditLog
    let clock = TestClock()
    static let origin = "cleanroom/audit"
    static let start = Date(timeIntervalSince1970: 1_790_244_000)

    init() throws {
        try FileManager.default.createDirectory(atPath: self.root, withIntermediateDirectories: true)
        self.key = try Ed25519PrivateKey.generate()
        self.clock.now = Self.start
        let clock = self.clock
        self.log = try AuditLog.open(
            directory: self.root + "/audit", signingKey: self.key,
            options: AuditLog.Options(origin: Self.origin, checkpointEvery: 4, now: { clock.now })
        ).log
    }

    deinit {
        try? self.log.close()
        try? FileManager.default.removeItem(atPath: self.root)
    }

    /// Appends a record, then moves the clock on a minute.
    func append(
        _ action: AuditAction, principal: String, role: String = "partner", purpose: String? = nil,
        request: CanonicalJSON = .object([:]), refused: Bool = false
    ) throws {
        try self.log.append(AuditRecord(
            principal: principal, role: role, action: action, purpose: purpose, request: request,
            decision: refused ? .refused("privacy.k_threshold") : .allowed("policy.purpose_allowed"),
            policyDigest: defaultPolicy.digest
        ))
        self.clock.now += 60
    }

    /// Writes the log every test below counts: 17 entries.
    func writeActivity() throws {
        try self.append(.policyChange, principal: "cli", role: "admin")
        try self.append(.ingestBatch, principal: "cli", role: "owner", request: .object(["rows": .integer(20)]))
        try self.append(.ingestBatch, principal: "cli", role: "owner", request: .object(["rows": .integer(5)]))
        for _ in 0..<3 { try self.append(.query, principal: "dailynews-media", purpose: "ads_measurement") }
        try self.append(.query, principal: "dailynews-media", purpose: "ads_measurement", refused: true)
        try self.append(.audienceUpload, principal: "dailynews-media", purpose: "partner_matching")
        try self.append(.audienceOverlap, principal: "dailynews-media", purpose: "partner_matching")
        try self.append(.rules, principal: "alpina-outdoor", purpose: "ads_personalization")
        try self.append(.rules, principal: "alpina-outdoor", purpose: "ads_measurement", refused: true)
        try self.append(.query, principal: "nordwind-analytics", role: "owner", purpose: "analytics")
        try self.append(.query, principal: "anonymous", role: "none", refused: true)
        for kind in ["withdrawal", "withdrawal", "erasure"] {
            try self.append(.rightsRequest, principal: "cli", role: "admin", request: .object(["kind": .string(kind)]))
        }
        try self.append(.auditRead, principal: "cli", role: "admin")
    }

    func verifiedReport(policy: Policy = defaultPolicy) throws -> ProcessingReport {
        try ProcessingReport(
            policy: policy, auditDirectory: self.directory, publicKey: self.key.publicKey, origin: Self.origin
        )
    }

    var segment: String { self.directory + "/log-000000000000.jsonl" }
}

/// The records of processing (GDPR Art. 30) over the repository policy and a log written by hand.
struct ProcessingReportTests {
    @Test func theLogIsCountedPerPurposePrincipalOutcomeAndRightsRequestKind() throws {
        let fixture = try ReportLogFixture()
        try fixture.writeActivity()
        let report = try fixture.verifiedReport()
        let log = report.log

        #expect(log.computationsByPurpose == [
            "ads_measurement": .init(answered: 3, refused: 2),
            "partner_matching": .init(answered: 1, refused: 0),
            "ads_personalization": .init(answered: 1, refused: 0),
            "analytics": .init(answered: 1, refused: 0),
            ProcessingReport.unnamed: .init(answered: 0, refused: 1),
        ])
        #expect(log.computationsByPrincipal == [
            "dailynews-media": .init(answered: 4, refused: 1),
            "alpina-outdoor": .init(answered: 1, refused: 1),
            "nordwind-analytics": .init(answered: 1, refused: 0),
            "anonymous": .init(answered: 0, refused: 1),
        ])
        #expect(log.rightsRequests == ["withdrawal": 2, "erasure": 1])
        #expect(log.ingestBatches == 2)
        #expect(log.entries == 17)
        #expect(log.firstEntryTime == "2026-09-24T10:00:00.000Z")
        #expect(log.lastEntryTime == "2026-09-24T10:16:00.000Z")

        let summary = try AuditVerifier.verify(
            directory: fixture.directory, publicKey: fixture.key.publicKey, origin: ReportLogFixture.origin)
        #expect(log.rootHash == Hex.encode(summary.rootHash))

        // The same entries, given directly, make the same report.
        var entries: [AuditEntry] = []
        try AuditReader.forEachEntry(in: fixture.directory) { entries.append($0) }
        #expect(ProcessingReport(policy: defaultPolicy, entries: entries) == report)
        #expect(ProcessingReport(policy: defaultPolicy, entries: entries.prefix(3)).log.ingestBatches == 2)
    }

    @Test func thePolicyPartsComeFromThePolicyInForce() throws {
        let report = ProcessingReport(policy: defaultPolicy, entries: [])
        #expect(report.controller.name == "Nordwind Retail GmbH")
        #expect(report.policyDigest == defaultPolicy.digest)
        #expect(report.purposes.map(\.name) == [
            "analytics", "ads_measurement", "ads_personalization", "partner_matching", "fraud_prevention",
            "service_quality",
        ])
        #expect(report.purposes.map(\.gdprArticle) == [
            "Art. 6(1)(a)", "Art. 6(1)(a)", "Art. 6(1)(a)", "Art. 6(1)(a)", "Art. 6(1)(f)", "Art. 6(1)(f)",
        ])
        #expect(report.purposes.filter(\.isDirectMarketing).map(\.name) == ["ads_personalization", "partner_matching"])
        #expect(report.purposes[2].tcfPurposes == [3, 4])
        #expect(report.categories.map(\.name) == ["profile", "browsing", "shopping", "transactions"])
        #expect(report.categories[0].attributes.count == 8 && report.categories[0].eventTypes.isEmpty)
        #expect(report.categories[1].eventTypes == ["visit", "click"])
        #expect(report.categories[3].retention.description == "P2Y")
        #expect(report.recipients == [
            ProcessingReport.Recipient(
                principal: "dailynews-media", organization: "Daily News Media Group",
                purposes: ["ads_measurement", "partner_matching"], dimensions: ["age_band", "country", "gender"],
                metrics: ["conversion_rate", "people"]
            ),
            ProcessingReport.Recipient(
                principal: "alpina-outdoor", organization: "Alpina Outdoor AG",
                purposes: ["ads_measurement", "ads_personalization", "partner_matching"],
                dimensions: ["age_band", "country", "loyalty_tier"],
                metrics: ["amount_avg", "amount_sum", "conversion_rate", "events", "people"]
            ),
        ])
        #expect(report.audienceRetention.description == "P30D" && report.rightsDeadline.description == "P1M")
        #expect(report.k == 50 && report.contributionCap == 1000)
        #expect(report.log == ProcessingReport.LogActivity())
        #expect(report.log.rootHash == Hex.encode(MerkleHash.emptyTreeHash))
    }

    @Test func theJSONParsesBackWithEveryPartAndCount() throws {
        let fixture = try ReportLogFixture()
        try fixture.writeActivity()
        let report = try fixture.verifiedReport()
        let text = report.json.text
        #expect(try CanonicalJSON.parse(Array(text.utf8)).text == text, "canonical: it reads back to itself")

        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["report"] as? String == "records_of_processing")
        let controller = try #require(object["controller"] as? [String: Any])
        #expect(controller["name"] as? String == "Nordwind Retail GmbH")
        let purposes = try #require(object["purposes"] as? [[String: Any]])
        #expect(purposes.count == 6)
        #expect(purposes[4]["lawful_basis"] as? String == "legitimate_interest")
        #expect(purposes[4]["gdpr_article"] as? String == "Art. 6(1)(f)")
        #expect(purposes[0]["tcf_purposes"] as? [Int] == [9])
        let categories = try #require(object["data_categories"] as? [[String: Any]])
        let browsing = try #require(categories[1]["retention"] as? [String: String])
        #expect(browsing == ["period": "P13M", "in_words": "13 months"])
        let limits = try #require(object["time_limits"] as? [String: [String: String]])
        #expect(limits["rights_request_deadline"] == ["period": "P1M", "in_words": "1 month"])
        let privacy = try #require(object["privacy"] as? [String: Int])
        #expect(privacy == ["k": 50, "contribution_cap": 1000])
        let recipients = try #require(object["recipients"] as? [[String: Any]])
        #expect(recipients.map { $0["organization"] as? String } == ["Daily News Media Group", "Alpina Outdoor AG"])

        let log = try #require(object["audit_log"] as? [String: Any])
        #expect(log["entries"] as? Int == 17)
        #expect(log["ingest_batches"] as? Int == 2)
        #expect(log["rights_requests"] as? [String: Int] == ["withdrawal": 2, "erasure": 1])
        let byPurpose = try #require(log["computations_by_purpose"] as? [String: [String: Int]])
        #expect(byPurpose["ads_measurement"] == ["answered": 3, "refused": 2, "total": 5])
        let byPrincipal = try #require(log["computations_by_principal"] as? [String: [String: Int]])
        #expect(byPrincipal["alpina-outdoor"] == ["answered": 1, "refused": 1, "total": 2])
    }

    @Test func theMarkdownHasATableRowPerPurposeCategoryRecipientAndCount() throws {
        let fixture = try ReportLogFixture()
        try fixture.writeActivity()
        let lines = try fixture.verifiedReport().markdown.split(separator: "\n").map(String.init)

        for purpose in defaultPolicy.purposes {
            let basis = purpose.lawfulBasis == .consent
                ? "consent, GDPR Art. 6(1)(a)" : "legitimate_interest, GDPR Art. 6(1)(f)"
            let rows = lines.filter { $0.hasPrefix("| \(purpose.name) | \(purpose.description) | \(basis) |") }
            #expect(rows.count == 1, "\(purpose.name)")
        }
        #expect(lines.contains(
            "| ads_personalization | Choose which offers to advertise to which audience, based on shopping interests. "
                + "| consent, GDPR Art. 6(1)(a) | yes (objection absolute, Art. 21(3)) | ads_personalization | 3, 4 |"
        ))
        #expect(lines.contains("| shopping | Products put into the basket. | 6 months (P6M) | none | add_to_cart |"))
        #expect(lines.contains { $0.hasPrefix("| alpina-outdoor | Alpina Outdoor AG | ads_measurement, ") })
        #expect(lines.contains("| ads_measurement | 3 | 2 | 5 |"))
        #expect(lines.contains("| (none) | 0 | 1 | 1 |"))
        #expect(lines.contains("| dailynews-media | 4 | 1 | 5 |"))
        #expect(lines.contains("| withdrawal | 2 |"))
        #expect(lines.contains("- **Ingest batches:** 2"))
        #expect(lines.contains("- **Rights requests are answered within (GDPR Art. 12(3)):** 1 month (P1M)"))
        #expect(lines.first == "# Records of processing activities (GDPR Art. 30)")
        #expect(lines.filter { $0.hasPrefix("| purpose | description |") }.count == 1, "one purposes table")
    }

    @Test func theMarkdownOfAnEmptyLogSaysNothingWasRecorded() {
        let markdown = ProcessingReport(policy: defaultPolicy, entries: []).markdown
        #expect(markdown.contains("- **Entries:** 0\n- **First entry:** none\n"))
        #expect(markdown.components(separatedBy: "None recorded.").count == 4)
        #expect(markdown.hasSuffix("None recorded.\n"))
    }

    /// The repository policy with a controller name and a purpose description that hold markup.
    static func policyWithMarkup() throws -> Policy {
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("policies/default.yaml").path
        let yaml = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "name: Nordwind Retail GmbH", with: "name: \"Nordwind & Söhne <GmbH>\"")
            .replacingOccurrences(
                of: "description: Understand, in aggregate, how customers browse and shop, to plan ranges and stores.",
                with: "description: '<script>alert(\"x\")</script> & [a](http://x) | *bold*'"
            )
        return try PolicyLoader.load(yaml: yaml, fileName: "default.yaml")
    }

    @Test func theHTMLIsOneSelfContainedPageWithEveryTextEscaped() throws {
        let fixture = try ReportLogFixture()
        try fixture.append(.query, principal: "<b>x</b>", purpose: "analytics")
        let policy = try Self.policyWithMarkup()
        #expect(policy.purposes[0].description.contains("<script>"))
        let html = try fixture.verifiedReport(policy: policy).html

        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.hasSuffix("</body>\n</html>\n"))
        #expect(!html.contains("<script") && !html.contains("<b>") && !html.contains("<GmbH>"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; [a](http://x) | *bold*"))
        #expect(html.contains(
            "<title>Records of processing activities (GDPR Art. 30): Nordwind &amp; Söhne &lt;GmbH&gt;</title>"
        ))
        #expect(html.contains("<td>&lt;b&gt;x&lt;/b&gt;</td><td>1</td><td>0</td><td>1</td>"))
        #expect(!html.contains("src=") && !html.contains("href="))
        // Every tag that opens closes.
        for tag in ["table", "thead", "tbody", "tr", "dl", "h1", "h2", "h3", "p"] {
            let opened = html.components(separatedBy: "<\(tag)>").count
            #expect(opened == html.components(separatedBy: "</\(tag)>").count, "\(tag)")
        }
    }

    @Test func theMarkdownEscapesMarkupLinksAndCellSeparators() throws {
        let policy = try Self.policyWithMarkup()
        let markdown = ProcessingReport(policy: policy, entries: []).markdown
        #expect(markdown.contains(
            #"| analytics | \<script\>alert("x")\</script\> \& \[a\](http://x) \| \*bold\* | consent, "#
        ))
        #expect(markdown.contains(#"- **Controller:** Nordwind \& Söhne \<GmbH\>"#))
        #expect(!markdown.contains("<script>"))
    }

    @Test func aChangedByteMakesTheReportRefuseTheLog() throws {
        let fixture = try ReportLogFixture()
        try fixture.writeActivity()
        try fixture.log.close()
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: fixture.segment)))
        let at = try #require(bytes.firstRange(of: Array("\"erasure\"".utf8))?.lowerBound)
        bytes[at + 1] = UInt8(ascii: "E")
        try Data(bytes).write(to: URL(fileURLWithPath: fixture.segment))

        let error = #expect(throws: ProcessingReportError.self) { try fixture.verifiedReport() }
        #expect(error?.code == .unverifiedLog)
        #expect(error?.sequence == 15)
        #expect(error?.message.contains("refusing to report on an audit log that does not verify (entry 15: ") == true)
    }

    @Test func aReportNeedsTheLogsOwnKey() throws {
        let fixture = try ReportLogFixture()
        try fixture.writeActivity()
        let stranger = try Ed25519PrivateKey.generate()
        let error = #expect(throws: ProcessingReportError.self) {
            try ProcessingReport(
                policy: defaultPolicy, auditDirectory: fixture.directory, publicKey: stranger.publicKey,
                origin: ReportLogFixture.origin
            )
        }
        #expect(error?.code == .unverifiedLog)
    }

    @Test(arguments: [
        ("P3Y", "3 years"), ("P1M", "1 month"), ("P13M", "13 months"), ("P2W", "14 days"), ("P1D", "1 day"),
        ("P1Y6M", "1 year and 6 months"), ("P2Y1M3D", "2 years, 1 month and 3 days"),
    ])
    func periodsAreWrittenInWords(iso8601: String, words: String) throws {
        #expect(try #require(Policy.Period(iso8601: iso8601)).inWords == words)
    }
}
