internal import Foundation

/// What one cell of an answer adds up, before the privacy contract decides what may be released.
struct Tally: Sendable, Equatable {
    /// Distinct people.
    var people = 0
    /// Events inside the window.
    var events = 0
    /// The sum of amounts, each person's total clamped to the contribution cap.
    var amountSum = 0.0
    /// People with at least one amount inside the window.
    var amountPeople = 0
    /// Events with an amount inside the window.
    var amountEvents = 0
    /// People with at least one conversion inside the window.
    var converters = 0
    /// Days since each converter's latest conversion, summed.
    var recencyDaysSum = 0.0
    /// Conversions inside the window.
    var conversions = 0
    /// The converters' spend on conversions, each clamped to the contribution cap, summed.
    var conversionSpend = 0.0

    mutating func add(_ other: Tally) {
        self.people += other.people
        self.events += other.events
        self.amountSum += other.amountSum
        self.amountPeople += other.amountPeople
        self.amountEvents += other.amountEvents
        self.converters += other.converters
        self.recencyDaysSum += other.recencyDaysSum
        self.conversions += other.conversions
        self.conversionSpend += other.conversionSpend
    }
}

/// The cells of a plan over an index: every person of the purpose's cohort who passes the filters, tallied into
/// their cell, with the cell of each row kept for the guards.
struct QueryScan: Sendable {
    /// The tally of each cell (mixed-radix position over the plan's dimensions).
    var cells: [Tally]
    /// The cell of each row, or -1 for people not counted.
    var cellOfRow: [Int32]
    /// The fingerprint of each cell's people, and of everyone counted.
    var fingerprints: [CohortFingerprint]
    var totalFingerprint: CohortFingerprint

    /// The tally of everyone counted.
    var total: Tally {
        self.cells.reduce(into: Tally()) { $0.add($1) }
    }

    /// Scans `index` for `plan`, on as many threads as the machine has cores.
    ///
    /// Attribute dimensions are applied column by column first (each row's partial cell position), then one pass
    /// per thread over the purpose's people reads each person's events through buffer pointers, so the hot loops
    /// touch plain memory with no reference counting.
    init(_ plan: QueryPlan, over index: CohortIndex) {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let purposeCohort = index.present.intersection(index.allowed[plan.purposeIndex])
        let cohort = plan.restriction.map { purposeCohort.intersection($0) } ?? purposeCohort
        var cellOfRow = Self.attributePositions(plan, index: index, cohort: cohort, parts: parts)
        let tallier = RowTallier(plan: plan, index: index)
        var partResults = Array(repeating: RowTallier.Part(cells: [], fingerprints: []), count: parts)
        cellOfRow.withUnsafeMutableBufferPointer { rowCells in
            partResults.withUnsafeMutableBufferPointer { results in
                nonisolated(unsafe) let rowCells = rowCells
                nonisolated(unsafe) let results = results
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    results[part] = tallier.scan(cohort, part: part, of: parts, cells: rowCells)
                }
            }
        }
        var cells = partResults[0].cells
        var fingerprints = partResults[0].fingerprints
        for part in partResults.dropFirst() {
            for position in cells.indices {
                cells[position].add(part.cells[position])
                fingerprints[position] = fingerprints[position].followed(by: part.fingerprints[position])
            }
        }
        self.cells = cells
        self.cellOfRow = cellOfRow
        self.fingerprints = fingerprints
        self.totalFingerprint = partResults.map(\.total).reduce(CohortFingerprint()) { $0.followed(by: $1) }
    }

    /// Each row's cell position over the plan's attribute dimensions, a column at a time, and -1 for rows outside
    /// `cohort`; a segment dimension counts as position 0 here (the scan adds it per person). Values past their
    /// retention count as "no value".
    private static func attributePositions(
        _ plan: QueryPlan, index: CohortIndex, cohort: SubjectSet, parts: Int
    ) -> [Int32] {
        var positions = Array(repeating: Int32(-1), count: index.rowCount)
        cohort.forEach { positions[$0] = 0 }
        let rowsPerPart = (index.rowCount + parts - 1) / max(parts, 1)
        positions.withUnsafeMutableBufferPointer { positions in
            nonisolated(unsafe) let positions = positions
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let rows = min(part * rowsPerPart, positions.count)..<min((part + 1) * rowsPerPart, positions.count)
                for dimension in plan.dimensions {
                    Self.apply(dimension, index: index, to: positions, rows: rows)
                }
            }
        }
        return positions
    }

    /// Multiplies in one dimension's positions for `rows` (those of the cohort, ≥ 0).
    private static func apply(
        _ dimension: QueryPlan.Dimension, index: CohortIndex, to positions: UnsafeMutableBufferPointer<Int32>,
        rows: Range<Int>
    ) {
        let radix = Int32(dimension.labels.count)
        guard case .attribute(let column, let positionOfCode, let setSince) = dimension.source else {
            for row in rows where positions[row] >= 0 { positions[row] *= radix }
            return
        }
        let missing = radix - 1
        index.attributeCodes[column].withUnsafeBufferPointer { codes in
            index.attributeSetAt[column].withUnsafeBufferPointer { setAt in
                positionOfCode.withUnsafeBufferPointer { positionOfCode in
                    for row in rows where positions[row] >= 0 {
                        let code = Int(codes[row])
                        let position = code != 0 && setAt[row] >= setSince ? positionOfCode[code] : missing
                        positions[row] = positions[row] * radix + position
                    }
                }
            }
        }
    }
}

/// One thread's share of a scan: the plan's people tallied into their cells.
private struct RowTallier: Sendable {
    let plan: QueryPlan
    let index: CohortIndex
    let cap: Double
    let needsEvents: Bool
    /// The radix of each segment dimension by position in the plan (0 for attribute dimensions), and the product of
    /// the radixes after it: where a segment's position goes in the cell number.
    let segmentPlaces: [(dimension: Int, weight: Int32)]

    init(plan: QueryPlan, index: CohortIndex) {
        self.plan = plan
        self.index = index
        self.cap = plan.contributionCap ?? .infinity
        self.needsEvents = plan.needsEvents
        var places: [(Int, Int32)] = []
        var weight: Int32 = 1
        for (position, dimension) in plan.dimensions.enumerated().reversed() {
            if case .segments = dimension.source { places.append((position, weight)) }
            weight *= Int32(dimension.labels.count)
        }
        self.segmentPlaces = places
    }

    /// What one part of a scan adds up: each cell's tally and fingerprint, and the fingerprint of everyone counted.
    struct Part {
        var cells: [Tally]
        var fingerprints: [CohortFingerprint]
        var total = CohortFingerprint()
    }

    /// Tallies part `part` of `parts` of `cohort`, completing each counted row's cell in `cells` (rows not counted
    /// get -1), and returns the part's cells and fingerprints.
    func scan(_ cohort: SubjectSet, part: Int, of parts: Int, cells rowCells: UnsafeMutableBufferPointer<Int32>)
        -> Part
    {
        var cells = Array(repeating: Tally(), count: self.plan.cellCount)
        var fingerprints = Array(repeating: CohortFingerprint(), count: self.plan.cellCount)
        var total = CohortFingerprint()
        let needsEvents = self.needsEvents
        Columns.with(self.index, typeCutoffs: self.plan.typeCutoffs) { columns in
            cells.withUnsafeMutableBufferPointer { cells in
                fingerprints.withUnsafeMutableBufferPointer { fingerprints in
                    cohort.forEach(inPart: part, of: parts) { row in
                        var tally = Tally(people: 1)
                        guard self.tally(row, columns: columns, into: &tally) else {
                            rowCells[row] = -1
                            return
                        }
                        let cell = self.cell(row, base: rowCells[row])
                        if needsEvents {
                            cells[cell].add(tally)
                        } else {
                            cells[cell].people += 1
                        }
                        rowCells[row] = Int32(cell)
                        let id = columns.subjectIDs[row]
                        fingerprints[cell].add(id)
                        total.add(id)
                    }
                }
            }
        }
        return Part(cells: cells, fingerprints: fingerprints, total: total)
    }

    /// The columns a scan reads, as buffers valid while ``with(_:typeCutoffs:_:)`` runs its body.
    struct Columns {
        let subjectIDs: UnsafeBufferPointer<Int64>
        let createdAt: UnsafeBufferPointer<Int64>
        let eventStart: UnsafeBufferPointer<UInt32>
        let eventCount: UnsafeBufferPointer<UInt32>
        let eventType: UnsafeBufferPointer<UInt8>
        let eventTime: UnsafeBufferPointer<Int64>
        let eventAmount: UnsafeBufferPointer<Double>
        let typeCutoffs: UnsafeBufferPointer<Int64>

        static func with(_ index: CohortIndex, typeCutoffs: [Int64], _ body: (Columns) -> Void) {
            index.subjectIDs.withUnsafeBufferPointer { subjectIDs in
                index.createdAt.withUnsafeBufferPointer { createdAt in
                    index.eventStart.withUnsafeBufferPointer { eventStart in
                        index.eventCount.withUnsafeBufferPointer { eventCount in
                            index.eventType.withUnsafeBufferPointer { eventType in
                                index.eventTime.withUnsafeBufferPointer { eventTime in
                                    index.eventAmount.withUnsafeBufferPointer { eventAmount in
                                        typeCutoffs.withUnsafeBufferPointer { typeCutoffs in
                                            body(Columns(
                                                subjectIDs: subjectIDs, createdAt: createdAt, eventStart: eventStart,
                                                eventCount: eventCount, eventType: eventType, eventTime: eventTime,
                                                eventAmount: eventAmount, typeCutoffs: typeCutoffs))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds `row`'s person to `tally`; `false` when they do not count (no retained data, or a filter fails).
    private func tally(_ row: Int, columns: Columns, into tally: inout Tally) -> Bool {
        var hasData = columns.createdAt[row] >= self.plan.keptWithoutDataSince || self.hasRetainedAttribute(row)
        let start = Int(columns.eventStart[row])
        let end = start + Int(columns.eventCount[row])
        if self.needsEvents {
            let (windowFrom, windowTo, conversionType) = (self.plan.windowFrom, self.plan.windowTo, self.plan.conversionType)
            var counted = 0
            var amountEvents = 0
            var conversions = 0
            var amount = 0.0
            var spend = 0.0
            var latestConversion = Int64.min
            // A person's events are ordered by time: newest first, the walk stops at the window's start once the
            // person is known to have retained data (otherwise it goes on, looking for some).
            for event in (start..<end).reversed() {
                let type = columns.eventType[event]
                let time = columns.eventTime[event]
                if time < windowFrom && hasData { break }
                guard time >= columns.typeCutoffs[Int(type)] else { continue }
                hasData = true
                guard time >= windowFrom, time < windowTo else { continue }
                counted += 1
                let value = columns.eventAmount[event]
                let hasValue = !value.isNaN
                if hasValue {
                    amount += value
                    amountEvents += 1
                }
                if type == conversionType {
                    conversions += 1
                    latestConversion = max(latestConversion, time)
                    if hasValue { spend += value }
                }
            }
            tally.events = counted
            tally.amountEvents = amountEvents
            tally.conversions = conversions
            if amountEvents > 0 {
                tally.amountPeople = 1
                tally.amountSum = min(max(amount, -self.cap), self.cap)
            }
            if conversions > 0 {
                tally.converters = 1
                tally.conversionSpend = min(max(spend, -self.cap), self.cap)
                tally.recencyDaysSum = Double(max(0, self.plan.now - latestConversion)) / 86_400_000
            }
        } else if !hasData {
            hasData = (start..<end).contains { event in
                columns.eventTime[event] >= columns.typeCutoffs[Int(columns.eventType[event])]
            }
        }
        guard hasData else { return false }
        for filter in self.plan.filters where !filter.holds(row: row, in: self.index) {
            return false
        }
        return true
    }

    /// The row's cell: its attribute positions (`base`) plus its segments' positions.
    private func cell(_ row: Int, base: Int32) -> Int {
        var cell = base
        for (dimension, weight) in self.segmentPlaces {
            guard case .segments(let members) = self.plan.dimensions[dimension].source else { continue }
            let position = members.firstIndex { $0.allSatisfy { $0.holds(row: row, in: self.index) } } ?? members.count
            cell += Int32(position) * weight
        }
        return Int(cell)
    }

    private func hasRetainedAttribute(_ row: Int) -> Bool {
        self.index.attributeCodes.indices.contains { column in
            self.index.attributeCodes[column][row] != 0
                && self.index.attributeSetAt[column][row] >= self.plan.attributeCutoffs[column]
        }
    }
}
