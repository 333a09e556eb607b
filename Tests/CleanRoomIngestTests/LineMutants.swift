/// Every line one edit away from `bytes`: each byte deleted, each doubled, and each replaced by every byte of
/// `replacements` (those that matter to JSON or to the checks). The fast paths of JSON Lines parsing are tested on
/// them against the general path.
func lineMutants(_ bytes: [UInt8], replacements: [UInt8]) -> [[UInt8]] {
    var mutants: [[UInt8]] = []
    for index in bytes.indices {
        var deleted = bytes
        deleted.remove(at: index)
        mutants.append(deleted)
        var doubled = bytes
        doubled.insert(bytes[index], at: index)
        mutants.append(doubled)
        for byte in replacements where byte != bytes[index] {
            var replaced = bytes
            replaced[index] = byte
            mutants.append(replaced)
        }
    }
    return mutants
}
