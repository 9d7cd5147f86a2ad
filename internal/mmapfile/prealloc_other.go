//go:build !linux

package mmapfile

import "os"

// Preallocate reserves size bytes of disk for f where the system can (see
// prealloc_linux.go); here it does nothing.
func Preallocate(f *os.File, size int64) {}
