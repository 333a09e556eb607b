/// Itemsets as the miner finds them, stored flat: the output codes of every itemset one after another.
///
/// Sorting them here, by codes (ranks of the ids), and only then making one ``FrequentItemset`` each keeps
/// the sort off the per-itemset arrays.
struct ItemsetBuffer {
    private var codes: [Int32] = []
    private var ends: [Int] = []
    private var supports: [Int32] = []

    /// The number of itemsets.
    var count: Int { self.supports.count }

    /// Adds an itemset (its codes in any order).
    mutating func append(_ itemset: [Int32], support: Int32) {
        self.codes.append(contentsOf: itemset)
        self.ends.append(self.codes.count)
        self.supports.append(support)
    }

    /// The itemsets with their ids, each ascending, in ascending lexicographic order.
    ///
    /// - Parameter idOfCode: the id of each output code; codes must follow the order of the ids.
    mutating func sortedItemsets(idOfCode: [UInt32]) -> [FrequentItemset] {
        let count = self.count
        guard count > 0 else { return [] }
        var order = [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count { buffer[index] = Int32(truncatingIfNeeded: index) }
            initialized = count
        }
        let ends = self.ends
        self.codes.withUnsafeMutableBufferPointer { codes in
            ends.withUnsafeBufferPointer { ends in
                var start = 0
                for end in ends {
                    Self.insertionSort(codes.baseAddress! + start, count: end - start)
                    start = end
                }
                order.withUnsafeMutableBufferPointer { order in
                    var sorter = LexicographicSorter(
                        codes: UnsafePointer(codes.baseAddress!), ends: ends.baseAddress!, alphabetSize: idOfCode.count
                    )
                    sorter.sort(order.baseAddress!, count: count)
                }
            }
        }
        var result: [FrequentItemset] = []
        result.reserveCapacity(count)
        self.codes.withUnsafeBufferPointer { codes in
            idOfCode.withUnsafeBufferPointer { idOfCode in
                for index in order {
                    let end = ends[Int(index)]
                    let start = index == 0 ? 0 : ends[Int(index) - 1]
                    let items = [UInt32](unsafeUninitializedCapacity: end - start) { buffer, initialized in
                        for position in start..<end { buffer[position - start] = idOfCode[Int(codes[position])] }
                        initialized = end - start
                    }
                    result.append(FrequentItemset(items: items, support: Int(self.supports[Int(index)])))
                }
            }
        }
        return result
    }

    private static func insertionSort(_ values: UnsafeMutablePointer<Int32>, count: Int) {
        guard count > 1 else { return }
        for index in 1..<count {
            let value = values[index]
            var slot = index
            while slot > 0 && values[slot - 1] > value {
                values[slot] = values[slot - 1]
                slot -= 1
            }
            values[slot] = value
        }
    }
}

/// A most-significant-digit radix sort of itemsets (ascending code sequences) into lexicographic order,
/// the codes being the digits and the end of an itemset the smallest digit; small ranges are insertion sorted.
private struct LexicographicSorter {
    let codes: UnsafePointer<Int32>
    let ends: UnsafePointer<Int>
    let alphabetSize: Int
    /// One digit-count table per depth, made when first needed.
    private var counters: [UnsafeMutablePointer<Int>] = []
    private var scratch: UnsafeMutablePointer<Int32>? = nil

    init(codes: UnsafePointer<Int32>, ends: UnsafePointer<Int>, alphabetSize: Int) {
        self.codes = codes
        self.ends = ends
        self.alphabetSize = alphabetSize
    }

    mutating func sort(_ order: UnsafeMutablePointer<Int32>, count: Int) {
        let scratch = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        self.scratch = scratch
        defer {
            scratch.deallocate()
            for counter in self.counters { counter.deallocate() }
            self.counters = []
        }
        self.sortRange(order, count: count, depth: 0)
    }

    /// The digit of itemset `index` at `depth`: 0 past its end, else its code + 1.
    @inline(__always)
    private func digit(_ index: Int32, depth: Int) -> Int {
        let start = index == 0 ? 0 : self.ends[Int(index) - 1]
        let position = start + depth
        return position < self.ends[Int(index)] ? Int(self.codes[position]) + 1 : 0
    }

    /// Whether itemset `left` comes before `right`, both sharing their first `depth` codes.
    @inline(__always)
    private func precedes(_ left: Int32, _ right: Int32, depth: Int) -> Bool {
        var depth = depth
        while true {
            let leftDigit = self.digit(left, depth: depth)
            let rightDigit = self.digit(right, depth: depth)
            if leftDigit != rightDigit { return leftDigit < rightDigit }
            if leftDigit == 0 { return false }
            depth += 1
        }
    }

    /// Sorts `count` itemsets at `order` that share their first `depth` codes.
    private mutating func sortRange(_ order: UnsafeMutablePointer<Int32>, count: Int, depth: Int) {
        if count <= 32 {
            for index in 1..<max(count, 1) {
                let value = order[index]
                var slot = index
                while slot > 0 && self.precedes(value, order[slot - 1], depth: depth) {
                    order[slot] = order[slot - 1]
                    slot -= 1
                }
                order[slot] = value
            }
            return
        }
        while self.counters.count <= depth {
            self.counters.append(.allocate(capacity: self.alphabetSize + 2))
        }
        let counter = self.counters[depth]
        var smallest = Int.max
        var largest = 0
        for index in 0..<count {
            let digit = self.digit(order[index], depth: depth)
            smallest = min(smallest, digit)
            largest = max(largest, digit)
        }
        counter.update(repeating: 0, count: largest - smallest + 1)
        for index in 0..<count {
            counter[self.digit(order[index], depth: depth) - smallest] += 1
        }
        var next = 0
        for bucket in 0...(largest - smallest) {
            let size = counter[bucket]
            counter[bucket] = next
            next += size
        }
        let scratch = self.scratch!
        for index in 0..<count {
            let value = order[index]
            let bucket = self.digit(value, depth: depth) - smallest
            scratch[counter[bucket]] = value
            counter[bucket] += 1
        }
        order.update(from: scratch, count: count)
        // Each counter now holds its bucket's end. Itemsets that ended (digit 0) are equal so far: done.
        var start = 0
        for bucket in 0...(largest - smallest) {
            let end = counter[bucket]
            if bucket + smallest > 0 && end - start > 1 {
                self.sortRange(order + start, count: end - start, depth: depth + 1)
            }
            start = end
        }
    }
}
