internal import Foundation

/// The Unicode steps the normalizers share: trimming, composition, lowercasing and character checks.
///
/// Structure (`@`, `.`, `+`) is always found on Unicode scalars or UTF-8 bytes, never on `Character`s: a
/// combining mark after an `@` would otherwise hide it inside one grapheme cluster.
enum UnicodeText {
    /// Whether `scalar` has the Unicode White_Space property: ASCII space, tab and line breaks, but also
    /// U+00A0 NO-BREAK SPACE, U+2000–U+200A, U+2028/U+2029, U+3000 and the others.
    static func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }

    /// Whether `scalar` is a control character (general category Cc), NUL included.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
    }

    /// Whether every byte of `text` is ASCII, so composition and lowercasing need no Unicode tables.
    static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// `text` without leading and trailing white space (see ``isWhiteSpace(_:)``).
    static func trimmingWhiteSpace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhiteSpace($0) }),
            let last = scalars.lastIndex(where: { !isWhiteSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// `text` in Unicode Normalization Form C, so that `o` + U+0308 and `ö` give the same bytes.
    ///
    /// Foundation's `precomposedStringWithCanonicalMapping` does this on Linux as on Apple platforms (checked
    /// with Swift 6.3 here); the standard library has no public normalization API.
    static func canonicalComposition(_ text: String) -> String {
        isASCII(text) ? text : text.precomposedStringWithCanonicalMapping
    }

    /// `text` with the full Unicode lowercase mapping, as Python's `str.lower()`, Java's
    /// `toLowerCase(Locale.ROOT)` and JavaScript's `toLowerCase()` do it.
    ///
    /// Swift's `lowercased()` maps each scalar on its own (with the SpecialCasing expansions, such as `İ` to
    /// `i` + U+0307, that the other languages also apply) but ignores the one context rule of SpecialCasing.txt
    /// that the others apply: a capital sigma at the end of a word becomes `ς`, not `σ`. This function applies
    /// it too, so `ΟΔΟΣ@…` hashes as the platforms' SDKs hash it. No locale-specific rule (Turkish, Lithuanian)
    /// is applied, as none is by those SDKs.
    static func lowercased(_ text: String) -> String {
        if isASCII(text) { return text.lowercased() }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        for index in scalars.indices {
            let scalar = scalars[index]
            if scalar == capitalSigma && isFinalSigma(at: index, in: scalars) {
                result.append(finalSigma)
            } else {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(result)
    }

    private static let capitalSigma: Unicode.Scalar = "\u{03A3}"
    private static let finalSigma: Unicode.Scalar = "\u{03C2}"

    /// The Final_Sigma condition of Unicode section 3.13: a cased letter (then case-ignorable characters)
    /// before, and no case-ignorable characters followed by a cased letter after.
    private static func isFinalSigma(at index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        let before = scalars[..<index].reversed().first { !$0.properties.isCaseIgnorable }
        let after = scalars[(index + 1)...].first { !$0.properties.isCaseIgnorable }
        return (before?.properties.isCased ?? false) && !(after?.properties.isCased ?? false)
    }
}
