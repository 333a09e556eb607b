#if canImport(Glibc)
import Glibc
#endif

/// A lock that readers hold together and a writer alone: the identity index is read for every row by the threads
/// preparing rows and by the committing thread at once, and written once per batch. Under a plain mutex the
/// committing thread slept on it about 16,000 times in an ingest of a million customers, each time waiting for a
/// core to be woken on.
///
/// A waiting writer goes before new readers, so that a steady stream of lookups cannot hold off a batch's
/// additions; a thread must therefore not take the read lock again while it holds it.
final class ReadWriteLock: @unchecked Sendable {
    private let lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)

    init() {
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        #if canImport(Glibc)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        #endif
        let status = pthread_rwlock_init(self.lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
        precondition(status == 0, "pthread_rwlock_init failed (\(status))")
    }

    deinit {
        pthread_rwlock_destroy(self.lock)
        self.lock.deallocate()
    }

    /// Runs `body` holding the lock for reading, beside other readers.
    func withReadLock<Value>(_ body: () throws -> Value) rethrows -> Value {
        pthread_rwlock_rdlock(self.lock)
        defer { pthread_rwlock_unlock(self.lock) }
        return try body()
    }

    /// Runs `body` holding the lock alone.
    func withWriteLock<Value>(_ body: () throws -> Value) rethrows -> Value {
        pthread_rwlock_wrlock(self.lock)
        defer { pthread_rwlock_unlock(self.lock) }
        return try body()
    }
}
