import CleanRoomCore
import Foundation
import Testing

struct PolicyLoaderTests {
    @Test func defaultPolicyLoadsAndValidates() throws {
        let policy = try PolicyLoader.load(contentsOf: PolicyTestSupport.defaultPolicyPath)
        #expect(policy.version == 1)
        #expect(
            policy.purposes.map(\.name) == [
                "analytics", "ads_measurement", "ads_personalization", "partner_matching", "fraud_prevention",
                "service_quality",
            ]
        )
        #expect(policy.purpose(named: "fraud_prevention")?.lawfulBasis == .legitimateInterest)
        #expect(policy.purpose(named: "ads_personalization")?.isDirectMarketing == true)
        #expect(policy.purpose(named: "ads_personalization")?.tcfPurposes == [3, 4])
        #expect(policy.purpose(named: "analytics")?.consentSignal == "analytics")
        #expect(policy.privacy.k == 50)
        #expect(policy.privacy.contributionCap == 1000)
        #expect(policy.rights.deadline == Policy.Period(iso8601: "P1M"))
        #expect(policy.identifiers.defaultRegion == "DE")
        #expect(policy.identifiers.regionAttribute == "country")
        #expect(policy.identifiers.emailProfiles == Set(EmailProfile.allCases))
        #expect(policy.schema.eventTypes.map(\.name) == ["visit", "click", "add_to_cart", "purchase"])
        #expect(policy.schema.eventType(named: "purchase")?.allowsAmount == true)
        #expect(policy.schema.eventType(named: "visit")?.allowsItems == false)
        #expect(policy.schema.attribute(named: "city")?.isQuasiIdentifier == true)
        #expect(policy.schema.attribute(named: "household_size")?.valueType == .integer(minimum: 1, maximum: 12))
        #expect(policy.schema.category(named: "transactions")?.retention.description == "P2Y")
        let roles = policy.principals.map(\.role)
        #expect(roles.filter { $0 == .partner }.count == 2)
        #expect(roles.filter { $0 == .auditor }.count == 1)
        #expect(roles.contains(.owner) && roles.contains(.admin))
        #expect(policy.principal(named: "dailynews-media")?.partner == "Daily News Media Group")
        #expect(policy.principal(named: "alpina-outdoor")?.metrics.contains(.amountSum) == true)
        #expect(policy.audit.checkpointEvery == 1000)
        #expect(policy.limits.rowsPerBatch == 10_000)
    }

    /// YAML 1.1 reads a plain `NO` as false; a policy author listing Norway means the text.
    @Test func plainScalarsInTextFieldsStayAsWritten() throws {
        let policy = try PolicyLoader.load(contentsOf: PolicyTestSupport.defaultPolicyPath)
        guard case .enumeration(let values) = policy.schema.attribute(named: "country")?.valueType else {
            Issue.record("country is not an enum")
            return
        }
        #expect(values.contains("NO"))
        #expect(
            policy.schema.attribute(named: "age_band")?.valueType
                == .enumeration(values: ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"])
        )
    }

    @Test func defaultsApplyWhenSettingsAreLeftOut() throws {
        let yaml = PolicyTestSupport.minimal(replacing: "privacy:\n  k: 10\n", with: "")
        let policy = try PolicyLoader.load(yaml: yaml, fileName: "test.yaml")
        #expect(policy.privacy.k == 50)
        #expect(policy.privacy.contributionCap == nil)
        #expect(policy.privacy.differencingGuardExemptions.isEmpty)
        #expect(policy.rights.deadline.description == "P1M")
        #expect(policy.audiences.retention.description == "P30D")
        #expect(policy.audit.checkpointEvery == 1000)
        #expect(policy.identifiers.phoneForms == [.e164, .digits])
        #expect(policy.identifiers.regionAttribute == nil)
        #expect(policy.purpose(named: "analytics")?.isDirectMarketing == false)
        #expect(policy.purpose(named: "analytics")?.tcfPurposes.isEmpty == true)
        #expect(policy.schema.eventType(named: "purchase")?.allowsItems == false)
        #expect(policy.limits.requestBodyBytes == 64 * 1024 * 1024)
    }

    @Test func loadsFromAFileWithAByteOrderMark() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("policy.yaml")
        try Data(("\u{FEFF}" + PolicyTestSupport.minimal).utf8).write(to: file)
        let fromFile = try PolicyLoader.load(contentsOf: file.path)
        let fromText = try PolicyLoader.load(yaml: PolicyTestSupport.minimal, fileName: "other.yaml")
        #expect(fromFile == fromText)
    }

    @Test func aMissingFileIsReportedWithoutAPosition() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        #expect {
            try PolicyLoader.load(contentsOf: path)
        } throws: { error in
            guard let error = error as? PolicyError else { return false }
            return error.code == .unreadableFile && error.line == 0
                && error.description == "\(path): cannot read the policy file: there is no such file; check the path"
        }
    }

    @Test func aFileThatIsNotUTF8IsRejected() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("latin1.yaml")
        try Data([0x6B, 0x3A, 0x20, 0xE9, 0x0A]).write(to: file)
        #expect {
            try PolicyLoader.load(contentsOf: file.path)
        } throws: { error in
            (error as? PolicyError)?.code == .unreadableFile
        }
    }
}
