@testable import CleanRoomCrypto
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The pool that serves small random draws (keys, nonces) from blocks of OpenSSL's DRBG output.
struct RandomPoolTests {
    @Test func drawsOfEverySizeNeverRepeatAcrossManyBlocks() throws {
        var seen = Set<[UInt8]>()
        for draw in 0..<40_000 {
            let bytes = try SecureRandom.bytes(count: 12 + draw % 53)
            #expect(seen.insert(Array(bytes.prefix(12))).inserted)
        }
        // Equally likely bytes: over 480 kB, each value's share stays near 1/256.
        var counts = [Int](repeating: 0, count: 256)
        for _ in 0..<10_000 {
            for byte in try SecureRandom.bytes(count: 48) { counts[Int(byte)] += 1 }
        }
        let expected = 480_000.0 / 256
        #expect(counts.allSatisfy { abs(Double($0) - expected) < expected * 0.15 })
    }

    /// Each thread draws from a block of its own: draws on many threads at once never repeat either.
    @Test func drawsOnManyThreadsAtOnceNeverRepeat() throws {
        let threads = 8, drawsPerThread = 2_000
        let draws = Mutex<[[UInt8]]>([])
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            var mine: [[UInt8]] = []
            for _ in 0..<drawsPerThread {
                mine.append((try? SecureRandom.bytes(count: 12)) ?? [])
            }
            draws.withLock { $0 += mine }
        }
        let all = draws.withLock { $0 }
        #expect(all.count == threads * drawsPerThread)
        #expect(all.allSatisfy { $0.count == 12 })
        #expect(Set(all).count == all.count)
    }

    @Test func aLargeDrawBypassesThePool() throws {
        let first = try SecureRandom.bytes(count: 4096), second = try SecureRandom.bytes(count: 4096)
        #expect(first != second)
        #expect(Set(first).count > 200)
    }

    /// A forked child must not hand out the bytes its parent would hand out next: with the same block in both,
    /// the parent's and the child's next nonces would be equal.
    @Test(.timeLimit(.minutes(1)))
    func aForkedChildDrawsOtherBytesThanItsParent() throws {
        _ = try SecureRandom.bytes(count: 12)  // the pool holds a block now
        var pipe: [Int32] = [0, 0]
        try #require(Glibc.pipe(&pipe) == 0)
        let child = fork()
        if child == 0 {
            let bytes = (try? SecureRandom.bytes(count: 16)) ?? []
            _ = bytes.withUnsafeBytes { write(pipe[1], $0.baseAddress, $0.count) }
            _exit(0)
        }
        try #require(child > 0)
        close(pipe[1])
        let parent = try SecureRandom.bytes(count: 16)
        var fromChild = [UInt8](repeating: 0, count: 16)
        let read = fromChild.withUnsafeMutableBytes { Glibc.read(pipe[0], $0.baseAddress, 16) }
        close(pipe[0])
        var status: Int32 = 0
        waitpid(child, &status, 0)
        #expect(read == 16)
        #expect(fromChild != parent)
    }
}
