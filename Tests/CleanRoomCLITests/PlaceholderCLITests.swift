import Testing

// Replaced by the real suites of this target.
struct PlaceholderCLITests {
    @Test func builds() { #expect(Bool(true)) }
}
