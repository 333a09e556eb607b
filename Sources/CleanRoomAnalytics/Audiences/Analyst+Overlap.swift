import CleanRoomAudit
import CleanRoomCore
public import Foundation

extension Analyst {
    /// Counts, under the privacy contract, the owner's people whom audience `id` of the principal named
    /// `principalName` matches: `query` (its purpose `partner_matching`, with any breakdown, filters and metrics
    /// the principal may use) is answered as ``run(_:as:at:)`` answers it, over only the people the audience matched
    /// (DESIGN.md section 6.6).
    ///
    /// - The partner learns counts, never which hashes matched: a group under k is suppressed, secondary suppression
    ///   holds, and the differencing guard refuses an overlap whose people differ by 1 to k − 1 from a group the
    ///   principal was answered about before — such as the same list uploaded again without one hash.
    /// - Only people counting for `partner_matching` at `time` match (a withdrawal takes effect at once), and an
    ///   erased person never does.
    /// - Audited as `audience_overlap` with the audience's id and the query's shape, before the answer is returned.
    ///
    /// - Throws: ``AnalyticsError``: `notFound` when the principal has no live audience `id` (unknown, expired or
    ///   another's, without saying which); `invalidQuery` (a purpose other than `partner_matching`), `forbidden` or
    ///   `refused` as ``run(_:as:at:)``; all audited; `unavailable` when it cannot be matched, audited or recorded.
    public func overlap(
        audience id: String, in audiences: AudienceBook, query: Query, as principalName: String, at time: Date = Date()
    ) throws(AnalyticsError) -> QueryAnswer {
        var request = query.canonicalJSON
        if case .object(var fields) = request, case .object(let audience) = AudienceBook.request(naming: id) {
            fields.merge(audience) { _, named in named }
            request = .object(fields)
        }
        return try self.answer(
            query, as: principalName, at: time, action: .audienceOverlap, request: request
        ) { principal, index throws(AnalyticsError) in
            guard query.purpose == AudienceBook.purpose else {
                throw .invalid("an audience overlap is computed for \(AudienceBook.purpose)", field: "purpose")
            }
            do throws(AudienceError) {
                return try audiences.matchedRows(ofAudience: id, ownedBy: principal.name, in: index, at: time)
            } catch {
                throw AnalyticsError(
                    code: error.code == .notFound ? .notFound : .unavailable, message: error.message, rule: error.rule)
            }
        }
    }
}
