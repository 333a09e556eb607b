/// The e-mail mailboxes already given out, so that no two people share one.
///
/// It keeps a 64-bit FNV-1a hash of each mailbox rather than the text: 8 bytes a person. Two different mailboxes
/// with the same hash (about one chance in 10¹³ at a million people) only make the second person pick another
/// address.
struct DemoAddressBook: Sendable {
    private var taken: Set<UInt64> = []

    /// Creates an empty address book with room for `capacity` mailboxes.
    init(capacity: Int) {
        self.taken.reserveCapacity(capacity)
    }

    /// Takes the mailbox of `local`@`domain` and returns `true`, or returns `false` when it is taken. Gmail
    /// addresses are one mailbox whatever their dots, `+tag` and domain spelling (`googlemail.com`), as Gmail
    /// delivers them, so they are compared that way.
    mutating func claim(local: String, domain: String) -> Bool {
        let isGmail = domain == "gmail.com" || domain == "googlemail.com"
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in local.lowercased().utf8 {
            if isGmail && byte == UInt8(ascii: "+") { break }
            if isGmail && byte == UInt8(ascii: ".") { continue }
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        for byte in ("@" + (isGmail ? "gmail.com" : domain.lowercased())).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return self.taken.insert(hash).inserted
    }
}
