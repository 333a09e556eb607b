/// One line of `events.jsonl`, in the ingest contract's format (the `event` record type).
struct DemoEventRecord: Sendable {
    /// The person's customer id, when the event identifies them by it.
    var customerID: String?
    /// The person's e-mail address, when the event identifies them by it.
    var email: String?
    /// The person's advertising id, when the event identifies them by it.
    var deviceID: String?
    /// The event type.
    var event: String
    /// When it happened.
    var at: DemoTime
    /// The amount of a purchase, in cents.
    var amountCents: Int?
    /// The products of a purchase or basket addition, one entry per unit (a product bought twice is listed twice).
    var items: [String] = []

    /// Writes the record into `line`, which must be empty.
    func write(to line: inout DemoJSONLine) {
        line.openObject()
        line.key("type")
        line.string("event")
        line.member("customer_id", self.customerID)
        line.member("email", self.email)
        line.member("device_id", self.deviceID)
        line.key("event")
        line.string(self.event)
        line.key("at")
        self.at.write(to: &line)
        if let amountCents = self.amountCents {
            line.key("amount")
            line.cents(amountCents)
            line.key("currency")
            line.string("EUR")
        }
        if !self.items.isEmpty {
            line.key("items")
            line.openArray()
            for item in self.items { line.string(item) }
            line.closeArray()
        }
        line.closeObject()
    }
}
