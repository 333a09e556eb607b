import CleanRoomCore
import CleanRoomTestSupport
import Foundation
import Testing

/// TC strings published with their decoded values by IAB Tech Lab and open-source TCF decoders. Each test
/// checks the values its source states, and only those.
struct TCStringPublishedTests {
    /// The 79 vendors of LiveRamp's GB fixture, for both consent and legitimate interest.
    static let liveRampGBVendors: Set<Int> = [
        2, 6, 8, 12, 18, 23, 37, 42, 47, 48, 53, 61, 65, 66, 72, 88, 98, 127, 128, 129, 133, 153, 163, 192, 205,
        215, 224, 243, 248, 281, 294, 304, 350, 351, 358, 371, 422, 424, 440, 447, 467, 486, 498, 502, 512, 516,
        553, 556, 571, 587, 612, 613, 618, 626, 648, 653, 656, 657, 665, 676, 681, 683, 684, 686, 687, 688, 690,
        691, 694, 702, 703, 707, 708, 711, 712, 714, 716, 719, 720,
    ]

    // InteractiveAdvertisingBureau/iabtcf-java,
    // iabtcf-decoder/src/test/java/com/iabtcf/decoder/TCStringV2Test.java, testCanConstructTCModelFromBase64String.
    @Test func iabtcfJavaHeaderFields() throws {
        let tcString = try TCString(decoding: "COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA")
        #expect(tcString.version == 2)
        #expect(tcString.created == Date(timeIntervalSince1970: 1_580_058_060))  // 2020-01-26T17:01:00Z
        #expect(tcString.lastUpdated == Date(timeIntervalSince1970: 1_612_285_260))  // 2021-02-02T17:01:00Z
        #expect(tcString.cmpID == 675)
        #expect(tcString.cmpVersion == 2)
        #expect(tcString.consentScreen == 1)
        #expect(tcString.vendorListVersion == 15)
        #expect(tcString.policyVersion == 2)
        #expect(tcString.consentLanguage == "EN")
        #expect(tcString.publisherCountryCode == "AA")
        #expect(!tcString.isServiceSpecific)
        #expect(tcString.purposeOneTreatment)
        #expect(!tcString.useNonStandardTexts)
        #expect(tcString.specialFeatureOptIns == [1])
        #expect(tcString.purposeConsents == [2, 10])
        #expect(tcString.purposeLegitimateInterests == [2, 9])
    }

    // iabtcf-java TCStringV2Test.java: testConstructConsentsFromBitFields, and testCanParseDisclosedAndAllowedVendors
    // for the same core with its disclosed and allowed vendors segments.
    @Test(arguments: ["", ".IBAgAAAgAIAwgAgAAAAEAAAACA.QAagAQAgAIAwgA"])
    func iabtcfJavaBitFieldVendors(laterSegments: String) throws {
        let core = "COrEAV4OrXx94ACABBENAHCIAD-AAAAAAACAAxAAAAgAIAwgAgAAAAEAgQAAAAAEAYQAQAAAACAAAABAAA"
        let tcString = try TCString(decoding: core + laterSegments)
        #expect(tcString.purposeConsents == [3, 4, 5, 6, 7, 8, 9])
        #expect(tcString.vendorConsents == [23, 37, 47, 48, 53, 65, 98])
        #expect(tcString.vendorLegitimateInterests == [37, 47, 48, 53, 65, 98, 129])
    }

    // iabtcf-java TCStringV2Test.java, testCanParseRangeEncodedVendorLegitimateInterests.
    @Test func iabtcfJavaRangeEncodedLegitimateInterest() throws {
        let tcString = try TCString(decoding: "COv__-wOv__-wC2AAAENAPCgAAAAAAAAAAAAA_wAQA_gEBABAEAAAA")
        #expect(tcString.vendorLegitimateInterests == [128])
    }

    // iabtcf-java TCStringV2Test.java, testRange: one range entry of two vendors, and one single vendor.
    static let iabtcfJavaRanges: [(String, Set<Int>)] = [
        ("COwBOpCOwBOpCLqAAAENAPCAAAAAAAAAAAAAFfwAYFfAV-BVkAGBVYFWAAA", [702, 703]),
        ("COwBOpCOwBOpCLqAAAENAPCAAAAAAAAAAAAAFfwAQFfgUbABAUaAAA", [703]),
    ]

    @Test(arguments: Self.iabtcfJavaRanges)
    func iabtcfJavaRangeEncodedConsents(core: String, vendors: Set<Int>) throws {
        let disclosed =
            "IFoEUQQgAIQwgIwQABAEAAAAOIAACAIAAAAQAIAgEAACEAAAAAgAQBAAAAAAAGBAAgAAAAAAAFAAECAAA"
            + "gAAQARAEQAAAAAJAAIAAgAAAYQEAAAQmAgBC3ZAYzUw"
        #expect(try TCString(decoding: core + "." + disclosed).vendorConsents == vendors)
    }

    // iabtcf-java TCStringV2Test.java, testPurposesConsent ("containsAll(1, 2)").
    @Test func iabtcfJavaPurposesConsent() throws {
        let tcString = try TCString(decoding: "COwxsONOwxsONKpAAAENAdCAAMAAAAAAAAAAAAAAAAAA")
        #expect(tcString.consents(toAll: [1, 2]))
    }

    // iabtcf-java TCStringV2Test.java, testPublisherRestrictions: the test's bit string, here spelled without the
    // `=` padding java.util.Base64 adds.
    @Test func iabtcfJavaPublisherRestrictions() throws {
        let bits = TCBitWriter(
            bitString: "0000100011101011100 1000000000000001010 0000001110101110010 0000000000000101000"
                + " 0000110011111000000 0000000000000000100 0011010000000011110 0001000000000000000"
                + String(repeating: " 0000000000000000000", count: 5) + " 000000000011"
                + " 000001 01 000000000000 000010 00 000000000000 000011 10 000000000000 0"
        )
        let tcString = try TCString(decoding: bits.base64URL())
        #expect(
            tcString.publisherRestrictions == [
                .init(purposeID: 1, kind: .requireConsent, vendorRanges: []),
                .init(purposeID: 2, kind: .notAllowed, vendorRanges: []),
                .init(purposeID: 3, kind: .requireLegitimateInterest, vendorRanges: []),
            ]
        )
    }

    // LiveRamp/iabconsent, v2_parsed_consent_fixture_test.go: range-encoded vendors, with disclosed and allowed
    // vendors segments.
    @Test func liveRampRangeEncodedVendors() throws {
        let tcString = try TCString(
            decoding: "COvzTO5OvzTO5B7ABCENAPCYAKdAADkAAIqIFhwBAAGAAXAFGAsMAhYAgAMAAegBYAEKAAA.IFoEUQQgAIQwgIwQABAEAAAA"
                + "OIAACAIAAAAQAIAgEAACEAAAAAgAQBAAAAAAAGBAAgAAAAAAAFAAECAAAgAAQARAEQAAAAAJAAIAAgAAAYQEAAAQmAgBC3ZAYzU"
                + "w.QE5QAwCvgHyATkA"
        )
        let time = Date(timeIntervalSince1970: 1_583_436_280.9)
        #expect(tcString.version == 2)
        #expect(tcString.created == time)
        #expect(tcString.lastUpdated == time)
        #expect(tcString.cmpID == 123)
        #expect(tcString.cmpVersion == 1)
        #expect(tcString.consentScreen == 2)
        #expect(tcString.consentLanguage == "EN")
        #expect(tcString.vendorListVersion == 15)
        #expect(tcString.policyVersion == 2)
        #expect(!tcString.isServiceSpecific)
        #expect(tcString.useNonStandardTexts)
        #expect(tcString.specialFeatureOptIns == [1])
        #expect(tcString.purposeConsents == [1, 3, 6, 7, 8, 10])
        #expect(tcString.purposeLegitimateInterests == [3, 4, 5, 8])
        #expect(tcString.purposeOneTreatment)
        #expect(tcString.publisherCountryCode == "FR")
        #expect(tcString.vendorConsents == [12, 23, 163, 707])
        #expect(tcString.vendorLegitimateInterests == [48, 61, 88, 133])
        #expect(tcString.publisherRestrictions.isEmpty)
    }

    // LiveRamp/iabconsent, v2_parsed_consent_fixture_test.go: publisher restrictions, one with a vendor.
    @Test func liveRampPublisherRestrictions() throws {
        let tcString = try TCString(decoding: "COvzTO5OvzTO5BRAAAENAPCoALIAADgAAAAAAewAwABAAlAB6ABBFADBQAQA9hAAAcAA")
        #expect(tcString.cmpID == 81)
        #expect(tcString.cmpVersion == 0)
        #expect(tcString.consentScreen == 0)
        #expect(tcString.vendorListVersion == 15)
        #expect(tcString.policyVersion == 2)
        #expect(tcString.isServiceSpecific)
        #expect(!tcString.useNonStandardTexts)
        #expect(tcString.specialFeatureOptIns == [1])
        #expect(tcString.purposeConsents == [1, 3, 4, 7])
        #expect(tcString.purposeLegitimateInterests == [3, 4, 5])
        #expect(!tcString.purposeOneTreatment)
        #expect(tcString.publisherCountryCode == "AA")
        #expect(tcString.vendorConsents == [2, 37, 61])
        #expect(tcString.vendorLegitimateInterests == [2, 6, 8])
        #expect(
            tcString.publisherRestrictions == [
                .init(purposeID: 1, kind: .requireConsent, vendorRanges: [123...123]),
                .init(purposeID: 2, kind: .notAllowed, vendorRanges: []),
                .init(purposeID: 3, kind: .requireLegitimateInterest, vendorRanges: []),
            ]
        )
    }

    // LiveRamp/iabconsent, v2_parsed_consent_fixture_test.go: bit fields of 720 vendors.
    @Test func liveRampBitFieldVendors() throws {
        let tcString = try TCString(
            decoding: "COvzTO5OvzTO5BZAFMENAPCgAAAAAAAAAAwIFoEUQQgAIQwgIwQABAEAAAAOIAACAIAAAAQAIAgEAACEAAAAAgAQBAAAAAAA"
                + "GBAAgAAAAAAAFAAECAAAgAAQARAEQAAAAAJAAIAAgAAAYQEAAAQmAgBC3ZAYzUwLQIoghAAQhhARggACAIAAAAcQAAEAQAAAAgA"
                + "QBAIAAEIAAAABAAgCAAAAAAAMCABAAAAAAAAKAAIEAABAAAgAiAIgAAAAASAAQABAAAAwgIAAAhMBACFuyAxmpgAA"
        )
        #expect(tcString.cmpID == 89)
        #expect(tcString.cmpVersion == 5)
        #expect(tcString.consentScreen == 12)
        #expect(tcString.publisherCountryCode == "GB")
        #expect(tcString.specialFeatureOptIns.isEmpty)
        #expect(tcString.purposeConsents.isEmpty)
        #expect(tcString.purposeLegitimateInterests.isEmpty)
        #expect(tcString.vendorConsents == Self.liveRampGBVendors)
        #expect(tcString.vendorLegitimateInterests == Self.liveRampGBVendors)
    }

    // LiveRamp/iabconsent, v2_parsed_consent_fixture_test.go: "Valid TCF v2.2" (policy 4) and "TCF > v2.2, with
    // PurposesLit 2 and 7 True" (policy 5).
    static let liveRampPolicies: [(String, Int, Set<Int>)] = [
        ("COvzTO5OvzTO5B7ABCENAPEYAIAAAIAAAIqIAAoAAoAA.QAAo.IAAo", 4, [1]),
        ("COvzTO5OvzTO5B7ABCENAPFYAIAAAEIAAIqIAAoAAoAA.QAAo.IAAo", 5, [2, 7]),
    ]

    @Test(arguments: Self.liveRampPolicies)
    func liveRampPolicyVersions(string: String, policyVersion: Int, legitimateInterests: Set<Int>) throws {
        let tcString = try TCString(decoding: string)
        #expect(tcString.policyVersion == policyVersion)
        #expect(tcString.specialFeatureOptIns == [1])
        #expect(tcString.purposeConsents == [1])
        #expect(tcString.purposeLegitimateInterests == legitimateInterests)
        #expect(tcString.purposeOneTreatment)
        #expect(tcString.publisherCountryCode == "FR")
        #expect(tcString.vendorConsents == [1])
        #expect(tcString.vendorLegitimateInterests == [1])
    }

    // LiveRamp/iabconsent, v2_parsed_consent_fixture_test.go, v2InvalidConsentFixtures: legitimate interest for
    // purposes 3 to 6 under policy version 4 or 5.
    @Test(arguments: [
        "COvwooAOvwooAB7ABCENAPEYAIAAADkAAIqIAAoAAoAA.QAAo.IAAo",
        "COvwooAOvwooAB7ABCENAPEYAIAAACAAAIqIAAoAAoAA.QAAo.IAAo",
        "COvwooAOvwooAB7ABCENAPEYAIAAABAAAIqIAAoAAoAA.QAAo.IAAo",
        "COvwooAOvwooAB7ABCENAPEYAIAAAAgAAIqIAAoAAoAA.QAAo.IAAo",
        "COvwooAOvwooAB7ABCENAPEYAIAAAAQAAIqIAAoAAoAA.QAAo.IAAo",
        "COvwooAOvwooAB7ABCENAPFYAIAAAAQAAIqIAAoAAoAA.QAAo.IAAo",
    ])
    func liveRampProhibitedLegitimateInterest(string: String) {
        #expect(TCStringTestSupport.failure(decoding: string)?.code == .prohibitedLegitimateInterest)
    }

    // metacpan/metacpan-cpan-extracted, distros/G/GDPR-IAB-TCFv2/t/01-parse.t (Perl GDPR::IAB::TCFv2), "valid tcf
    // v2 consent string using bitfield", also with the publisher TC segments of the next subtests.
    @Test(arguments: ["", ".argAC0gAAAAAAAAAAAA", ".YAAAAAAAAXA"])
    func perlBitField(laterSegment: String) throws {
        let tcString = try TCString(
            decoding: "CLcVDxRMWfGmWAVAHCENAXCkAKDAADnAABRgA5mdfCKZuYJez-NQm0TBMYA4oCAAGQYIAAAAAAEAIAEgAA"
                + laterSegment
        )
        #expect(tcString.version == 2)
        #expect(tcString.created == Date(timeIntervalSince1970: 1_228_644_257.7))
        #expect(tcString.lastUpdated == Date(timeIntervalSince1970: 1_326_215_413.4))
        #expect(tcString.cmpID == 21)
        #expect(tcString.cmpVersion == 7)
        #expect(tcString.consentScreen == 2)
        #expect(tcString.consentLanguage == "EN")
        #expect(tcString.vendorListVersion == 23)
        #expect(tcString.policyVersion == 2)
        #expect(tcString.isServiceSpecific)
        #expect(!tcString.useNonStandardTexts)
        #expect(!tcString.purposeOneTreatment)
        #expect(tcString.publisherCountryCode == "KM")
        #expect(tcString.purposeConsents == [1, 3, 9, 10])
        #expect(tcString.purposeLegitimateInterests == [3, 4, 5, 8, 9, 10])
        #expect(tcString.specialFeatureOptIns == [2])
        #expect(
            tcString.vendorConsents == [
                2, 3, 6, 7, 8, 10, 12, 13, 14, 15, 16, 21, 25, 27, 30, 31, 34, 35, 37, 38, 39, 42, 43, 49, 52, 54, 55,
                56, 57, 59, 60, 63, 64, 65, 66, 67, 68, 69, 73, 74, 76, 78, 83, 86, 87, 89, 90, 92, 96, 99, 100, 106,
                109, 110, 114, 115,
            ]
        )
        #expect(tcString.vendorLegitimateInterests == [1, 9, 26, 27, 30, 36, 37, 43, 86, 97, 110, 113])
        #expect(tcString.publisherRestrictions.isEmpty)
    }

    // distros/G/GDPR-IAB-TCFv2/t/01-parse.t, "valid tcf v2 consent string using range".
    @Test func perlRange() throws {
        let tcString = try TCString(
            decoding: "COyfVVoOyfVVoADACHENAwCAAAAAAAAAAAAAE5QBgALgAqgD8AQACSwEygJyAnSAMABgAFkAgQCDASeAmYBOgAA"
        )
        #expect(tcString.created == Date(timeIntervalSince1970: 1_587_946_020))
        #expect(tcString.lastUpdated == Date(timeIntervalSince1970: 1_587_946_020))
        #expect(tcString.cmpID == 3)
        #expect(tcString.cmpVersion == 2)
        #expect(tcString.consentScreen == 7)
        #expect(tcString.consentLanguage == "EN")
        #expect(tcString.vendorListVersion == 48)
        #expect(tcString.policyVersion == 2)
        #expect(!tcString.isServiceSpecific)
        #expect(!tcString.useNonStandardTexts)
        #expect(!tcString.purposeOneTreatment)
        #expect(tcString.publisherCountryCode == "AA")
        #expect(tcString.purposeConsents.isEmpty)
        #expect(tcString.purposeLegitimateInterests.isEmpty)
        #expect(tcString.specialFeatureOptIns.isEmpty)
        #expect(tcString.vendorConsents == [23, 42, 126, 127, 128, 587, 613, 626])
        #expect(tcString.vendorLegitimateInterests == [24, 44, 129, 130, 131, 591, 614, 628])
    }

    // distros/G/GDPR-IAB-TCFv2/t/01-parse.t, "check publisher restriction #1", #2 and #3: which (purpose,
    // restriction type) pairs apply to a vendor.
    static let perlRestrictions: [(String, Int, Set<String>)] = [
        ("COwAdDhOwAdDhN4ABAENAPCgAAQAAv___wAAAFP_AAp_4AI6ACACAA", 32, ["7:1"]),
        ("COwAdDhOwAdDhN4ABAENAPCgAAQAAv___wAAAFP_AAp_4AI6ACACAA", 284, []),
        (
            "COxPe2TOxPe2TALABAENAPCgAAAAAAAAAAAAAFAAAAoAAA4IACACAIABgACAFA4ADACAAIygAGADwAQBIAIAIB0AEAEBSACACAA",
            32, ["1:0", "2:0", "2:1", "7:0", "7:1", "10:0", "10:1"]
        ),
        (
            "COxPe2TOxPe2TALABAENAPCgAAAAAAAAAAAAAFAAAAoAAA4IACACAIABgACAFA4ADACAAIygAGADwAQBIAIAIB0AEAEBSACACAA",
            284, []
        ),
        ("COzSDo9OzSDo9B9AAAENAiCAALAAAAAAAAAACOQAQCOAAAAA", 284, []),
    ]

    @Test(arguments: Self.perlRestrictions)
    func perlPublisherRestrictions(string: String, vendor: Int, restrictions: Set<String>) throws {
        let tcString = try TCString(decoding: string)
        let applying = tcString.publisherRestrictions.filter { $0.applies(toVendor: vendor) }
        #expect(Set(applying.map { "\($0.purposeID):\($0.kind.rawValue)" }) == restrictions)
    }

    // distros/G/GDPR-IAB-TCFv2/t/01-parse.t, "check publisher restriction #2": single checks of other vendors.
    @Test func perlPublisherRestrictionVendors() throws {
        let tcString = try TCString(
            decoding: "COxPe2TOxPe2TALABAENAPCgAAAAAAAAAAAAAFAAAAoAAA4IACACAIABgACAFA4ADACAAIygAGADwAQBIAIAIB0AEAEBSACA"
                + "CAA"
        )
        func restricts(_ purpose: Int, _ kind: TCString.PublisherRestriction.Kind, _ vendor: Int) -> Bool {
            tcString.publisherRestrictions.contains {
                $0.purposeID == purpose && $0.kind == kind && $0.applies(toVendor: vendor)
            }
        }
        #expect(!tcString.purposeOneTreatment)
        #expect(!tcString.specialFeatureOptIns.contains(3))
        #expect(restricts(2, .notAllowed, 5))
        #expect(restricts(2, .notAllowed, 11))
        #expect(!restricts(2, .notAllowed, 44))
        #expect(!restricts(2, .notAllowed, 500))
        #expect(!restricts(2, .requireConsent, 42))
    }

    // distros/G/GDPR-IAB-TCFv2/t/05-tcf-v23.t: a TCF v2.3 string (policy 5) and the v2.0 one beside it.
    @Test(arguments: [
        (
            "CP188cAQKFpAAAHABBENBSFsAP_gAEPgAAiQKqNX_H__bW9r8X73aft0eY1P9_j77uQxBhfJE-4FzLvW_JwXx2ExNA36tqIKmRIE"
                + "u3bBIQNlHJHUTVigaogVryHMak2cpTNKJ6BkiFMRM2dYCF5vm4tj-QKY5_r993dx2D-t_dv83dzyz81Hn3f5_2e0eLCdQ5-tDf"
                + "v9bROb-9IPd_78v4v8_l_rk2_eT1n_tevr7D_-ft8__XW_9_fff_9Pn_-uB_-_3_vf_EFUwCTDQqIA-wJCQg0DCKBACoKwgIoF"
                + "AQAAJA0QEAJgwKdgYALrCRACAFAAMEAIAAQZAAgAAAgAQiACQAoEAAEAgUAAYAEAwEABAwAAgAsBAIAAQHQMUwIIFAsIEjMioU"
                + "wIQoEggJbKhBICgQVwhCLPAIgERMFAAgAAAVgACAsFgcSSAlQkECXUG0AABAAgFEIFQgk9MAAwJmy1B4MG0ZWmAYPmCRDTAMgC"
                + "IIyEAAAA.f_wACHwAAAAA",
            5
        ),
        ("COwAdDhOwAdDhN4ABAENAPCgAAQAAv___wAAAFP_AAp_4AI6ACACAA", 2),
    ])
    func perlPolicyVersions(string: String, policyVersion: Int) throws {
        let tcString = try TCString(decoding: string)
        #expect(tcString.version == 2)
        #expect(tcString.policyVersion == policyVersion)
    }

    // distros/G/GDPR-IAB-TCFv2/t/05-tcf-v23.t, "duplicate segment check": the disclosed vendors segment twice.
    @Test func perlDuplicateSegment() throws {
        let core = "COwAdDhOwAdDhN4ABAENAPCgAAQAAv___wAAAFP_AAp_4AI6ACACAA"
        let disclosed =
            "ILrtR_G__bXlv-bb36ftkeYxf9_hr7sQxBgbJs24FzLvW7JwX32E7NEzatqYKmRIAu3TBIQNtHJjURVCh"
            + "KIgVrzDsaEyUoTtKJ-BkiHMRY2NYCFxvm4tjWQCZ5vr_91d9mT-N7dr-2dzyy7hnv3a9_-S1WJidKYetHfv8bBKT-_IU"
            + "9_x-_4v4_N7pE2-eS1v_tGvt639-4vP_dpvxt-7yffz____73_e7X__d_______Xf_7____________4AAA"
        #expect(throws: Never.self) { try TCString(decoding: core + "." + disclosed) }
        #expect(throws: TCStringError(code: .invalidSegment, message: "segment 3 repeats segment type 1")) {
            try TCString(decoding: core + "." + disclosed + "." + disclosed)
        }
    }

    // distros/G/GDPR-IAB-TCFv2/t/01-parse.t, "invalid tcf consent string candidates", and 05-tcf-v23.t, "Core
    // BitField data_size reflects slice length" (the bit field string less its last 4 characters).
    @Test(arguments: [
        ("", TCStringError.Code.empty),
        ("BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASAAAAAAAAAA", .unsupportedVersion),
        ("DOEFEAyOEFEAyAHABDENAI4AAAB9vABAASAAAAAAAAAA", .unsupportedVersion),
        ("Clc", .truncated),
        ("COyfVVoOyfVVoADACHENAwCAAAAAAAAAAAAAE5QBgALgAqgD8AQACSwEygJyAnSAMABgAFkAgQCDASeAmYBOgA!A", .malformed),
        ("COvcSpYOvcSpYC9AAAENAPCAAAAAAAAAAAAAAFAAAAA", .truncated),
        ("COvcSpYOvcSpYC9AAAENAPCAAAAAAAAAAAAAAFQBgAAgABAACAAEAAQAAgAA", .truncated),
        ("CLcVDxRMWfGmWAVAHCENAXCkAKDAADnAABRgA5mdfCKZuYJez-NQm0TBMYA4oCAAGQYIAAAAAAEAIAE", .truncated),
    ])
    func perlInvalidStrings(string: String, code: TCStringError.Code) {
        #expect(TCStringTestSupport.failure(decoding: string)?.code == code)
    }

    // InteractiveAdvertisingBureau/GDPR-Transparency-and-Consent-Framework,
    // "TCFv2/IAB Tech Lab - Consent string and vendor list formats v2.md": the example strings of the TC String
    // Format and URL sections. The spec states no field values for them, only that TCF v2.2 CMPs write the same
    // day-level timestamp into Created and LastUpdated.
    @Test(arguments: [
        "CQSbk4AQSbk4ANwAAAENAwCgAAAAAAAAAAYgACPAAAAA.IDKQA4AAgAKAGQAygAAA.YAAAAAAAAAAA",
        "CQSbk4AQSbk4ANwAAAENAwCgAAAAAAAAAAYgACPAAAAA.IDKQA4AAgAKAGQAygAAA",
    ])
    func specificationExamples(string: String) throws {
        let tcString = try TCString(decoding: string)
        #expect(tcString.created == tcString.lastUpdated)
        #expect(tcString.created.timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) == 0)
    }
}

/// Malformed strings, each with the code it must fail with; none may appear in its own error.
struct TCStringMalformedTests {
    /// A well-formed string with range-encoded legitimate interests and one publisher restriction, whose bits are
    /// cut in the truncation tests.
    static let cutModel: SyntheticTCString = {
        var model = SyntheticTCString()
        model.vendorConsents = .bitField([2, 3, 20])  // bits 213...249
        model.vendorLegitimateInterests = .ranges([8, 9, 10, 44])  // bits 250...328: entries 279...311, 312...328
        model.publisherRestrictions = [TCRestrictionEntry(purposeID: 2, kind: 1, entries: [.init(start: 5)])]
        return model  // NumPubRestrictions at 329...340, the restriction at 341...377
    }()

    // The field named when the core segment stops after `bits` bits (a multiple of 6, so no padding is added).
    @Test(arguments: [
        (6, "Created"),
        (42, "LastUpdated"),
        (78, "CmpId"),
        (90, "CmpVersion"),
        (102, "ConsentScreen"),
        (108, "ConsentLanguage"),
        (120, "VendorListVersion"),
        (132, "TcfPolicyVersion"),
        (138, "IsServiceSpecific"),
        (144, "SpecialFeatureOptIns"),
        (156, "PurposesConsent"),
        (180, "PurposesLITransparency"),
        (204, "PublisherCC"),
        (216, "MaxVendorId of the vendor consent section"),
        (228, "MaxVendorId of the vendor consent section"),
        (240, "BitField of the vendor consent section"),
        (264, "MaxVendorId of the vendor legitimate interest section"),
        (270, "NumEntries of the vendor legitimate interest section"),
        (294, "StartOrOnlyVendorId of range entry 1 of the vendor legitimate interest section"),
        (300, "EndVendorId of range entry 1 of the vendor legitimate interest section"),
        (312, "IsARange of range entry 2 of the vendor legitimate interest section"),
        (318, "StartOrOnlyVendorId of range entry 2 of the vendor legitimate interest section"),
        (330, "NumPubRestrictions"),
        (342, "PurposeId of publisher restriction 1"),
        (348, "RestrictionType of publisher restriction 1"),
        (354, "NumEntries of publisher restriction 1"),
        (366, "StartOrOnlyVendorId of range entry 1 of publisher restriction 1"),
    ])
    func truncatedNamesTheField(bits: Int, field: String) throws {
        let string = Self.cutModel.bits.base64URL(keepingBits: bits)
        let error = try #require(TCStringTestSupport.failure(decoding: string))
        #expect(error.code == .truncated)
        #expect(error.message.contains("field \(field):"), "\(error)")
    }

    @Test func cutModelIsWellFormed() throws {
        #expect(Self.cutModel.bits.bits.count == 378)
        let tcString = try TCString(decoding: Self.cutModel.encoded)
        #expect(tcString.publisherRestrictions == [.init(purposeID: 2, kind: .requireConsent, vendorRanges: [5...5])])
    }

    // An empty core segment ends before the version.
    @Test func emptyCoreSegment() {
        let error = TCStringTestSupport.failure(decoding: ".IAAo")
        #expect(error?.code == .truncated)
        #expect(error?.message.contains("field Version:") == true)
    }

    /// Malformed variants of ``SyntheticTCString`` and of its encoding, each with its expected code.
    static let cases: [(name: String, string: String, code: TCStringError.Code)] = {
        let valid = SyntheticTCString().encoded
        func variant(_ change: (inout SyntheticTCString) -> Void) -> String {
            var model = SyntheticTCString()
            change(&model)
            return model.encoded
        }
        func restriction(_ purposeID: Int, _ kind: Int, _ entries: [TCRangeEntry]) -> [TCRestrictionEntry] {
            [TCRestrictionEntry(purposeID: purposeID, kind: kind, entries: entries)]
        }
        return [
            ("empty", "", .empty),
            ("leading space", " " + valid, .malformed),
            ("trailing newline", valid + "\n", .malformed),
            ("padding", valid + "==", .malformed),
            ("standard alphabet", valid.replacingOccurrences(of: "A", with: "+"), .malformed),
            ("non-ASCII", valid + "é", .malformed),
            ("version 1", variant { $0.version = 1 }, .unsupportedVersion),
            ("version 3", variant { $0.version = 3 }, .unsupportedVersion),
            ("version 0", variant { $0.version = 0 }, .unsupportedVersion),
            ("created zero", variant { $0.created = 0 }, .invalidDate),
            (
                "both dates zero",
                variant {
                    $0.created = 0
                    $0.lastUpdated = 0
                },
                .invalidDate
            ),
            ("created after update", variant { $0.created = $0.lastUpdated + 1 }, .invalidDate),
            ("language not a letter", variant { $0.consentLanguage = "E[" }, .invalidValue),
            ("country not a letter", variant { $0.publisherCountryCode = "_E" }, .invalidValue),
            (
                "LI for purpose 3 under policy 4",
                variant { $0.purposeLegitimateInterests = [2, 3] }, .prohibitedLegitimateInterest
            ),
            (
                "LI for purpose 6 under policy 5",
                variant {
                    $0.policyVersion = 5
                    $0.purposeLegitimateInterests = [6]
                },
                .prohibitedLegitimateInterest
            ),
            (
                "range end below start",
                variant { $0.vendorConsents = .ranges(maxVendorID: 30, entries: [.init(start: 10, end: 9)]) },
                .invalidRange
            ),
            (
                "vendor id 0",
                variant { $0.vendorConsents = .ranges(maxVendorID: 30, entries: [.init(start: 0)]) }, .invalidVendorID
            ),
            (
                "range from vendor 0",
                variant { $0.vendorLegitimateInterests = .ranges(maxVendorID: 30, entries: [.init(start: 0, end: 4)]) },
                .invalidVendorID
            ),
            (
                "vendor above MaxVendorId",
                variant { $0.vendorConsents = .ranges(maxVendorID: 30, entries: [.init(start: 31)]) }, .invalidVendorID
            ),
            (
                "range beyond MaxVendorId",
                variant {
                    $0.vendorLegitimateInterests = .ranges(maxVendorID: 30, entries: [.init(start: 2, end: 31)])
                },
                .invalidVendorID
            ),
            (
                "range entry with MaxVendorId 0",
                variant { $0.vendorConsents = .ranges(maxVendorID: 0, entries: [.init(start: 1)]) }, .invalidVendorID
            ),
            ("restriction of purpose 0", variant { $0.publisherRestrictions = restriction(0, 0, []) }, .invalidValue),
            ("restriction type 3", variant { $0.publisherRestrictions = restriction(2, 3, []) }, .invalidValue),
            (
                "restriction range end below start",
                variant { $0.publisherRestrictions = restriction(2, 0, [.init(start: 9, end: 3)]) }, .invalidRange
            ),
            (
                "restriction of vendor 0",
                variant { $0.publisherRestrictions = restriction(2, 0, [.init(start: 0)]) }, .invalidVendorID
            ),
            ("empty trailing segment", valid + ".", .invalidSegment),
            ("empty middle segment", valid + "..IAAo", .invalidSegment),
            ("second core segment", valid + "." + valid, .invalidSegment),
            ("segment type 4", valid + ".gAAA", .invalidSegment),
            ("segment type 7", valid + "._AAA", .invalidSegment),
            ("repeated segment type", valid + ".IAAo.YAAA.IAAo", .invalidSegment),
            ("segment with padding", valid + ".IAA=", .malformed),
            ("segment with a space", valid + ".IA Ao", .malformed),
        ]
    }()

    @Test(arguments: Self.cases.indices)
    func rejects(index: Int) {
        let (name, string, code) = Self.cases[index]
        let error = TCStringTestSupport.failure(decoding: string)
        #expect(error?.code == code, "\(name): \(String(describing: error))")
    }

    // The message names fields and bit offsets, never the string or its core segment.
    @Test(arguments: Self.cases.indices)
    func errorDoesNotQuoteTheString(index: Int) throws {
        let (_, string, _) = Self.cases[index]
        let error = try #require(TCStringTestSupport.failure(decoding: string))
        let core = String(string.split(separator: ".", omittingEmptySubsequences: false)[0])
        for part in [string, core] where part.count >= 8 {
            #expect(!error.description.contains(part))
            #expect(!error.description.contains(part.prefix(8)))
        }
    }

    @Test func wellFormedBaseline() throws {
        let tcString = try TCString(decoding: SyntheticTCString().encoded)
        #expect(tcString.vendorLegitimateInterests == [8, 9, 10, 44])
    }
}

/// Synthetic strings written by the test encoder and decoded again: every field must survive, with vendors in
/// both encodings.
struct TCStringRoundTripTests {
    @Test(arguments: [false, true])
    func handWrittenModel(rangeEncoding: Bool) throws {
        var model = SyntheticTCString()
        model.created = 15_834_362_809
        model.lastUpdated = 17_489_088_000
        model.cmpID = 4095
        model.cmpVersion = 4095
        model.consentScreen = 63
        model.consentLanguage = "FR"
        model.vendorListVersion = 4095
        model.policyVersion = 63
        model.isServiceSpecific = false
        model.useNonStandardTexts = true
        model.specialFeatureOptIns = [1, 2, 12]
        model.purposeConsents = Set(1...24)
        model.purposeLegitimateInterests = [1, 2, 7, 24]
        model.purposeOneTreatment = true
        model.publisherCountryCode = "ZZ"
        let consents: Set<Int> = [1, 2, 3, 5, 100, 101, 102, 1000, 65_535]
        let interests: Set<Int> = [7, 65_534]
        model.vendorConsents = rangeEncoding ? .ranges(consents) : .bitField(consents)
        model.vendorLegitimateInterests = rangeEncoding ? .ranges(interests) : .bitField(interests)
        model.publisherRestrictions = [
            TCRestrictionEntry(purposeID: 63, kind: 2, entries: [.init(start: 10, end: 20), .init(start: 21)]),
            TCRestrictionEntry(purposeID: 1, kind: 0, entries: [.init(start: 65_535), .init(start: 1, end: 3)]),
        ]
        model.laterSegments = ["IAAo", "YAAAAAAAAAAA"]
        try TCStringTestSupport.expectRoundTrip(model)
    }

    @Test func emptyVendorSections() throws {
        var model = SyntheticTCString()
        model.vendorConsents = .bitField([])
        model.vendorLegitimateInterests = .ranges([])
        model.specialFeatureOptIns = []
        model.purposeConsents = []
        model.purposeLegitimateInterests = []
        try TCStringTestSupport.expectRoundTrip(model)
    }

    // Overlapping and unordered range entries are a union.
    @Test func overlappingRanges() throws {
        var model = SyntheticTCString()
        model.vendorConsents = .ranges(
            maxVendorID: 40,
            entries: [.init(start: 30, end: 40), .init(start: 5, end: 12), .init(start: 10, end: 31), .init(start: 7)]
        )
        let tcString = try TCString(decoding: model.encoded)
        #expect(tcString.vendorConsents == Set(5...40))
    }

    // Random models from a fixed seed, each in both vendor encodings.
    @Test func randomModels() throws {
        var generator = SplitMix64(seed: 0x7C5_7219)
        for _ in 0..<150 {
            let model = Self.randomModel(using: &generator)
            for rangeEncoding in [false, true] {
                var encoded = model
                let consents = SyntheticTCString.ids(of: model.vendorConsents)
                let interests = SyntheticTCString.ids(of: model.vendorLegitimateInterests)
                encoded.vendorConsents = rangeEncoding ? .ranges(consents) : .bitField(consents)
                encoded.vendorLegitimateInterests = rangeEncoding ? .ranges(interests) : .bitField(interests)
                try TCStringTestSupport.expectRoundTrip(encoded)
            }
        }
    }

    static func randomModel(using generator: inout SplitMix64) -> SyntheticTCString {
        func ids(_ upper: Int, _ density: Double) -> Set<Int> {
            Set((1...upper).filter { _ in Double.random(in: 0..<1, using: &generator) < density })
        }
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        func code() -> String {
            String([letters.randomElement(using: &generator)!, letters.randomElement(using: &generator)!])
        }
        var model = SyntheticTCString()
        model.lastUpdated = Int.random(in: 1..<(1 << 36), using: &generator)
        model.created = Int.random(in: 1...model.lastUpdated, using: &generator)
        model.cmpID = Int.random(in: 0..<4096, using: &generator)
        model.cmpVersion = Int.random(in: 0..<4096, using: &generator)
        model.consentScreen = Int.random(in: 0..<64, using: &generator)
        model.consentLanguage = code()
        model.vendorListVersion = Int.random(in: 0..<4096, using: &generator)
        model.policyVersion = Int.random(in: 0..<64, using: &generator)
        model.isServiceSpecific = Bool.random(using: &generator)
        model.useNonStandardTexts = Bool.random(using: &generator)
        model.specialFeatureOptIns = ids(12, 0.3)
        model.purposeConsents = ids(24, 0.5)
        model.purposeLegitimateInterests = ids(24, 0.4)
        if model.policyVersion >= 4 {
            model.purposeLegitimateInterests.subtract(3...6)
        }
        model.purposeOneTreatment = Bool.random(using: &generator)
        model.publisherCountryCode = code()
        let upper = Int.random(in: 1...1500, using: &generator)
        model.vendorConsents = .bitField(ids(upper, Double.random(in: 0..<1, using: &generator)))
        model.vendorLegitimateInterests = .bitField(ids(upper, Double.random(in: 0..<0.2, using: &generator)))
        model.publisherRestrictions = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
            let entries = TCRangeEntry.runs(of: ids(Int.random(in: 1...300, using: &generator), 0.2))
            return TCRestrictionEntry(
                purposeID: Int.random(in: 1..<64, using: &generator),
                kind: Int.random(in: 0...2, using: &generator),
                entries: entries
            )
        }
        return model
    }
}

/// ``TCString/consents(toAll:)`` and ``TCString/legitimateInterests(inAll:)``.
struct TCStringQueryTests {
    static func tcString() throws -> TCString {
        var model = SyntheticTCString()
        model.policyVersion = 2  // allows legitimate interest bits for purposes 3 to 6
        model.purposeConsents = [1, 2, 3, 4, 7]
        model.purposeLegitimateInterests = [1, 2, 3, 7, 8, 10]
        return try TCString(decoding: model.encoded)
    }

    static let consentCases: [(Set<Int>, Bool)] = [
        ([1, 2], true),
        ([1, 2, 3, 4, 7], true),
        ([7], true),
        ([1, 5], false),
        ([8], false),
        ([25], false),
        ([], false),
    ]

    @Test(arguments: Self.consentCases)
    func consents(purposes: Set<Int>, expected: Bool) throws {
        #expect(try Self.tcString().consents(toAll: purposes) == expected)
    }

    static let legitimateInterestCases: [(Set<Int>, Bool)] = [
        ([2, 7, 8], true),
        ([10], true),
        ([2, 9], false),
        ([1], false),  // purpose 1 never rests on legitimate interest
        ([3], false),  // nor, since TCF v2.2, purposes 3 to 6, whatever an older string says
        ([2, 3], false),
        ([], false),
    ]

    @Test(arguments: Self.legitimateInterestCases)
    func legitimateInterests(purposes: Set<Int>, expected: Bool) throws {
        #expect(try Self.tcString().legitimateInterests(inAll: purposes) == expected)
    }

    @Test func restrictionRanges() {
        let restriction = TCString.PublisherRestriction(
            purposeID: 2,
            kind: .notAllowed,
            vendorRanges: [40...50, 1...3, 4...4, 45...60, 100...100]
        )
        #expect(restriction.vendorRanges == [1...4, 40...60, 100...100])
        let vendors = [0, 1, 4, 5, 39, 40, 60, 61, 99, 100, 101]
        #expect(vendors.filter(restriction.applies(toVendor:)) == [1, 4, 40, 60, 100])
    }

    @Test func errorDescription() {
        let error = TCStringError(code: .truncated, message: "the core segment ends in field CmpId")
        #expect(error.description == "TC string: the core segment ends in field CmpId [truncated]")
    }
}

/// Helpers shared by the TC string suites.
enum TCStringTestSupport {
    /// The error decoding `string` throws, or `nil` if it decodes.
    static func failure(decoding string: String) -> TCStringError? {
        do {
            _ = try TCString(decoding: string)
            return nil
        } catch {
            return error
        }
    }

    /// Encodes `model`, decodes it and expects every field back.
    static func expectRoundTrip(_ model: SyntheticTCString, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let tcString = try TCString(decoding: model.encoded)
        let kinds: [TCString.PublisherRestriction.Kind] = [.notAllowed, .requireConsent, .requireLegitimateInterest]
        let expectedRestrictions = model.publisherRestrictions.map { entry in
            TCString.PublisherRestriction(
                purposeID: entry.purposeID,
                kind: kinds[entry.kind],
                vendorRanges: entry.entries.map(\.range)
            )
        }
        let fields: [(String, Bool)] = [
            ("version", tcString.version == model.version),
            ("created", tcString.created == Date(timeIntervalSince1970: Double(model.created) / 10)),
            ("lastUpdated", tcString.lastUpdated == Date(timeIntervalSince1970: Double(model.lastUpdated) / 10)),
            ("cmpID", tcString.cmpID == model.cmpID),
            ("cmpVersion", tcString.cmpVersion == model.cmpVersion),
            ("consentScreen", tcString.consentScreen == model.consentScreen),
            ("consentLanguage", tcString.consentLanguage == model.consentLanguage),
            ("vendorListVersion", tcString.vendorListVersion == model.vendorListVersion),
            ("policyVersion", tcString.policyVersion == model.policyVersion),
            ("isServiceSpecific", tcString.isServiceSpecific == model.isServiceSpecific),
            ("useNonStandardTexts", tcString.useNonStandardTexts == model.useNonStandardTexts),
            ("specialFeatureOptIns", tcString.specialFeatureOptIns == model.specialFeatureOptIns),
            ("purposeConsents", tcString.purposeConsents == model.purposeConsents),
            ("purposeLegitimateInterests", tcString.purposeLegitimateInterests == model.purposeLegitimateInterests),
            ("purposeOneTreatment", tcString.purposeOneTreatment == model.purposeOneTreatment),
            ("publisherCountryCode", tcString.publisherCountryCode == model.publisherCountryCode),
            ("vendorConsents", tcString.vendorConsents == SyntheticTCString.ids(of: model.vendorConsents)),
            (
                "vendorLegitimateInterests",
                tcString.vendorLegitimateInterests == SyntheticTCString.ids(of: model.vendorLegitimateInterests)
            ),
            ("publisherRestrictions", tcString.publisherRestrictions == expectedRestrictions),
        ]
        for (name, matches) in fields where !matches {
            Issue.record("field \(name) did not survive the round trip", sourceLocation: sourceLocation)
        }
    }
}
