//go:build !linux

package atomicfile

import "os"

// syncData flushes f to disk.
func syncData(f *os.File) error { return f.Sync() }
