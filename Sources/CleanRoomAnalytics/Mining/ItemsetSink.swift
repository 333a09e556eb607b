/// Itemsets as the miner finds them, filed by their smallest output code, then sorted and made into
/// ``FrequentItemset`` values.
///
/// An itemset is stored as a record of Int32s — its length, its support, its codes ascending — in the growing
/// buffer of its smallest code. That first bucketing is the first step of the lexicographic sort, done while
/// the record is written; each bucket is then sorted on its own (see ``SortedItemsetWriter``).
final class ItemsetSink {
    private let codeCount: Int
    /// The records of each smallest code.
    private let buckets: UnsafeMutablePointer<RecordBuffer>

    /// An empty sink for itemsets of codes `0 ..< codeCount`.
    init(codeCount: Int) {
        self.codeCount = codeCount
        self.buckets = .allocate(capacity: codeCount)
        for code in 0..<codeCount { (self.buckets + code).initialize(to: RecordBuffer()) }
    }

    deinit {
        for code in 0..<self.codeCount { self.buckets[code].deallocate() }
        self.buckets.deallocate()
    }

    /// Files the itemset made of two disjoint ascending lists of codes, with its support.
    @inline(__always)
    func append(
        merging first: UnsafePointer<Int32>, count firstCount: Int, with second: UnsafePointer<Int32>,
        count secondCount: Int, support: Int32
    ) {
        let count = firstCount + secondCount
        let smallest = secondCount == 0 || (firstCount > 0 && first[0] < second[0]) ? first[0] : second[0]
        let record = self.buckets[Int(smallest)].claim(count + 2)
        record[0] = Int32(truncatingIfNeeded: count)
        record[1] = support
        var output = record + 2
        var (left, right) = (0, 0)
        while left < firstCount && right < secondCount {
            if first[left] < second[right] {
                output.pointee = first[left]
                left += 1
            } else {
                output.pointee = second[right]
                right += 1
            }
            output += 1
        }
        while left < firstCount {
            output.pointee = first[left]
            left += 1
            output += 1
        }
        while right < secondCount {
            output.pointee = second[right]
            right += 1
            output += 1
        }
    }

    /// The itemsets with their ids, each ascending, in ascending lexicographic order.
    ///
    /// - Parameter idOfCode: the id of each code; codes must follow the order of the ids.
    func sortedItemsets(idOfCode: [UInt32]) -> [FrequentItemset] {
        var total = 0
        var largest = 0
        for code in 0..<self.codeCount {
            total += self.buckets[code].records
            largest = max(largest, self.buckets[code].count)
        }
        return idOfCode.withUnsafeBufferPointer { idOfCode in
            [FrequentItemset](unsafeUninitializedCapacity: total) { result, initialized in
                var writer = SortedItemsetWriter(
                    result: result.baseAddress!, idOfCode: idOfCode.baseAddress!, alphabetSize: self.codeCount,
                    largestRegion: largest
                )
                defer { writer.deallocate() }
                for code in 0..<self.codeCount where self.buckets[code].count > 0 {
                    // Every record of the bucket starts with `code`: order them from the second code on.
                    writer.write(self.buckets[code].base, count: self.buckets[code].count, depth: 1)
                }
                initialized = writer.written
            }
        }
    }
}

/// Writes regions of records sharing their first codes as ``FrequentItemset`` values in lexicographic order.
///
/// A region larger than the cache is first distributed, record by record, by its next code into a scratch
/// region (a streaming pass of an MSD radix sort that moves the records themselves); a region that fits is
/// sorted by record offsets and written. So the random accesses of sorting and reading records back stay in
/// cache even when millions of itemsets share their smallest item.
private struct SortedItemsetWriter {
    /// Regions of at most this many Int32s are sorted in place (a quarter of a typical 1 MiB L2 cache).
    static let cachedRegion = 1 << 16

    private let result: UnsafeMutablePointer<FrequentItemset>
    private let idOfCode: UnsafePointer<UInt32>
    private let alphabetSize: Int
    /// The number of itemsets written so far.
    private(set) var written = 0
    /// Where distributed records go; as large as the largest region.
    private let scratch: UnsafeMutablePointer<Int32>
    private let offsets: UnsafeMutablePointer<Int32>
    private var sorter: RecordSorter
    /// One table of per-digit sizes per depth of distribution, made when first needed.
    private var counters: [UnsafeMutablePointer<Int>] = []

    init(
        result: UnsafeMutablePointer<FrequentItemset>, idOfCode: UnsafePointer<UInt32>, alphabetSize: Int,
        largestRegion: Int
    ) {
        self.result = result
        self.idOfCode = idOfCode
        self.alphabetSize = alphabetSize
        self.scratch = .allocate(capacity: largestRegion)
        // A record takes at least 3 Int32s.
        let records = min(largestRegion, Self.cachedRegion) / 3 + 1
        self.offsets = .allocate(capacity: records)
        self.sorter = RecordSorter(capacity: records, alphabetSize: alphabetSize)
    }

    func deallocate() {
        self.scratch.deallocate()
        self.offsets.deallocate()
        self.sorter.deallocate()
        for counter in self.counters { counter.deallocate() }
    }

    /// Writes the records of the `count` Int32s at `region`, which share their first `depth` codes.
    mutating func write(_ region: UnsafeMutablePointer<Int32>, count: Int, depth: Int) {
        self.write(region, count: count, depth: depth, scratch: self.scratch)
    }

    private mutating func write(
        _ region: UnsafeMutablePointer<Int32>, count: Int, depth: Int, scratch: UnsafeMutablePointer<Int32>
    ) {
        if count <= Self.cachedRegion {
            self.sortAndWrite(region, count: count, depth: depth)
            return
        }
        while self.counters.count <= depth {
            self.counters.append(.allocate(capacity: self.alphabetSize + 1))
        }
        let counter = self.counters[depth]
        var smallest = Int.max
        var largest = 0
        var offset = 0
        while offset < count {
            let digit = RecordSorter.digit(region + offset, depth: depth)
            smallest = min(smallest, digit)
            largest = max(largest, digit)
            offset += 2 + Int(region[offset])
        }
        let digits = largest - smallest + 1
        counter.update(repeating: 0, count: digits)
        offset = 0
        while offset < count {
            counter[RecordSorter.digit(region + offset, depth: depth) - smallest] += 2 + Int(region[offset])
            offset += 2 + Int(region[offset])
        }
        var next = 0
        for digit in 0..<digits {
            let size = counter[digit]
            counter[digit] = next
            next += size
        }
        offset = 0
        while offset < count {
            let size = 2 + Int(region[offset])
            let digit = RecordSorter.digit(region + offset, depth: depth) - smallest
            (scratch + counter[digit]).update(from: region + offset, count: size)
            counter[digit] += size
            offset += size
        }
        // Each counter now holds its part's end; a part of digit 0 is the one record that ends here. Each part
        // continues in `scratch`, with the same span of `region` as its own scratch.
        var start = 0
        for digit in 0..<digits where counter[digit] > start {
            let end = counter[digit]
            self.write(scratch + start, count: end - start, depth: depth + 1, scratch: region + start)
            start = end
        }
    }

    private mutating func sortAndWrite(_ region: UnsafeMutablePointer<Int32>, count: Int, depth: Int) {
        var records = 0
        var offset = 0
        while offset < count {
            self.offsets[records] = Int32(offset)
            records += 1
            offset += 2 + Int(region[offset])
        }
        self.sorter.sort(self.offsets, count: records, records: region, depth: depth)
        for index in 0..<records {
            let record = region + Int(self.offsets[index])
            let length = Int(record[0])
            let items = [UInt32](unsafeUninitializedCapacity: length) { items, itemCount in
                for position in 0..<length { items[position] = self.idOfCode[Int(record[2 + position])] }
                itemCount = length
            }
            (self.result + self.written).initialize(to: FrequentItemset(items: items, support: Int(record[1])))
            self.written += 1
        }
    }
}

/// A growing buffer of itemset records (length, support, codes).
struct RecordBuffer {
    private(set) var base: UnsafeMutablePointer<Int32>
    /// The number of Int32s used.
    private(set) var count = 0
    private var capacity = 0
    /// The number of records.
    private(set) var records = 0

    init() {
        self.base = .allocate(capacity: 0)
    }

    func deallocate() {
        self.base.deallocate()
    }

    /// Room for a record of `size` Int32s at the end.
    @inline(__always)
    mutating func claim(_ size: Int) -> UnsafeMutablePointer<Int32> {
        if self.count + size > self.capacity { self.grow(to: self.count + size) }
        let record = self.base + self.count
        self.count += size
        self.records += 1
        return record
    }

    private mutating func grow(to minimum: Int) {
        precondition(minimum < Int(Int32.max), "the itemsets of one smallest item fit in 2³¹ − 1 numbers")
        let capacity = max(minimum, 2 * self.capacity, 16)
        let grown = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        grown.moveInitialize(from: self.base, count: self.count)
        self.base.deallocate()
        self.base = grown
        self.capacity = capacity
    }
}

/// A most-significant-digit radix sort of itemset records into lexicographic order, the codes being the digits
/// and the end of an itemset the smallest digit; small ranges, and ranges whose digits are spread too thinly
/// for counting, are sorted by comparison.
struct RecordSorter {
    private let scratch: UnsafeMutablePointer<Int32>
    private let alphabetSize: Int
    /// One digit-count table per depth, made when first needed.
    private var counters: [UnsafeMutablePointer<Int>] = []

    init(capacity: Int, alphabetSize: Int) {
        self.scratch = .allocate(capacity: capacity)
        self.alphabetSize = alphabetSize
    }

    func deallocate() {
        self.scratch.deallocate()
        for counter in self.counters { counter.deallocate() }
    }

    /// Sorts the `count` record offsets at `offsets` into `records`, all sharing their first `depth` codes.
    mutating func sort(_ offsets: UnsafeMutablePointer<Int32>, count: Int, records: UnsafePointer<Int32>, depth: Int) {
        if count <= 24 {
            Self.insertionSort(offsets, count: count, records: records, depth: depth)
            return
        }
        while self.counters.count <= depth {
            self.counters.append(.allocate(capacity: self.alphabetSize + 1))
        }
        let counter = self.counters[depth]
        var smallest = Int.max
        var largest = 0
        for index in 0..<count {
            let digit = Self.digit(records + Int(offsets[index]), depth: depth)
            smallest = min(smallest, digit)
            largest = max(largest, digit)
        }
        let buckets = largest - smallest + 1
        if buckets > 2 * count {
            // Digits too spread out for counting to pay (sparse data): compare instead.
            var range = UnsafeMutableBufferPointer(start: offsets, count: count)
            range.sort { left, right in Self.precedes(records + Int(left), records + Int(right), depth: depth) }
            return
        }
        counter.update(repeating: 0, count: buckets)
        for index in 0..<count {
            counter[Self.digit(records + Int(offsets[index]), depth: depth) - smallest] += 1
        }
        var next = 0
        for bucket in 0..<buckets {
            let size = counter[bucket]
            counter[bucket] = next
            next += size
        }
        for index in 0..<count {
            let offset = offsets[index]
            let bucket = Self.digit(records + Int(offset), depth: depth) - smallest
            self.scratch[counter[bucket]] = offset
            counter[bucket] += 1
        }
        offsets.update(from: self.scratch, count: count)
        // Each counter now holds its bucket's end. A record that ended (digit 0) is alone in its bucket.
        var start = 0
        for bucket in 0..<buckets {
            let end = counter[bucket]
            if bucket + smallest > 0 && end - start > 1 {
                self.sort(offsets + start, count: end - start, records: records, depth: depth + 1)
            }
            start = end
        }
    }

    /// The digit of a record at `depth`: 0 past its end, else its code + 1.
    @inline(__always)
    static func digit(_ record: UnsafePointer<Int32>, depth: Int) -> Int {
        depth < Int(record[0]) ? Int(record[2 + depth]) + 1 : 0
    }

    private static func insertionSort(
        _ offsets: UnsafeMutablePointer<Int32>, count: Int, records: UnsafePointer<Int32>, depth: Int
    ) {
        guard count > 1 else { return }
        for index in 1..<count {
            let offset = offsets[index]
            var slot = index
            while slot > 0 && Self.precedes(records + Int(offset), records + Int(offsets[slot - 1]), depth: depth) {
                offsets[slot] = offsets[slot - 1]
                slot -= 1
            }
            offsets[slot] = offset
        }
    }

    /// Whether record `left` comes before `right`, both sharing their first `depth` codes.
    @inline(__always)
    private static func precedes(_ left: UnsafePointer<Int32>, _ right: UnsafePointer<Int32>, depth: Int) -> Bool {
        var depth = depth
        while true {
            let leftDigit = Self.digit(left, depth: depth)
            let rightDigit = Self.digit(right, depth: depth)
            if leftDigit != rightDigit { return leftDigit < rightDigit }
            if leftDigit == 0 { return false }
            depth += 1
        }
    }
}
