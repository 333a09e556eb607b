extension DemoGenerator {
    /// Event types by frequency: most sessions are browsing, few end in a purchase.
    private static let eventTypes = DemoChoice([("visit", 50.0), ("click", 27), ("add_to_cart", 14), ("purchase", 9)])
    /// How many units a purchase holds, 1 to 5.
    private static let basketSizes = DemoChoice([(1, 42.0), (2, 27), (3, 16), (4, 9), (5, 6)])
    /// When people shop, by hour of the day (UTC): little at night, a lunch bump, the evening peak.
    private static let hours = DemoWeights([
        1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.5, 3.5, 4, 4.5, 5, 5.5, 5, 4.5, 4.5, 5, 6, 7.5, 8.5, 8, 6.5, 4, 2,
    ])
    /// Event types the policy does not declare.
    static let unknownEventTypes = ["wishlist", "refund", "page_view", "newsletter_open", "return"]

    /// Writes the person's events: on average `eventsPerCustomer`, exponentially spread (many people do little,
    /// a few a lot), in time order, within the last 400 days and after they became customers.
    mutating func writeEvents(of person: DemoPerson, _ files: DemoOutputFiles) throws(DemoError) {
        let mean = Double(self.options.eventsPerCustomer)
        let count = Int((mean * self.eventRandom.exponential()).rounded())
        guard count > 0 else { return }
        let start = max(person.since, self.options.end - Self.eventSpan)
        var times = (0..<count).map { _ in self.eventTime(after: start) }
        times.sort()
        for time in times {
            var record = self.event(of: person, at: time)
            self.summary.events[record.event, default: 0] += 1
            self.line.reset()
            record.write(to: &self.line)
            try files.events.write(self.line)
            guard let kind = self.eventBadRows.next(&self.eventRandom) else { continue }
            self.line.reset()
            switch kind {
            case .unknownEventType:
                record.event = self.eventRandom.pick(Self.unknownEventTypes)
            case .unknownPerson:
                self.unknownPeople += 1
                record = DemoEventRecord(
                    customerID: self.population.unknownCustomerID(self.unknownPeople), event: record.event,
                    at: record.at, amountCents: record.amountCents, items: record.items)
            case .missingIdentifier:
                record.customerID = nil
                record.email = nil
                record.deviceID = nil
            case .badTimestamp:
                record.at = .invalid(self.eventRandom.pick(DemoTime.invalidSpellings))
            case .malformedJSON:
                break
            default:
                preconditionFailure("\(kind) is not a kind of bad event row")
            }
            record.write(to: &self.line)
            if kind == .malformedJSON { DemoBadRow.truncate(&self.line, &self.eventRandom) }
            try files.events.write(self.line)
        }
    }

    /// A time at or after `start` and before the end, at an hour people shop.
    private mutating func eventTime(after start: Int64) -> Int64 {
        let end = self.options.end
        let uniform = start + Int64(self.eventRandom.unit() * Double(end - start))
        let day = uniform / DemoTimestamp.day * DemoTimestamp.day
        let shaped = day + Int64(Self.hours.draw(&self.eventRandom) * 3_600 + self.eventRandom.below(3_600))
        return shaped >= start && shaped < end ? shaped : uniform
    }

    /// An event of the person at `time`: identified mostly by customer id, app events by advertising id, some by
    /// e-mail, store purchases by the store's customer id; purchases with units from the catalogue and their
    /// amount.
    private mutating func event(of person: DemoPerson, at time: Int64) -> DemoEventRecord {
        let type = Self.eventTypes.draw(&self.eventRandom)
        var record = DemoEventRecord(event: type, at: DemoTime.varied(time, &self.eventRandom))
        let choice = self.eventRandom.below(100)
        if let deviceID = person.deviceID, choice < 15 {
            record.deviceID = self.eventRandom.chance(0.7)
                ? deviceID : DemoSpelling.respelledDeviceID(deviceID, &self.eventRandom)
            if self.eventRandom.chance(0.1) { record.customerID = person.customerID }
        } else if let email = person.email, choice >= 15 && choice < 22 {
            record.email = email
        } else if let storeID = person.storeID, type == "purchase", choice >= 22 && choice < 62 {
            record.customerID = storeID
        } else {
            record.customerID = person.customerID
        }
        switch type {
        case "purchase":
            var cents = 0
            for _ in 0..<Self.basketSizes.draw(&self.eventRandom) {
                let rank = self.catalogue.drawRank(&self.eventRandom)
                record.items.append(self.catalogue.skus[rank])
                cents += self.catalogue.prices[rank]
            }
            // Shipping on most orders under 50 euros.
            if cents < 5_000 && self.eventRandom.chance(0.7) { cents += 495 }
            record.amountCents = cents
        case "add_to_cart":
            for _ in 0..<(self.eventRandom.chance(0.8) ? 1 : 2) {
                record.items.append(self.catalogue.skus[self.catalogue.drawRank(&self.eventRandom)])
            }
        default:
            break
        }
        return record
    }
}
