// Frequent-itemset mining on a FIMI file: times `FrequentItemsetMiner.mine` alone (the file is read and parsed
// first, untimed) and prints one JSON line per run, for Benchmarks/rules.sh to set beside pyfim and mlxtend.
// Usage: rules-bench FILE.dat MINIMUM_SUPPORT RUNS
import CleanRoomAnalytics
import Foundation

/// Mines `transactions` `runs` times and prints each run's time, itemset count and support sum (the sum lets
/// the table check that the peers found the same itemsets).
func measure(_ transactions: [[UInt32]], dataSet: String, minimumSupport: Int, runs: Int) {
    let miner = FrequentItemsetMiner(minimumSupport: minimumSupport)
    let clock = ContinuousClock()
    for run in 0..<runs {
        let start = clock.now
        let itemsets = miner.mine(transactions)
        let elapsed = (clock.now - start).components
        let milliseconds = Double(elapsed.seconds) * 1e3 + Double(elapsed.attoseconds) * 1e-15
        let supportSum = itemsets.reduce(0) { $0 + $1.support }
        print(
            #"{"tool":"rules-bench","peer":"cleanroom","data":"\#(dataSet)","support":\#(minimumSupport),"#
                + #""run":\#(run),"transactions":\#(transactions.count),"itemsets":\#(itemsets.count),"#
                + #""support_sum":\#(supportSum),"ms":\#(milliseconds)}"#
        )
    }  // each run's result is freed after its clock stopped
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let minimumSupport = Int(arguments[2]), minimumSupport >= 1,
    let runs = Int(arguments[3]), runs >= 1
else {
    FileHandle.standardError.write(Data("usage: rules-bench FILE.dat MINIMUM_SUPPORT RUNS\n".utf8))
    exit(2)
}
let path = arguments[1]
do {
    let transactions = try FIMIFormat.transactions(in: String(contentsOfFile: path, encoding: .utf8))
    let dataSet = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    measure(transactions, dataSet: dataSet, minimumSupport: minimumSupport, runs: runs)
} catch {
    FileHandle.standardError.write(Data("rules-bench: \(path): \(error)\n".utf8))
    exit(1)
}
