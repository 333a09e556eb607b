/// A synthetic customer: their identifiers as their primary record writes them, where they live, since when
/// they are a customer, and what they consented to. Events and consent records are made from it.
struct DemoPerson: Sendable {
    /// The person's number, from 1.
    let index: Int
    /// The web shop's customer id (`c-0000042`).
    let customerID: String
    /// The country the person lives in.
    let country: DemoCountry
    /// The e-mail address as typed, before a source system's messiness; `nil` for people without one.
    var cleanEmail: String?
    /// The e-mail address as the primary record writes it.
    var email: String?
    /// For a Gmail user, the mailbox: the local part without dots and tag.
    var gmailMailbox: String?
    /// For a Gmail user, whether the primary record writes `googlemail.com`.
    var usesGooglemail = false
    /// The phone number's block and subscriber digits, when the person gave a number.
    var phoneNumber: (range: DemoCountry.PhoneRange, subscriber: String)?
    /// The phone number as the primary record writes it.
    var phone: String?
    /// The advertising id as the primary record writes it.
    var deviceID: String?
    /// When the person became a customer (seconds since the epoch).
    var since: Int64
    /// Consent by purpose, when the person answered the consent banner.
    var consent: [(purpose: String, granted: Bool)] = []
    /// When the consent was given.
    var consentAt: Int64?
    /// The customer id of the person's second record from the store system, if it has one.
    var storeID: String?

    /// The E.164 form of the person's phone number.
    var phoneE164: String? {
        self.phoneNumber.map { DemoSpelling.e164(country: self.country, range: $0.range, subscriber: $0.subscriber) }
    }
}

/// How a person's second customer record, from another source, shares an identifier with the first, so that
/// identity resolution joins the two.
enum DemoSharedIdentifier: String, CaseIterable, Sendable {
    /// The same address in another case or with white space around it.
    case email
    /// Another spelling of the same Gmail mailbox at the same domain: other dots, a `+tag`. The `google` e-mail
    /// profile joins them.
    case gmailSpelling = "gmail_spelling"
    /// The same Gmail mailbox at the other domain (`googlemail.com` for `gmail.com` or back), which no e-mail
    /// profile joins since the domain stays as written, and the same phone number in another format, which does.
    case googlemailAndPhone = "googlemail_spelling+phone"
    /// The same Gmail mailbox at the other domain and the same advertising id in another spelling.
    case googlemailAndDeviceID = "googlemail_spelling+device_id"
    /// The same phone number in another format.
    case phone
    /// The same advertising id in another spelling.
    case deviceID = "device_id"
}
