import CleanRoomAudit
import CleanRoomCore
import CleanRoomStore
import Foundation
import Synchronization
import Testing

@testable import CleanRoomAnalytics

/// How the analyst keeps up with many identical questions: one scan a second on an unchanged index, no guard
/// comparison for a cohort already answered about, shared syncs and commits — and each answer still audited and
/// recorded on its own.
struct ReleaseUnderLoadTests {
    static let partner = "alpina-outdoor"

    // MARK: Answer cache

    /// Counts the computations the cache asked for.
    final class Counter: Sendable {
        private let count = Mutex(0)
        func add() { self.count.withLock { $0 += 1 } }
        var value: Int { self.count.withLock { $0 } }
    }

    static func entry(_ people: Double) -> AnswerCache.Entry {
        let total = QueryAnswer.Cell(labels: [], isSuppressed: false, values: [.people: people])
        return AnswerCache.Entry(
            answer: QueryAnswer(
                dimensions: [], metrics: [.people], cells: [total], other: nil, total: total, k: 5, auditSequence: 0),
            cohorts: [])
    }

    @Test func anAnswerIsReusedOnlyOnTheSameGenerationWithinItsLifetime() {
        let cache = AnswerCache(lifetime: 1)
        let computed = Counter()
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        func ask(_ generation: Int, after seconds: TimeInterval) -> Double? {
            let key = AnswerCache.Key(query: "{}", generation: generation)
            return cache.answer(key, at: start + seconds) {
                computed.add()
                return Self.entry(Double(computed.value))
            }.answer.total.values[.people]
        }
        #expect(ask(1, after: 0) == 1)
        #expect(ask(1, after: 0.5) == 1)  // reused
        #expect(ask(2, after: 0.6) == 2)  // a new generation: a write, a withdrawal, an erasure
        #expect(ask(2, after: 1.7) == 3)  // past its lifetime
        #expect(ask(2, after: 1.6) == 4)  // a time before the answer's never gets it
        #expect(ask(2, after: 2.3) == 4)
        #expect(ask(2, after: 2.4) == 5)  // three quarters through its lifetime: refreshed
        #expect(ask(2, after: 2.5) == 5)
        #expect(computed.value == 5)
    }

    @Test func whileOneCallerRefreshesAnAnswerTheOthersAreStillGivenIt() {
        let cache = AnswerCache(lifetime: 1)
        let key = AnswerCache.Key(query: "{}", generation: 0)
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        _ = cache.answer(key, at: start) { Self.entry(1) }
        let refreshing = DispatchSemaphore(value: 0)
        let mayFinish = DispatchSemaphore(value: 0)
        let refreshed = DispatchGroup()
        refreshed.enter()
        Thread.detachNewThread {
            _ = cache.answer(key, at: start + 0.8) {
                refreshing.signal()
                mayFinish.wait()
                return Self.entry(2)
            }
            refreshed.leave()
        }
        refreshing.wait()
        // The refresh is under way: another caller is given the first answer at once, not kept waiting.
        #expect(cache.answer(key, at: start + 0.9) { Self.entry(3) }.answer.total.values[.people] == 1)
        mayFinish.signal()
        refreshed.wait()
        #expect(cache.answer(key, at: start + 1.2) { Self.entry(3) }.answer.total.values[.people] == 2)
    }

    @Test func aFailureIsNotKept() {
        struct Failure: Error {}
        let cache = AnswerCache()
        let key = AnswerCache.Key(query: "{}", generation: 0)
        let now = Date()
        #expect(throws: Failure.self) { try cache.answer(key, at: now) { () throws(Failure) in throw Failure() } }
        #expect(cache.answer(key, at: now) { Self.entry(7) }.answer.total.values[.people] == 7)
    }

    @Test func callersMissingTogetherWaitForOneComputation() {
        let cache = AnswerCache()
        let computed = Counter()
        let key = AnswerCache.Key(query: "{}", generation: 0)
        let now = Date()
        let finished = DispatchGroup()
        let answers = Mutex<[Double?]>([])
        for _ in 0..<16 {
            finished.enter()
            Thread.detachNewThread {
                let answer = cache.answer(key, at: now) {
                    computed.add()
                    Thread.sleep(forTimeInterval: 0.05)
                    return Self.entry(11)
                }
                answers.withLock { $0.append(answer.answer.total.values[.people]) }
                finished.leave()
            }
        }
        finished.wait()
        #expect(computed.value == 1)
        #expect(answers.withLock { $0 } == Array(repeating: 11, count: 16))
    }

    // MARK: Through the analyst

    @Test func aRepeatedQueryIsAuditedAndRecordedEveryTimeAndAWriteReachesTheNextOne() throws {
        let fixture = try AnalyticsFixture()
        let people = try fixture.people(12, ["country": "DE"])
        let analyst = try fixture.analyst()
        let query = Query(purpose: "ads_measurement")
        let answers = try (0..<3).map { _ in try analyst.run(query, as: Self.partner) }
        #expect(answers.map { $0.total.values[.people] } == [12, 12, 12])
        #expect(Set(answers.map(\.auditSequence)).count == 3)
        let included = try fixture.store.read { try $0.cohortReleases.auditSequences(including: people[0]) }
        #expect(included == answers.map(\.auditSequence))
        // The same query at the same instant after withdrawals (k of them, or the guard would refuse): the index
        // changed, so it is computed again.
        for subject in people.suffix(5) { try fixture.withdraw(subject, "ads_measurement") }
        #expect(try analyst.run(query, as: Self.partner).total.values[.people] == 7)
    }

    @Test func aCohortAnsweredAboutBeforeStillGuardsAgainstOneDifferingByOne() throws {
        let fixture = try AnalyticsFixture()
        try fixture.people(20, ["country": "DE", "age_band": "25-34"])
        try fixture.person(["country": "DE", "age_band": "65+"])
        let analyst = try fixture.analyst()
        let cohort = Query(purpose: "ads_measurement", conditions: [.attribute(.init(attribute: "country", values: ["DE"]))])
        _ = try analyst.run(cohort, as: Self.partner)
        _ = try analyst.run(cohort, as: Self.partner)  // known: no comparison needed
        var minusOne = cohort
        minusOne.conditions.append(.attribute(.init(attribute: "age_band", values: ["65+"], negated: true)))
        let error = #expect(throws: AnalyticsError.self) { try analyst.run(minusOne, as: Self.partner) }
        #expect(error?.rule == "privacy.differencing_guard")
        // Asked again, it is refused again (without a new comparison) and audited again.
        let refusals = try fixture.auditEntries().filter { $0.record.decision == .refused("privacy.differencing_guard") }
        let again = #expect(throws: AnalyticsError.self) { try analyst.run(minusOne, as: Self.partner) }
        #expect(again?.rule == "privacy.differencing_guard")
        #expect(try fixture.auditEntries().filter { $0.record.decision == .refused("privacy.differencing_guard") }.count
            == refusals.count + 1)
        // Another principal's history is its own: the first time it asks, its cohort is new to it.
        #expect(try analyst.run(minusOne, as: "dailynews-media").total.values[.people] == 20)
    }

    @Test func concurrentAnswersEachGetTheirOwnDurableEntryAndRecord() throws {
        let fixture = try AnalyticsFixture()
        let people = try fixture.people(12, ["country": "DE"])
        let analyst = try fixture.analyst()
        let before = fixture.audit.size
        let sequences = Mutex<[Int]>([])
        let finished = DispatchGroup()
        for index in 0..<40 {
            finished.enter()
            Thread.detachNewThread {
                let query = Query(purpose: "ads_measurement", groupBy: index % 2 == 0 ? [] : ["country"])
                if let answer = try? analyst.run(query, as: Self.partner) {
                    sequences.withLock { $0.append(answer.auditSequence) }
                }
                finished.leave()
            }
        }
        finished.wait()
        let answered = sequences.withLock { $0.sorted() }
        #expect(answered.count == 40)
        #expect(Set(answered).count == 40)
        #expect(fixture.audit.size == before + 40)
        let included = try fixture.store.read { try $0.cohortReleases.auditSequences(including: people[0]) }
        #expect(included == answered)
    }

    @Test func aRecordThatCannotBeWrittenFailsAloneAndTheRecorderGoesOn() throws {
        let fixture = try AnalyticsFixture()
        let people = try fixture.people(6)
        let recorder = ReleaseRecorder(store: fixture.store)
        let cohort = ReleasedCohort(ascending: Array(people.prefix(3)))
        // "Known" but never stored: the link has nothing to point to.
        #expect(throws: (any Error).self) {
            try recorder.record(.init(auditSequence: 1, principal: Self.partner, cohorts: [cohort], cohortsAreKnown: true))
        }
        try recorder.record(.init(auditSequence: 2, principal: Self.partner, cohorts: [cohort], cohortsAreKnown: false))
        try recorder.record(.init(auditSequence: 3, principal: Self.partner, cohorts: [cohort], cohortsAreKnown: true))
        let linked = try fixture.store.read { try $0.cohortReleases.auditSequences(including: people[1]) }
        #expect(linked == [2, 3])

        // In one transaction with others, it fails alone: the releases around it are recorded.
        let stranger = ReleasedCohort(ascending: Array(people.suffix(2)))
        let failures = ReleaseRecorder.write([
            (10, .init(auditSequence: 10, principal: Self.partner, cohorts: [cohort], cohortsAreKnown: true)),
            (11, .init(auditSequence: 11, principal: Self.partner, cohorts: [stranger], cohortsAreKnown: true)),
            (12, .init(auditSequence: 12, principal: Self.partner, cohorts: [cohort], cohortsAreKnown: true)),
        ], to: fixture.store)
        #expect(Array(failures.keys) == [11])
        #expect(try fixture.store.read { try $0.cohortReleases.auditSequences(including: people[1]) } == [2, 3, 10, 12])
    }
}
