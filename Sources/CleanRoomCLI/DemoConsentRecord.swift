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
        if let customerID = self.customerID {
            line.key("customer_id")
            line.string(customerID)
        }
        if let email = self.email {
            line.key("email")
            line.string(email)
        }
        if let phone = self.phone {
            line.key("phone")
            line.string(phone)
        }
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
