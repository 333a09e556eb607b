import CleanRoomCore
import Testing

/// The device ids that are not quite an IDFA or AAID, and the all-zero id, are refused with the right code.
struct DeviceIDNormalizerTests {
    @Test(arguments: [
        ("6d92078a-8246-4ba4-ae5b-76104861e7d", "invalid"),  // 35 characters
        ("6d92078a-8246-4ba4-ae5b-76104861e7dcc", "invalid"),  // 37
        ("6d92078a8-246-4ba4-ae5b-76104861e7dc", "invalid"),  // a hyphen out of place
        ("6d92078a-8246-4ba4-ae5b+76104861e7dc", "invalid"),  // not a hyphen
        ("6d92078a-8246-4ba4-ae5b-76104861e7dg", "invalid"),  // not a hex digit
        ("6d92078a82464ba4ae5b76104861e7d", "invalid"),  // 31 digits
        ("6d92078a82464ba4ae5b76104861e7dcc", "invalid"),  // 33
        ("6d92078a82464ba4ae5b76104861e7dé", "invalid"),  // a two-byte character
        ("{6d92078a82464ba4ae5b76104861e7dc", "invalid"),  // one brace
        ("00000000-0000-0000-0000-000000000000", "all zero"),
        ("{00000000000000000000000000000000}", "all zero"),
        ("0000000000000000000000000000000", "invalid"),  // 31 zeros: the length first
        ("{6D92078A-8246-4BA4-AE5B-76104861E7DC}", "6d92078a-8246-4ba4-ae5b-76104861e7dc"),
        ("00000000000000000000000000000001", "00000000-0000-0000-0000-000000000001"),
    ])
    func normalizesOrRefuses(raw: String, expected: String) {
        do {
            #expect(try DeviceIDNormalizer.normalize(raw) == expected)
        } catch {
            switch error.code {
            case .invalidDeviceID: #expect(expected == "invalid", "\(raw)")
            case .allZeroDeviceID: #expect(expected == "all zero", "\(raw)")
            default: Issue.record("\(raw): \(error.code)")
            }
        }
    }
}
