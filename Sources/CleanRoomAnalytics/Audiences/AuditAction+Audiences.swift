public import CleanRoomAudit

extension AuditAction {
    /// A partner deleted one of its audiences.
    public static let audienceDelete = AuditAction(rawValue: "audience_delete")
    /// Audiences past the policy's retention were deleted (counts only).
    public static let audienceExpiry = AuditAction(rawValue: "audience_expiry")
}
