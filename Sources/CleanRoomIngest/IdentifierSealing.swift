public import CleanRoomCore

/// What a sealed identifier is bound to (the associated data of its AES-256-GCM seal under the subject's data
/// key): its subject and kind, so a sealed value moved to another person or kind fails to open.
public enum IdentifierSealing {
    /// `subject:<id>|<kind>`.
    public static func context(_ subject: SubjectID, _ kind: IdentifierKind) -> [UInt8] {
        var context = subject.dataKeyContext
        context.append(UInt8(ascii: "|"))
        context.append(contentsOf: kind.rawValue.utf8)
        return context
    }
}
