import Foundation

/// Converts the CDNOW purchase log into the ingest contract's JSON Lines, so real purchase data can be ingested.
///
/// The log (Fader and Hardie's CDNOW sample: every purchase of 23,570 customers who first bought at CDNOW in
/// the first quarter of 1997, through June 1998) has one purchase per line, four columns separated by white
/// space: customer id, date `YYYYMMDD`, number of CDs, amount in US dollars. A header line is skipped. The
/// mapping:
/// - one `customer` record per customer id, in order of first appearance: `customer_id` `cdnow-<id>` (the id
///   kept as written, leading zeros too), no other identifier, no attributes (the policy's countries do not
///   include the United States, and the log says nothing else), consent for `analytics` given at the first
///   purchase, source `cdnow`;
/// - one `purchase` event per line, at noon UTC of its date (the log has no time of day); a customer's second,
///   third, ... purchase on the same day comes one, two, ... seconds later, so that it stays a distinct event
///   and is not taken for a duplicate of the first; `amount` the dollar amount exactly as written, currency
///   `USD`; `items` one entry per CD, each the generic SKU `cdnow-cd`, since the log does not say which titles
///   were bought: the count of items is the number of CDs, which is what analyses of this data set use.
///
/// A line that does not fit is skipped and reported by line number and reason, never with its values.
struct DemoCDNOWConverter {
    /// The SKU every CD is recorded as.
    static let sku = "cdnow-cd"

    /// Why a line was skipped.
    enum Reject: String, CaseIterable, Sendable {
        case fieldCount = "not four columns"
        case customerID = "customer id is not a number"
        case date = "date is not a valid YYYYMMDD date"
        case quantity = "number of CDs is not a whole number from 1"
        case amount = "amount is not a decimal number of dollars"
    }

    /// What a conversion did.
    struct Summary: Sendable, CustomStringConvertible {
        /// Purchase lines converted into events.
        var purchases = 0
        /// Customers written.
        var customers = 0
        /// CDs in all purchases.
        var units = 0
        /// Whether a header line was skipped.
        var skippedHeader = false
        /// Skipped lines by reason.
        var rejects: [Reject: Int] = [:]
        /// The first few skipped lines: line number and reason.
        var firstRejects: [(line: Int, reason: Reject)] = []
        /// The first day of the purchases (days since the epoch).
        var firstDay: Int64?
        /// The last day of the purchases (days since the epoch).
        var lastDay: Int64?

        /// The summary as the command prints it on standard error.
        var description: String {
            let rejected = self.rejects.values.reduce(0, +)
            var lines = [
                "events.jsonl: \(DemoSummary.grouped(self.purchases)) purchase events "
                    + "(\(DemoSummary.grouped(self.units)) CDs)"
                    + (self.firstDay.map { first in
                        " from \(Self.date(first)) to \(Self.date(self.lastDay ?? first))"
                    } ?? ""),
                "customers.jsonl: \(DemoSummary.grouped(self.customers)) customers",
                "skipped: \(rejected) line\(rejected == 1 ? "" : "s")"
                    + (self.skippedHeader ? " (and the header line)" : ""),
            ]
            for reason in Reject.allCases where self.rejects[reason] != nil {
                lines.append("  \(reason.rawValue): \(DemoSummary.grouped(self.rejects[reason] ?? 0))")
            }
            for reject in self.firstRejects {
                lines.append("  line \(reject.line): \(reject.reason.rawValue)")
            }
            return lines.joined(separator: "\n")
        }

        private static func date(_ day: Int64) -> String {
            String(DemoTimestamp.string(seconds: day * DemoTimestamp.day).prefix(10))
        }
    }

    /// How many skipped lines are listed one by one.
    static let listedRejects = 10

    /// Converts the CDNOW log `bytes` into `customers.jsonl` and `events.jsonl` in `directory`, which must exist.
    static func convert(_ bytes: [UInt8], into directory: URL) throws(DemoError) -> Summary {
        let customers = try DemoOutputFile(directory: directory, name: "customers.jsonl")
        let events: DemoOutputFile
        do {
            events = try DemoOutputFile(directory: directory, name: "events.jsonl")
        } catch {
            customers.discard()
            throw error
        }
        do throws(DemoError) {
            let summary = try self.convert(bytes, customers: customers, events: events)
            guard summary.purchases > 0 else {
                throw DemoError(.noValidLines, "the CDNOW file holds no purchase line; check that it is the CDNOW log")
            }
            try customers.commit()
            try events.commit()
            return summary
        } catch {
            customers.discard()
            events.discard()
            throw error
        }
    }

    private static func convert(_ bytes: [UInt8], customers: DemoOutputFile, events: DemoOutputFile)
        throws(DemoError) -> Summary
    {
        var summary = Summary()
        var firstPurchase: [String: (order: Int, day: Int64)] = [:]
        var purchasesPerDay: [String: Int] = [:]
        var line = DemoJSONLine()
        var lineNumber = 0
        var sawContent = false
        var items: [String] = []
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let fields = rawLine.split { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == 13 }
            guard !fields.isEmpty else { continue }
            defer { sawContent = true }
            if !sawContent && !fields[0].allSatisfy(Self.isDigit) {
                summary.skippedHeader = true
                continue
            }
            let purchase: Purchase
            switch Purchase.parse(fields) {
            case .purchase(let parsed): purchase = parsed
            case .rejected(let reason):
                summary.rejects[reason, default: 0] += 1
                if summary.firstRejects.count < Self.listedRejects {
                    summary.firstRejects.append((lineNumber, reason))
                }
                continue
            }
            let customerID = "cdnow-" + purchase.customerID
            if let known = firstPurchase[customerID] {
                if purchase.day < known.day { firstPurchase[customerID] = (known.order, purchase.day) }
            } else {
                firstPurchase[customerID] = (firstPurchase.count, purchase.day)
            }
            let dayKey = customerID + " " + String(purchase.day)
            let earlierToday = purchasesPerDay[dayKey, default: 0]
            purchasesPerDay[dayKey] = earlierToday + 1
            items.removeAll(keepingCapacity: true)
            for _ in 0..<purchase.quantity { items.append(Self.sku) }
            line.reset()
            line.openObject()
            line.key("type")
            line.string("event")
            line.key("customer_id")
            line.string(customerID)
            line.key("event")
            line.string("purchase")
            line.key("at")
            line.time(purchase.day * DemoTimestamp.day + Self.noon + Int64(earlierToday))
            line.key("amount")
            line.raw(purchase.amount)
            line.key("currency")
            line.string("USD")
            line.key("items")
            line.openArray()
            for item in items { line.string(item) }
            line.closeArray()
            line.closeObject()
            try events.write(line)
            summary.purchases += 1
            summary.units += purchase.quantity
            summary.firstDay = min(summary.firstDay ?? purchase.day, purchase.day)
            summary.lastDay = max(summary.lastDay ?? purchase.day, purchase.day)
        }
        for (customerID, first) in firstPurchase.sorted(by: { $0.value.order < $1.value.order }) {
            line.reset()
            line.openObject()
            line.key("type")
            line.string("customer")
            line.key("customer_id")
            line.string(customerID)
            line.key("consent")
            line.openObject()
            line.key("analytics")
            line.boolean(true)
            line.closeObject()
            line.key("consent_at")
            line.time(first.day * DemoTimestamp.day + Self.noon)
            line.key("source")
            line.string("cdnow")
            line.closeObject()
            try customers.write(line)
        }
        summary.customers = firstPurchase.count
        return summary
    }

    private static let noon: Int64 = 12 * 3_600

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// One line of the log, checked.
    private struct Purchase {
        var customerID: String
        var day: Int64
        var quantity: Int
        /// The amount as a JSON number: digits without leading zeros, optionally a point and digits.
        var amount: String

        /// A line's outcome: a purchase, or the reason it is skipped.
        enum Parsed {
            case purchase(Purchase)
            case rejected(Reject)
        }

        static func parse(_ fields: [ArraySlice<UInt8>]) -> Parsed {
            guard fields.count == 4 else { return .rejected(.fieldCount) }
            guard fields[0].count <= 20, fields[0].allSatisfy(DemoCDNOWConverter.isDigit) else {
                return .rejected(.customerID)
            }
            let date = fields[1]
            guard date.count == 8, date.allSatisfy(DemoCDNOWConverter.isDigit),
                let day = DemoTimestamp.days(
                    year: Self.number(date.prefix(4)), month: Self.number(date.dropFirst(4).prefix(2)),
                    day: Self.number(date.suffix(2)))
            else { return .rejected(.date) }
            let quantity = fields[2]
            guard quantity.count <= 6, quantity.allSatisfy(DemoCDNOWConverter.isDigit), Self.number(quantity) >= 1
            else { return .rejected(.quantity) }
            let amount = fields[3]
            let parts = amount.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            guard amount.count <= 15, parts.count <= 2, parts.allSatisfy({ !$0.isEmpty }),
                parts.allSatisfy({ $0.allSatisfy(DemoCDNOWConverter.isDigit) })
            else { return .rejected(.amount) }
            // JSON allows no leading zeros: `007.50` is written `7.50`.
            let whole = parts[0].drop { $0 == UInt8(ascii: "0") }
            let written = (whole.isEmpty ? "0" : String(decoding: whole, as: UTF8.self))
                + (parts.count == 2 ? "." + String(decoding: parts[1], as: UTF8.self) : "")
            return .purchase(
                Purchase(
                    customerID: String(decoding: fields[0], as: UTF8.self), day: day,
                    quantity: Self.number(quantity), amount: written))
        }

        private static func number(_ digits: ArraySlice<UInt8>) -> Int {
            digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
    }
}
