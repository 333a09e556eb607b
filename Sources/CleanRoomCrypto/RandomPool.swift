internal import COpenSSL
#if canImport(Glibc)
internal import Glibc
#endif
internal import Synchronization

/// Small random draws served from a block of OpenSSL's DRBG output drawn at once.
///
/// A `RAND_bytes` call costs about a microsecond whatever its size (provider parameter lookups, and a `getpid`
/// system call to detect a fork), and an ingest asks for a 32-byte key and a few 12-byte nonces per person: five
/// calls that were half of all the crypto time of a customer. The pool draws 4 KiB at once and hands it out;
/// every byte handed out is wiped from the pool, so a key never stays in it.
///
/// A child created by `fork` must not serve the bytes its parent holds: a repeated AES-GCM nonce gives away the
/// key stream. A `pthread_atfork` handler counts forks, and the pool discards its block when the count moved.
final class RandomPool: @unchecked Sendable {
    /// The pool every ``SecureRandom`` draw of up to ``largestServed`` bytes uses.
    static let shared = RandomPool()
    /// Draws larger than this go to OpenSSL directly.
    static let largestServed = 64
    private static let blockSize = 4096

    // Guarded by `lock`, a pthread mutex so that fork handlers can hold it across `fork` (see `forkHandlers`).
    private let block = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: RandomPool.blockSize)
    private var position = RandomPool.blockSize
    private var forkGeneration = 0

    private nonisolated(unsafe) static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
        let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        return lock
    }()
    private static let forks = Atomic<Int>(0)
    /// The lock is taken before a fork and released after it in both processes, so a child never starts with it
    /// held by a thread it does not have; the child also counts the fork, which makes the pool discard its block.
    private static let forkHandlers: Void = {
        _ = pthread_atfork(
            { pthread_mutex_lock(RandomPool.lock) },
            { pthread_mutex_unlock(RandomPool.lock) },
            {
                RandomPool.forks.wrappingAdd(1, ordering: .relaxed)
                pthread_mutex_unlock(RandomPool.lock)
            })
    }()

    private init() {
        Self.forkHandlers
    }

    deinit {
        OPENSSL_cleanse(self.block.baseAddress, self.block.count)
        self.block.deallocate()
    }

    /// Fills `buffer` (at most ``largestServed`` bytes) from the pool, drawing a new block when needed.
    func fill(_ buffer: UnsafeMutableBufferPointer<UInt8>) throws {
        precondition(buffer.count <= Self.largestServed, "a pooled random draw is at most \(Self.largestServed) bytes")
        guard let destination = buffer.baseAddress, let block = self.block.baseAddress else { return }
        pthread_mutex_lock(Self.lock)
        defer { pthread_mutex_unlock(Self.lock) }
        let forks = Self.forks.load(ordering: .relaxed)
        if self.forkGeneration != forks {
            self.forkGeneration = forks
            self.position = Self.blockSize
        }
        if Self.blockSize - self.position < buffer.count {
            guard RAND_bytes(block, Int32(Self.blockSize)) == 1 else {
                throw OpenSSLErrorQueue.error(.randomUnavailable, "RAND_bytes could not produce random bytes")
            }
            self.position = 0
        }
        destination.update(from: block + self.position, count: buffer.count)
        OPENSSL_cleanse(block + self.position, buffer.count)
        self.position += buffer.count
    }
}
