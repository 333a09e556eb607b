internal import Foundation

/// The Unicode steps the normalizers share: trimming, composition, lowercasing and character checks.
///
/// Structure (`@`, `.`, `+`) is always found on Unicode scalars or UTF-8 bytes, never on `Character`s: a
/// combining mark after an `@` would otherwise hide it inside one grapheme cluster.
enum UnicodeText {
    /// Whether `scalar` has the Unicode White_Space property: ASCII space, tab and line breaks, but also
    /// U+00A0 NO-BREAK SPACE, U+2000–U+200A, U+2028/U+2029, U+3000 and the others.
    static func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            // The ASCII White_Space characters: tab, line feed, vertical tab, form feed, carriage return, space.
            return scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value)
        }
        return scalar.properties.isWhitespace
    }

    /// Whether `scalar` is a control character (general category Cc), NUL included.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return scalar.value < 0x20 || scalar.value == 0x7F
        }
        return scalar.properties.generalCategory == .control
    }

    /// Whether `scalar` is an invisible format character (general category Cf): U+200B ZERO WIDTH SPACE,
    /// U+FEFF BYTE ORDER MARK, U+00AD SOFT HYPHEN, the bidirectional marks and the like. No ASCII character is.
    static func isFormat(_ scalar: Unicode.Scalar) -> Bool {
        !scalar.isASCII && scalar.properties.generalCategory == .format
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
        // Every scalar below U+0300 (ASCII, Latin-1, Latin Extended-A and -B, IPA) is NFC_Quick_Check=Yes with
        // combining class 0, so text made of them only is already NFC: most addresses skip Foundation.
        text.unicodeScalars.allSatisfy { $0.value < 0x300 } ? text : text.precomposedStringWithCanonicalMapping
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
        guard text.unicodeScalars.contains(capitalSigma) else { return text.lowercased() }
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
