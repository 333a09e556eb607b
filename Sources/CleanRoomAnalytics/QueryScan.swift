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

    /// The rows counted in each cell, ascending, in one pass.
    var rowsByCell: [[Int]] {
        var rows = Array(repeating: [Int](), count: self.cells.count)
        for (row, cell) in self.cellOfRow.enumerated() where cell >= 0 {
            rows[Int(cell)].append(row)
        }
        return rows
    }

    /// The rows counted at all, ascending.
    var countedRows: [Int] {
        self.cellOfRow.indices.filter { self.cellOfRow[$0] >= 0 }
    }

    /// Scans `index` for `plan`, on as many threads as the machine has cores.
    init(_ plan: QueryPlan, over index: CohortIndex) {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let cohort = index.present.intersection(index.allowed[plan.purposeIndex])
        var partCells = Array(repeating: [Tally](), count: parts)
        var cellOfRow = Array(repeating: Int32(-1), count: index.rowCount)
        cellOfRow.withUnsafeMutableBufferPointer { rowCells in
            partCells.withUnsafeMutableBufferPointer { results in
                nonisolated(unsafe) let rowCells = rowCells
                nonisolated(unsafe) let results = results
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    var cells = Array(repeating: Tally(), count: plan.cellCount)
                    cohort.forEach(inPart: part, of: parts) { row in
                        guard let (cell, tally) = Self.tally(row: row, plan: plan, index: index) else { return }
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

    /// The cell and tally of one person, or `nil` when they do not count (no retained data, or a filter fails).
    private static func tally(row: Int, plan: QueryPlan, index: CohortIndex) -> (Int, Tally)? {
        var hasData = index.createdAt[row] >= plan.keptWithoutDataSince
        if !hasData {
            for column in index.attributeCodes.indices
            where index.attributeCodes[column][row] != 0 && index.attributeSetAt[column][row] >= plan.attributeCutoffs[column] {
                hasData = true
                break
            }
        }
        var tally = Tally(people: 1)
        var amount = 0.0
        var hasAmount = false
        var spend = 0.0
        var latestConversion = Int64.min
        let start = Int(index.eventStart[row])
        for event in start..<start + Int(index.eventCount[row]) {
            let type = index.eventType[event]
            let time = index.eventTime[event]
            guard time >= plan.typeCutoffs[Int(type)] else { continue }
            hasData = true
            guard time >= plan.windowFrom, time < plan.windowTo else { continue }
            tally.events += 1
            let value = index.eventAmount[event]
            if !value.isNaN {
                amount += value
                hasAmount = true
                tally.amountEvents += 1
            }
            if type == plan.conversionType {
                tally.conversions += 1
                latestConversion = max(latestConversion, time)
                if !value.isNaN { spend += value }
            }
        }
        guard hasData else { return nil }
        for filter in plan.filters where !filter.holds(row: row, in: index) {
            return nil
        }
        let cap = plan.contributionCap ?? .infinity
        if hasAmount {
            tally.amountPeople = 1
            tally.amountSum = min(max(amount, -cap), cap)
        }
        if tally.conversions > 0 {
            tally.converters = 1
            tally.conversionSpend = min(max(spend, -cap), cap)
            tally.recencyDaysSum = Double(max(0, plan.now - latestConversion)) / 86_400_000
        }
        var cell = 0
        for dimension in plan.dimensions {
            cell = cell * dimension.labels.count + dimension.position(row, index)
        }
        return (cell, tally)
    }
}
