extension DemoGenerator {
    /// Purposes the policy does not declare.
    static let unknownPurposes = ["marketing_emails", "profiling", "personalised_ads", "all"]

    /// Writes the person's later consent changes: for about 4 % of people who answered the banner, a withdrawal
    /// of a purpose they granted (or a grant of one they refused), and for a third of those a change back later.
    mutating func writeConsentChanges(of person: DemoPerson, _ files: DemoOutputFiles) throws(DemoError) {
        guard let consentAt = person.consentAt, self.consentRandom.chance(0.04) else { return }
        let end = self.options.end
        guard end - consentAt > 3_600 else { return }
        let (purpose, wasGranted) = self.consentRandom.pick(person.consent)
        var time = consentAt + 60 + Int64(self.consentRandom.unit() * Double(end - consentAt - 120))
        var granted = !wasGranted
        var changes = [self.consentChange(of: person, purpose: purpose, granted: granted, at: time)]
        if self.consentRandom.chance(0.35) && end - time > 120 {
            time += 60 + Int64(self.consentRandom.unit() * Double(end - time - 120))
            granted.toggle()
            changes.append(self.consentChange(of: person, purpose: purpose, granted: granted, at: time))
        }
        for var record in changes {
            self.summary.consentRecords += 1
            self.line.reset()
            record.write(to: &self.line)
            try files.consents.write(self.line)
            guard let kind = self.consentBadRows.next(&self.consentRandom) else { continue }
            self.line.reset()
            switch kind {
            case .unknownPurpose:
                record.purpose = self.consentRandom.pick(Self.unknownPurposes)
            case .unknownPerson:
                self.unknownPeople += 1
                record.customerID = self.population.unknownCustomerID(self.unknownPeople)
                record.email = nil
                record.phone = nil
            case .missingIdentifier:
                record.customerID = nil
                record.email = nil
                record.phone = nil
            case .badTimestamp:
                record.at = .invalid(self.consentRandom.pick(DemoTime.invalidSpellings))
            case .malformedJSON:
                break
            default:
                preconditionFailure("\(kind) is not a kind of bad consent row")
            }
            record.write(to: &self.line)
            if kind == .malformedJSON { DemoBadRow.truncate(&self.line, &self.consentRandom) }
            try files.consents.write(self.line)
        }
    }

    /// A consent change identified the way its source knows the person: the preference center and unsubscribe
    /// links by e-mail, an SMS opt-out (a withdrawal) by phone number, the app and customer service by customer id.
    private mutating func consentChange(of person: DemoPerson, purpose: String, granted: Bool, at time: Int64)
        -> DemoConsentRecord
    {
        var record = DemoConsentRecord(
            purpose: purpose, granted: granted, at: DemoTime.varied(time, &self.consentRandom),
            source: "customer-service")
        let choice = self.consentRandom.below(100)
        if let email = person.email, choice < 55 {
            record.email = email
            record.source = !granted && self.consentRandom.chance(0.4) ? "unsubscribe-link" : "preference-center"
        } else if let phone = person.phoneE164, choice < 65, !granted, purpose != "analytics" {
            record.phone = phone
            record.source = "sms"
        } else {
            record.customerID = person.customerID
            record.source = self.consentRandom.chance(0.6) ? "app-settings" : "customer-service"
        }
        return record
    }
}
