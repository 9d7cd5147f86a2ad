// Package filelock takes advisory, exclusive locks on files, so that
// several wcomp processes sharing a cache or a build directory take turns
// instead of doing the same work at once.
//
// A lock is flock(2) on the named file, created if missing and never
// removed: removing a lock file while another process waits on it would
// let a third process lock a new file of the same name. The kernel drops
// the lock when the process exits, so a crashed build never leaves a stale
// lock behind. Waiting honours the context.
//
// On systems without flock (build tag !unix) Lock only creates the file:
// callers must stay correct without mutual exclusion (the cache does, since
// every write is a rename of complete content).
package filelock
