#ifndef C_SQLITE_CONFIG_SHIM_H
#define C_SQLITE_CONFIG_SHIM_H

#include <sqlite3.h>

/* sqlite3_config is variadic, which Swift cannot call: its calls CleanRoom makes, as inline functions. */

/* Connections opened without a threading flag use the multi-thread mode (SQLITE_OPEN_NOMUTEX): no mutex around
 * every call on a connection, which GRDB only ever uses from one thread at a time. Must precede sqlite3_initialize;
 * returns SQLITE_MISUSE after it. */
static inline int CSQLiteConfig_useMultiThreadMode(void) {
    return sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
}

/* No memory statistics: they take a global mutex around every allocation. Must precede sqlite3_initialize. */
static inline int CSQLiteConfig_disableMemoryStatistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
