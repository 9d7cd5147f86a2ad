//go:build !unix

package builder

import "os"

// Without flock, installs are serialized within one process only (each
// install still renames a complete directory into place).
func tryLock(f *os.File) (bool, error) { return true, nil }

func unlockFile(f *os.File) {}
