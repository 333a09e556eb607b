internal import COpenSSL
#if canImport(Glibc)
internal import Glibc
#endif
internal import Synchronization

/// Small random draws served from a block of OpenSSL's DRBG output drawn at once, one block per thread.
///
/// A `RAND_bytes` call costs about a microsecond whatever its size (provider parameter lookups, and a `getpid`
/// system call to detect a fork), and an ingest asks for a 32-byte key and a few 12-byte nonces per person: five
/// calls that were half of all the crypto time of a customer. The pool draws 4 KiB at once and hands it out;
/// every byte handed out is wiped from the pool, so a key never stays in it, and a thread's pool is wiped when the
/// thread ends.
///
/// Each thread has a pool of its own (``current``): with one pool behind a lock, the ingest's committing thread,
/// drawing each new person's data key, slept on the lock about a thousand times per million customers while the
/// sealing thread drew nonces.
///
/// A child created by `fork` must not serve the bytes its parent holds: a repeated AES-GCM nonce gives away the
/// key stream. A `pthread_atfork` handler counts forks in the child, and a pool discards its block when the count
/// moved.
final class RandomPool {
    /// Draws larger than this go to OpenSSL directly.
    static let largestServed = 64
    private static let blockSize = 4096

    private let block = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: RandomPool.blockSize)
    private var position = RandomPool.blockSize
    private var forkGeneration = RandomPool.forks.load(ordering: .relaxed)

    private static let forks = Atomic<Int>(0)
    private static let forkHandler: Void = {
        _ = pthread_atfork(nil, nil, { RandomPool.forks.wrappingAdd(1, ordering: .relaxed) })
    }()

    /// The key of each thread's pool; the thread's end releases it.
    private static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pool in
            guard let pool else { return }
            Unmanaged<RandomPool>.fromOpaque(pool).release()
        }
        precondition(status == 0, "pthread_key_create failed (\(status))")
        return key
    }()

    /// The calling thread's pool, made at its first draw.
    static var current: RandomPool {
        if let pool = pthread_getspecific(Self.threadKey) {
            return Unmanaged<RandomPool>.fromOpaque(pool).takeUnretainedValue()
        }
        Self.forkHandler
        let pool = RandomPool()
        pthread_setspecific(Self.threadKey, Unmanaged.passRetained(pool).toOpaque())
        return pool
    }

    private init() {}

    deinit {
        OPENSSL_cleanse(self.block.baseAddress, self.block.count)
        self.block.deallocate()
    }

    /// Fills `buffer` (at most ``largestServed`` bytes) from the pool, drawing a new block when needed. Only the
    /// pool's own thread calls it.
    func fill(_ buffer: UnsafeMutableBufferPointer<UInt8>) throws {
        precondition(buffer.count <= Self.largestServed, "a pooled random draw is at most \(Self.largestServed) bytes")
        guard let destination = buffer.baseAddress, let block = self.block.baseAddress else { return }
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
