import Testing

struct AuditPlaceholderTests {
    @Test func builds() { #expect(Bool(true)) }
}
