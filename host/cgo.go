package host

// The headers in include/ are wasmtime-go v44.0.0's build/include, copied
// verbatim (see include/README.md); the library itself comes from the
// wasmtime-go package imported below, so one libwasmtime.a is linked.

// #cgo CFLAGS: -I${SRCDIR}/include
// #include <stdlib.h>
// #include <wasmtime.h>
import "C"

import (
	"errors"
	"fmt"
	"unsafe"

	// Imported only for its cgo LDFLAGS, which link wasmtime-go's bundled
	// libwasmtime.a (the C API this package calls). Any other package in
	// the binary that uses wasmtime-go shares that same archive.
	_ "github.com/bytecodealliance/wasmtime-go/v44"
)

// Error is an error reported by Wasmtime: a compile error, a link error or
// a trap. Msg is Wasmtime's own message.
type Error struct {
	Msg string
	// Trace is the wasm backtrace of a trap, innermost frame first, when
	// Wasmtime recorded one.
	Trace []string
}

func (e *Error) Error() string { return e.Msg }

// ExitError reports a guest that called wasi:cli/exit with a code.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("guest exited with code %d", e.Code) }

// takeError converts and frees a wasmtime_error_t. A nil pointer is no
// error. An exit request becomes *ExitError.
func takeError(e *C.wasmtime_error_t) error {
	if e == nil {
		return nil
	}
	defer C.wasmtime_error_delete(e)
	var status C.int
	if C.wasmtime_error_exit_status(e, &status) {
		return &ExitError{Code: int(status)}
	}
	var msg C.wasm_name_t
	C.wasmtime_error_message(e, &msg)
	out := &Error{Msg: byteVecString(&msg)}
	C.wasm_byte_vec_delete(&msg)

	var frames C.wasm_frame_vec_t
	C.wasmtime_error_wasm_trace(e, &frames)
	if frames.size > 0 {
		for _, f := range unsafe.Slice(frames.data, frames.size) {
			out.Trace = append(out.Trace, frameString(f))
		}
	}
	C.wasm_frame_vec_delete(&frames)
	return out
}

func frameString(f *C.wasm_frame_t) string {
	name := ""
	if n := C.wasmtime_frame_func_name(f); n != nil {
		name = byteVecString(n)
	}
	if name == "" {
		name = fmt.Sprintf("func[%d]", uint32(C.wasm_frame_func_index(f)))
	}
	return name
}

// byteVecString copies a wasm_byte_vec_t / wasm_name_t into Go memory.
func byteVecString(v *C.wasm_byte_vec_t) string {
	if v.size == 0 || v.data == nil {
		return ""
	}
	return C.GoStringN((*C.char)(unsafe.Pointer(v.data)), C.int(v.size))
}

// nameString copies a (pointer, length) name returned by the C API.
func nameString(p *C.char, n C.size_t) string {
	if n == 0 || p == nil {
		return ""
	}
	return C.GoStringN(p, C.int(n))
}

// cBytes gives C a pointer to wasm's bytes for the duration of one call.
// Go memory may be passed to C as long as C does not keep it.
func cBytes(b []byte) (*C.uint8_t, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// withCString runs fn with a NUL-terminated copy of s and its length.
func withCString(s string, fn func(*C.char, C.size_t)) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	fn(cs, C.size_t(len(s)))
}

var errClosed = errors.New("the Wasmtime engine is closed")
