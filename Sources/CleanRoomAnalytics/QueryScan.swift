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

    /// The tally of everyone counted.
    var total: Tally {
        self.cells.reduce(into: Tally()) { $0.add($1) }
    }

    /// Scans `index` for `plan`, on as many threads as the machine has cores.
    init(_ plan: QueryPlan, over index: CohortIndex) {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let cohort = index.present.intersection(index.allowed[plan.purposeIndex])
        let tallier = RowTallier(plan: plan, index: index)
        var partCells = Array(repeating: [Tally](), count: parts)
        var cellOfRow = Array(repeating: Int32(-1), count: index.rowCount)
        cellOfRow.withUnsafeMutableBufferPointer { rowCells in
            partCells.withUnsafeMutableBufferPointer { results in
                nonisolated(unsafe) let rowCells = rowCells
                nonisolated(unsafe) let results = results
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    var cells = Array(repeating: Tally(), count: plan.cellCount)
                    cohort.forEach(inPart: part, of: parts) { row in
                        var tally = Tally(people: 1)
                        guard let cell = tallier.tally(row: row, into: &tally) else { return }
                        cells[cell].add(tally)
                        rowCells[row] = Int32(cell)
                    }
                    results[part] = cells
                }
            }
        }
        var cells = partCells[0]
        for part in partCells.dropFirst() {
            for position in cells.indices { cells[position].add(part[position]) }
        }
        self.cells = cells
        self.cellOfRow = cellOfRow
    }
}

/// One person's contribution to a plan's cells: the columns a scan reads, held once so the loop over people
/// touches arrays directly.
private struct RowTallier: Sendable {
    let plan: QueryPlan
    let index: CohortIndex
    let createdAt: [Int64]
    let eventStart: [UInt32]
    let eventCount: [UInt32]
    let eventType: [UInt8]
    let eventTime: [Int64]
    let eventAmount: [Double]
    let typeCutoffs: [Int64]
    let needsEvents: Bool
    let cap: Double

    init(plan: QueryPlan, index: CohortIndex) {
        self.plan = plan
        self.index = index
        self.createdAt = index.createdAt
        self.eventStart = index.eventStart
        self.eventCount = index.eventCount
        self.eventType = index.eventType
        self.eventTime = index.eventTime
        self.eventAmount = index.eventAmount
        self.typeCutoffs = plan.typeCutoffs
        self.needsEvents = plan.needsEvents
        self.cap = plan.contributionCap ?? .infinity
    }

    /// Adds `row`'s person to `tally` and returns their cell, or `nil` when they do not count (no retained data,
    /// or a filter fails).
    func tally(row: Int, into tally: inout Tally) -> Int? {
        var hasData = self.createdAt[row] >= self.plan.keptWithoutDataSince || self.hasRetainedAttribute(row)
        let start = Int(self.eventStart[row])
        let end = start + Int(self.eventCount[row])
        if self.needsEvents {
            var amount = 0.0
            var hasAmount = false
            var spend = 0.0
            var latestConversion = Int64.min
            for event in start..<end {
                let type = self.eventType[event]
                let time = self.eventTime[event]
                guard time >= self.typeCutoffs[Int(type)] else { continue }
                hasData = true
                guard time >= self.plan.windowFrom, time < self.plan.windowTo else { continue }
                tally.events += 1
                let value = self.eventAmount[event]
                if !value.isNaN {
                    amount += value
                    hasAmount = true
                    tally.amountEvents += 1
                }
                if type == self.plan.conversionType {
                    tally.conversions += 1
                    latestConversion = max(latestConversion, time)
                    if !value.isNaN { spend += value }
                }
            }
            if hasAmount {
                tally.amountPeople = 1
                tally.amountSum = min(max(amount, -self.cap), self.cap)
            }
            if tally.conversions > 0 {
                tally.converters = 1
                tally.conversionSpend = min(max(spend, -self.cap), self.cap)
                tally.recencyDaysSum = Double(max(0, self.plan.now - latestConversion)) / 86_400_000
            }
        } else if !hasData {
            hasData = (start..<end).contains { self.eventTime[$0] >= self.typeCutoffs[Int(self.eventType[$0])] }
        }
        guard hasData else { return nil }
        for filter in self.plan.filters where !filter.holds(row: row, in: self.index) {
            return nil
        }
        var cell = 0
        for dimension in self.plan.dimensions {
            cell = cell * dimension.labels.count + self.position(row, dimension)
        }
        return cell
    }

    private func hasRetainedAttribute(_ row: Int) -> Bool {
        self.index.attributeCodes.indices.contains { column in
            self.index.attributeCodes[column][row] != 0
                && self.index.attributeSetAt[column][row] >= self.plan.attributeCutoffs[column]
        }
    }

    private func position(_ row: Int, _ dimension: QueryPlan.Dimension) -> Int {
        switch dimension.source {
        case .attribute(let column, let positionOfCode, let setSince):
            let code = Int(self.index.attributeCodes[column][row])
            return code != 0 && self.index.attributeSetAt[column][row] >= setSince
                ? Int(positionOfCode[code]) : dimension.labels.count - 1
        case .segments(let members):
            return members.firstIndex { $0.allSatisfy { $0.holds(row: row, in: self.index) } } ?? members.count
        }
    }
}
