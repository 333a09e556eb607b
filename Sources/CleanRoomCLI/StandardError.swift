import Foundation

/// Writes `text` and a newline to standard error, where diagnostics and summaries go, so standard output
/// carries only results (hashes, reports) that can be piped on.
func printToStandardError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
