public import CleanRoomAudit
public import CleanRoomCore
public import CleanRoomStore
public import Foundation
internal import CleanRoomCrypto
internal import Synchronization

/// Answers aggregate queries under the policy and the privacy contract, auditing each one before it answers
/// (DESIGN.md sections 2 and 6).
///
/// For each query: the principal's rights are checked; the cohort engine's current index is scanned for the
/// purpose's people who pass the filters; the cells are released under the k-threshold and secondary suppression
/// (``Disclosure``); the differencing guard compares each released cohort with those the principal was answered
/// about before; then the audit entry is written and synced, the cohorts are recorded (for access requests and
/// the guard), and only then is the answer returned. A refused query is audited too, with the rule that refused
/// it. If the audit entry or the record cannot be written, nothing is returned.
///
/// Under load: at most `concurrentComputations` scans or minings run at once; an identical query on an unchanged
/// index within the same second reuses the computed answer (``AnswerCache``) but is checked, guarded, audited and
/// recorded on its own; answers about cohorts the principal was already answered about need no new guard
/// comparison and share audit syncs and record commits with the answers released beside them.
public final class Analyst: Sendable {
    private let engine: CohortEngine
    private let store: Store
    private let policy: Policy
    private let segments: SegmentCatalog
    private let audit: AuditLog
    /// Serializes guard checks of new cohorts with the records they depend on, so two queries cannot both pass on
    /// the same history.
    private let releases: Mutex<Void>
    private let computations: ComputeGate
    private let answers = AnswerCache()
    private let recorder: ReleaseRecorder
    private let guardedCohorts = GuardedCohortDigests()
    /// Cohorts already encoded, so a repeated question costs one pass over its people.
    private let cohortCache = ReleasedCohortCache()

    /// An analyst over `engine`'s index of `store`, under `policy` and `segments`, auditing into `audit`, running at
    /// most `concurrentComputations` scans or minings at once (by default, one per core).
    public init(
        engine: CohortEngine, store: Store, policy: Policy, segments: SegmentCatalog, audit: AuditLog,
        concurrentComputations: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.engine = engine
        self.store = store
        self.policy = policy
        self.segments = segments
        self.audit = audit
        self.releases = Mutex(())
        self.computations = ComputeGate(limit: concurrentComputations)
        self.recorder = ReleaseRecorder(store: store)
    }

    /// Runs `query` for the principal named `principalName` as of `time`.
    ///
    /// - Throws: ``AnalyticsError``: `invalidQuery` or `forbidden` (audited as refused), `refused` by the
    ///   differencing guard (audited), `unavailable` when the audit entry or the release record cannot be written.
    public func run(_ query: Query, as principalName: String, at time: Date = Date()) throws(AnalyticsError)
        -> QueryAnswer
    {
        try self.answer(
            query, as: principalName, at: time, action: .query, request: query.canonicalJSON, restriction: nil)
    }

    /// Answers `query` as ``run(_:as:at:)`` does, audited as `action` with `request`; when `restriction` is given it
    /// picks, once the query is checked for the principal, the rows of the index the scan is restricted to (the
    /// people an audience matched), and every rule of the privacy contract applies to what is left.
    func answer(
        _ query: Query, as principalName: String, at time: Date, action: AuditAction, request: CanonicalJSON,
        restriction: ((Policy.Principal, CohortIndex) throws(AnalyticsError) -> SubjectSet)?
    ) throws(AnalyticsError) -> QueryAnswer {
        let principal = self.policy.principal(named: principalName)
        let started = ContinuousClock.now
        do throws(AnalyticsError) {
            guard let principal else {
                throw AnalyticsError.forbidden("no principal is called \(principalName)", rule: "principal.unknown")
            }
            try QueryPlan.check(query, principal: principal, policy: self.policy, segments: self.segments)
            let (index, generation) = try self.currentIndex(at: time)
            let computed: AnswerCache.Entry
            if let restriction {
                computed = try self.computations.run { () throws(AnalyticsError) in
                    try self.compute(query, over: index, at: time, restrictedTo: try restriction(principal, index))
                }
            } else {
                let key = AnswerCache.Key(query: query.canonicalJSON.text, generation: generation)
                computed = try self.answers.answer(key, at: time) { () throws(AnalyticsError) in
                    try self.computations.run { () throws(AnalyticsError) in
                        try self.compute(query, over: index, at: time, restrictedTo: nil)
                    }
                }
            }
            var answer = computed.answer
            let cohorts = computed.cohorts
            answer.timings = ReleaseTimings()
            answer.timings.compute = ContinuousClock.now - started
            return try self.release(answer, cohorts: cohorts, principal: principal) { () throws(AnalyticsError) in
                try self.auditAnswer(
                    principal: principal, action: action, purpose: query.purpose, request: request,
                    cohortSizes: cohorts.map(\.count), suppressedCells: answer.suppressedCellCount,
                    content: answer.contentJSON)
            }
        } catch let error
            where error.code == .invalidQuery || error.code == .forbidden || error.code == .refused
                || error.code == .notFound
        {
            try self.auditRefusal(
                rule: error.rule ?? "query.invalid", action: action, purpose: query.purpose, request: request, principalName: principalName,
                role: principal?.role)
            throw error
        }
    }

    /// Scans `index` for `query` (only `rows` when given) and applies the privacy contract's thresholds: the answer
    /// before the guard and the audit, and the cohorts behind its released numbers.
    private func compute(
        _ query: Query, over index: CohortIndex, at time: Date, restrictedTo rows: SubjectSet?
    ) throws(AnalyticsError) -> AnswerCache.Entry {
        let plan = try QueryPlan.compile(query, index: index, segments: self.segments, at: time, restrictedTo: rows)
        let scan = QueryScan(plan, over: index)
        let labels = Self.labels(of: plan)
        let released = Disclosure(k: self.policy.privacy.k).release(
            scan.cells, labels: labels, listsEveryCell: !plan.dimensions.contains(where: \.isOpen),
            metrics: query.metrics)
        let answer = QueryAnswer(
            dimensions: query.groupBy, metrics: query.metrics, cells: released.cells, other: released.other,
            total: released.total, k: self.policy.privacy.k, auditSequence: 0)
        let cohorts = self.releasedCohorts(answer, labels: labels, plan: plan, scan: scan, index: index)
        return AnswerCache.Entry(answer: answer, cohorts: cohorts)
    }

    /// Mines association rules for the principal named `principalName` as of `time` and releases those the privacy
    /// contract allows (``RuleRelease``): every rule's itemsets backed by at least max(k, s·N) people, no inference
    /// channel to a smaller group, the differencing guard over the people mined, and the audit entry first.
    ///
    /// - Throws: ``AnalyticsError`` as ``run(_:as:at:)`` does.
    public func rules(_ request: RulesRequest, as principalName: String, at time: Date = Date()) throws(AnalyticsError)
        -> RulesAnswer
    {
        let principal = self.policy.principal(named: principalName)
        let k = self.policy.privacy.k
        let started = ContinuousClock.now
        do throws(AnalyticsError) {
            guard let principal else {
                throw AnalyticsError.forbidden("no principal is called \(principalName)", rule: "principal.unknown")
            }
            try request.check(principal: principal, policy: self.policy)
            let index = try self.currentIndex(at: time).index
            let baskets = self.computations.run { Baskets(request, index: index, at: time) }
            let people = baskets.transactions.count
            if people >= k {
                let (candidates, released) = self.computations.run {
                    let minimumCount = max(k, Int((request.minimumSupport * Double(people)).rounded(.up)))
                    let itemsets = FrequentItemsetMiner(
                        minimumSupport: minimumCount, maximumLength: request.maximumLength
                    ).mine(baskets.transactions)
                    var candidates = AssociationRules.generate(
                        from: itemsets, minimumConfidence: request.minimumConfidence)
                    if let item = request.item {
                        let code = index.itemValues.code(of: item) ?? .max
                        candidates = candidates.filter { $0.antecedent == [code] && $0.consequent.count == 1 }
                    }
                    let released = RuleRelease(k: k).release(candidates, transactionCount: people)
                        .sorted { ($0.confidence, $0.support) > ($1.confidence, $1.support) }
                    return (candidates, released)
                }
                let withheld = candidates.count - released.count
                var answer = RulesAnswer(
                    people: people, rules: released.map { Self.named($0, index: index, people: people) },
                    withheld: withheld, k: k, auditSequence: 0)
                let cohort = ReleasedCohort(ascending: baskets.rows.map { index.subject(ofRow: $0) })
                answer.timings.compute = ContinuousClock.now - started
                return try self.release(answer, cohorts: [cohort], principal: principal) { () throws(AnalyticsError) in
                    try self.auditAnswer(
                        principal: principal, action: .rules, purpose: request.purpose, request: request.canonicalJSON,
                        cohortSizes: [people], suppressedCells: 0, content: answer.contentJSON)
                }
            }
            var answer = RulesAnswer(people: nil, rules: [], withheld: 0, k: k, auditSequence: 0)
            answer.auditSequence = try self.auditAnswer(
                principal: principal, action: .rules, purpose: request.purpose, request: request.canonicalJSON,
                cohortSizes: [], suppressedCells: 1, content: answer.contentJSON)
            return answer
        } catch let error where error.code == .invalidQuery || error.code == .forbidden || error.code == .refused {
            try self.auditRefusal(
                rule: error.rule ?? "query.invalid", action: .rules, purpose: request.purpose, request: request.canonicalJSON,
                principalName: principalName, role: principal?.role)
            throw error
        }
    }

    private static func named(_ rule: AssociationRule, index: CohortIndex, people: Int) -> RulesAnswer.Rule {
        let names = { (codes: [UInt32]) in codes.map { index.itemValues.text(of: $0) }.sorted() }
        return RulesAnswer.Rule(
            antecedent: names(rule.antecedent), consequent: names(rule.consequent),
            support: Double(rule.support) / Double(people), confidence: rule.confidence,
            lift: rule.lift(transactionCount: people))
    }

    /// Audits a query that could not even be read (malformed JSON, an unknown field), as refused under
    /// `query.invalid` with the field at fault, then returns the error for the caller to throw.
    ///
    /// - Throws: ``AnalyticsError`` `unavailable` when the refusal cannot be audited.
    public func refuseUnreadable(_ error: AnalyticsError, as principalName: String) throws(AnalyticsError)
        -> AnalyticsError
    {
        try self.auditRefusal(
            rule: "query.invalid", action: .query, purpose: nil,
            request: .object(["unreadable_field": .string(error.field ?? "")]), principalName: principalName,
            role: self.policy.principal(named: principalName)?.role)
        return error
    }

    // MARK: Cohorts

    /// The cohorts behind the released numbers: the total first (when released), then each released cell and the
    /// pooled "other" cell. The scan fingerprinted them; only those not met before are gathered and encoded.
    private func releasedCohorts(
        _ answer: QueryAnswer, labels: [[String?]], plan: QueryPlan, scan: QueryScan, index: CohortIndex
    ) -> [ReleasedCohort] {
        let positions = Dictionary(labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var listed = Array(repeating: false, count: labels.count)
        var releasedCells: [Int] = []
        let grouped = !plan.dimensions.isEmpty
        // Without a breakdown the one cell is the total.
        for cell in answer.cells where grouped {
            guard let position = positions[cell.labels] else { continue }
            listed[position] = true
            if !cell.isSuppressed { releasedCells.append(position) }
        }
        let releaseOther = grouped && answer.other.map { !$0.isSuppressed } == true
        // Fingerprints: the scan made the total's and each cell's; the unlisted cells pooled take one more pass.
        var other = CohortFingerprint()
        if releaseOther {
            for (row, cell) in scan.cellOfRow.enumerated() where cell >= 0 && !listed[Int(cell)] {
                other.add(index.subjectIDs[row])
            }
        }
        let total = scan.totalFingerprint
        let cells = scan.fingerprints
        // What to release, found in the cache or gathered and encoded in one more pass.
        enum Group: Hashable { case total, cell(Int), other }
        var wanted: [(Group, CohortFingerprint)] = []
        if !answer.total.isSuppressed { wanted.append((.total, total)) }
        wanted += releasedCells.map { (.cell($0), cells[$0]) }
        if releaseOther { wanted.append((.other, other)) }
        var found: [Group: ReleasedCohort] = [:]
        for (group, fingerprint) in wanted {
            found[group] = self.cohortCache.cohort(fingerprint)
        }
        let missing = Set(wanted.map(\.0).filter { found[$0] == nil })
        if !missing.isEmpty {
            var gathered: [Group: [SubjectID]] = [:]
            for (row, cell) in scan.cellOfRow.enumerated() where cell >= 0 {
                let subject = index.subject(ofRow: row)
                if missing.contains(.total) { gathered[.total, default: []].append(subject) }
                guard grouped else { continue }
                if missing.contains(.cell(Int(cell))) { gathered[.cell(Int(cell)), default: []].append(subject) }
                if missing.contains(.other) && !listed[Int(cell)] { gathered[.other, default: []].append(subject) }
            }
            for (group, fingerprint) in wanted where found[group] == nil {
                let cohort = ReleasedCohort(ascending: gathered[group] ?? [])
                self.cohortCache.keep(cohort, as: fingerprint)
                found[group] = cohort
            }
        }
        return wanted.compactMap { found[$0.0] }
    }

    /// The labels of each cell position of `plan`, in mixed-radix order.
    static func labels(of plan: QueryPlan) -> [[String?]] {
        plan.dimensions.reduce([[]]) { prefixes, dimension in
            prefixes.flatMap { prefix in dimension.labels.map { prefix + [$0] } }
        }
    }

    /// Refuses when a cohort differs from one the principal was answered about by at least one and fewer than k
    /// people (DESIGN.md section 6.4).
    private func checkDifferencing(_ cohorts: [ReleasedCohort], principal: String) throws(AnalyticsError) {
        let k = self.policy.privacy.k
        if self.guardedCohorts.containsRefused(cohorts, for: principal) {
            throw Self.differencingRefusal(k: k)
        }
        for cohort in cohorts {
            let size = cohort.count
            let earlier: [CohortMembers]
            let subjects: [SubjectID]
            do {
                earlier = try self.store.read { transaction in
                    try transaction.cohortReleases.guardedCohorts(
                        principal: principal, sizes: max(0, size - k + 1)...(size + k - 1), excluding: cohort.digest)
                }
                subjects = earlier.isEmpty ? [] : try cohort.subjects()
            } catch {
                throw AnalyticsError(code: .unavailable, message: "the differencing guard cannot read its history: \(error)")
            }
            for candidate in earlier {
                let difference: Int
                do {
                    difference = try candidate.symmetricDifferenceCount(withAscending: subjects, limit: k)
                } catch {
                    throw AnalyticsError(
                        code: .unavailable, message: "the differencing guard cannot read an earlier cohort: \(error)")
                }
                if difference > 0 && difference < k {
                    self.guardedCohorts.insertRefused(cohort, for: principal)
                    throw Self.differencingRefusal(k: k)
                }
            }
        }
    }

    private static func differencingRefusal(k: Int) -> AnalyticsError {
        AnalyticsError(
            code: .refused,
            message: "the answer would be about a group of people that differs by fewer than \(k) from a group you "
                + "were answered about before, which would reveal those few people; widen or change the query",
            rule: "privacy.differencing_guard")
    }

    // MARK: Release

    private func currentIndex(at time: Date) throws(AnalyticsError) -> (index: CohortIndex, generation: Int) {
        do {
            return try self.engine.versioned(at: time)
        } catch {
            throw AnalyticsError(code: .unavailable, message: "the cohort index could not be brought up to date: \(error)")
        }
    }

    /// Checks `cohorts` against the principal's earlier releases, then runs `audit` (which writes the entry and
    /// returns its sequence number) and records the cohorts; returns `answer` with its audit sequence and timings.
    ///
    /// Cohorts new to the principal are checked, audited and recorded under one lock, so that no other new cohort
    /// slips between the check and the record. Cohorts the principal was answered about before (and principals the
    /// policy exempts from the guard) need no check, so they take no lock: their audit entries and records join
    /// whichever sync and commit come next.
    private func release<Answer: AuditedAnswer>(
        _ answer: Answer, cohorts: [ReleasedCohort], principal: Policy.Principal, audit: () throws(AnalyticsError) -> Int
    ) throws(AnalyticsError) -> Answer {
        var answer = answer
        let known = self.guardedCohorts.containsAll(cohorts, for: principal.name)
        func auditAndRecord() throws(AnalyticsError) {
            var mark = ContinuousClock.now
            answer.auditSequence = try audit()
            answer.timings.audit = ContinuousClock.now - mark
            mark = ContinuousClock.now
            try self.record(cohorts, known: known, auditSequence: answer.auditSequence, principal: principal.name)
            answer.timings.record = ContinuousClock.now - mark
        }
        if known || self.policy.privacy.differencingGuardExemptions.contains(principal.name) {
            try auditAndRecord()
        } else {
            try self.releases.withLock { _ throws(AnalyticsError) in
                let mark = ContinuousClock.now
                try self.checkDifferencing(cohorts, principal: principal.name)
                answer.timings.differencingGuard = ContinuousClock.now - mark
                try auditAndRecord()
            }
        }
        if !known {
            self.guardedCohorts.insert(cohorts, for: principal.name)
        }
        return answer
    }

    private func auditAnswer(
        principal: Policy.Principal, action: AuditAction, purpose: String, request: CanonicalJSON, cohortSizes: [Int],
        suppressedCells: Int, content: CanonicalJSON
    ) throws(AnalyticsError) -> Int {
        do {
            return try self.audit.append(AuditRecord(
                principal: principal.name, role: principal.role.rawValue, action: action, purpose: purpose,
                request: request, decision: .allowed("privacy.contract_met"), cohortSizes: cohortSizes,
                suppressedCells: suppressedCells, policyDigest: self.policy.digest,
                resultDigest: Hex.encode(SHA256.hash(content.utf8)))).sequence
        } catch {
            throw AnalyticsError(
                code: .unavailable, message: "the answer could not be audited, so it is not returned: \(error)")
        }
    }

    private func record(
        _ cohorts: [ReleasedCohort], known: Bool, auditSequence: Int, principal: String
    ) throws(AnalyticsError) {
        do {
            try self.recorder.record(ReleaseRecorder.Release(
                auditSequence: auditSequence, principal: principal, cohorts: cohorts, cohortsAreKnown: known))
        } catch {
            throw AnalyticsError(
                code: .unavailable,
                message: "the answer was audited (entry \(auditSequence)) but its cohorts could not be recorded, so it "
                    + "is not returned: \(error)")
        }
    }

    private func auditRefusal(
        rule: String, action: AuditAction, purpose: String?, request: CanonicalJSON, principalName: String,
        role: Policy.Role?
    ) throws(AnalyticsError) {
        do {
            try self.audit.append(AuditRecord(
                principal: role == nil ? "unknown" : principalName, role: role?.rawValue ?? "none", action: action,
                purpose: purpose, request: request, decision: .refused(rule),
                policyDigest: self.policy.digest))
        } catch {
            throw AnalyticsError(
                code: .unavailable, message: "the refusal could not be audited; nothing is answered: \(error)")
        }
    }
}

/// An answer that names the audit entry recording it.
protocol AuditedAnswer {
    var auditSequence: Int { get set }
    var timings: ReleaseTimings { get set }
}

extension QueryAnswer: AuditedAnswer {}
extension RulesAnswer: AuditedAnswer {}

/// Where the time of one answer went, for benchmarks and the service's metrics (never part of the answer's output).
public struct ReleaseTimings: Sendable, Equatable {
    /// Checking the request, bringing the index up to date, scanning or mining, and the privacy contract.
    public var compute: Duration = .zero
    /// Comparing the released cohorts with the principal's earlier ones.
    public var differencingGuard: Duration = .zero
    /// Writing and syncing the audit entry.
    public var audit: Duration = .zero
    /// Recording the released cohorts in the store.
    public var record: Duration = .zero

    /// Creates zero timings.
    public init() {}
}
