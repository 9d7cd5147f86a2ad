package host

// #include <stdint.h>
// #include <stddef.h>
import "C"

import (
	"context"
	"io"
	"runtime/cgo"
	"sync"
	"unsafe"
)

// lockedWriter serialises writes from the guest's stdout and stderr, which
// may share one io.Writer (as exec.Cmd allows).
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// eio is the errno reported to the guest when the host writer fails.
const eio = 5

//export goHostWrite
func goHostWrite(handle C.uintptr_t, buf *C.uchar, n C.size_t) C.ptrdiff_t {
	w := cgo.Handle(handle).Value().(io.Writer)
	if n == 0 {
		return 0
	}
	// Write must not retain p (io.Writer's contract), so C memory is fine.
	written, err := w.Write(unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n)))
	if err != nil && written == 0 {
		return -eio
	}
	return C.ptrdiff_t(written)
}

//export goHostRelease
func goHostRelease(handle C.uintptr_t) { cgo.Handle(handle).Delete() }

//export goHostCanceled
func goHostCanceled(handle C.uintptr_t) C.int {
	ctx := cgo.Handle(handle).Value().(context.Context)
	if ctx.Err() != nil {
		return 1
	}
	return 0
}
