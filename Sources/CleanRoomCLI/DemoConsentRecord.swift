/// One line of `consents.jsonl`, in the ingest contract's format (the `consent` record type): a later change
/// of one consent, such as a withdrawal in the preference center.
struct DemoConsentRecord: Sendable {
    /// The person's customer id, when the record identifies them by it.
    var customerID: String?
    /// The person's e-mail address, when the record identifies them by it.
    var email: String?
    /// The person's phone number in E.164, when the record identifies them by it (an SMS opt-out).
    var phone: String?
    /// The purpose.
    var purpose: String
    /// Whether consent is given (`true`) or withdrawn.
    var granted: Bool
    /// When.
    var at: DemoTime
    /// Where the change was made.
    var source: String

    /// Writes the record into `line`, which must be empty.
    func write(to line: inout DemoJSONLine) {
        line.openObject()
        line.key("type")
        line.string("consent")
        line.member("customer_id", self.customerID)
        line.member("email", self.email)
        line.member("phone", self.phone)
        line.key("purpose")
        line.string(self.purpose)
        line.key("granted")
        line.boolean(self.granted)
        line.key("at")
        self.at.write(to: &line)
        line.key("source")
        line.string(self.source)
        line.closeObject()
    }
}
