package atomicfile

import (
	"os"
	"syscall"
)

// syncData flushes f's data, and the metadata needed to read it back (its
// size), to disk: fdatasync, which skips timestamps fsync would also write.
func syncData(f *os.File) error {
	for {
		err := syscall.Fdatasync(int(f.Fd()))
		if err != syscall.EINTR {
			return err
		}
	}
}
