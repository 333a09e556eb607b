/// One line of `customers.jsonl`, in the ingest contract's JSON Lines format (the `customer` record type).
struct DemoCustomerRecord: Sendable {
    /// The owner's customer id.
    var customerID: String?
    /// The e-mail address as the source system holds it (case, white space and all).
    var email: String?
    /// The phone number as written: national, read in the record's country, or international.
    var phone: String?
    /// The advertising id as written.
    var deviceID: String?
    /// Attributes by name, in the order written.
    var attributes: [(name: String, value: DemoValue)] = []
    /// Consent by purpose, in the order written; no `consent` object when empty.
    var consent: [(purpose: String, granted: Bool)] = []
    /// When consent was given; required with consent.
    var consentAt: DemoTime?
    /// The system the record comes from.
    var source: String

    /// Writes the record into `line`, which must be empty.
    func write(to line: inout DemoJSONLine) {
        line.openObject()
        line.key("type")
        line.string("customer")
        line.member("customer_id", self.customerID)
        line.member("email", self.email)
        line.member("phone", self.phone)
        line.member("device_id", self.deviceID)
        if !self.attributes.isEmpty {
            line.key("attributes")
            line.openObject()
            for (name, value) in self.attributes {
                line.key(name)
                value.write(to: &line)
            }
            line.closeObject()
        }
        if !self.consent.isEmpty {
            line.key("consent")
            line.openObject()
            for (purpose, granted) in self.consent {
                line.key(purpose)
                line.boolean(granted)
            }
            line.closeObject()
        }
        if let consentAt = self.consentAt {
            line.key("consent_at")
            consentAt.write(to: &line)
        }
        line.key("source")
        line.string(self.source)
        line.closeObject()
    }
}
