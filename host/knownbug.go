package host

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
)

// ErrBorrowAdapterBug marks a compile failure caused by Wasmtime bug
// bytecodealliance/wasmtime#13540, not by the component: the embedded
// Wasmtime (v44) generates an invalid fused adapter for a call between two
// components whose signature contains a borrow<T> handle. Callers test for
// it with errors.Is; the wasmtime CLI 46 or later compiles such components.
// See doc.go, "Known Wasmtime bug".
var ErrBorrowAdapterBug = errors.New("Wasmtime 43-45 bug #13540: invalid adapter for a borrow<T> passed between components")

// borrowAdapterBugError keeps Wasmtime's own error (errors.As still finds
// *Error) and adds ErrBorrowAdapterBug plus an explanation for humans.
type borrowAdapterBugError struct{ wasmtime error }

func (e *borrowAdapterBugError) Error() string {
	return e.wasmtime.Error() + "\n" +
		"note: the failing function is in an adapter Wasmtime generated itself, not in the component. " +
		"This is Wasmtime bug #13540 (a borrow<T> handle passed between two components, without " +
		"concurrency support), present in the embedded Wasmtime 44 and fixed in Wasmtime 46; " +
		"the component is valid and `wasmtime run` 46 or later accepts it"
}

func (e *borrowAdapterBugError) Unwrap() []error {
	return []error{e.wasmtime, ErrBorrowAdapterBug}
}

// failingModule extracts the core module index from Wasmtime's compile
// error "failed to compile: wasm[N]::function[M]...". Wasmtime numbers the
// component's own core modules first, in binary order, then the adapter
// modules it generates.
var failingModule = regexp.MustCompile(`^failed to compile: wasm\[(\d+)\]::function\[\d+\]`)

// classifyCompileError recognises the one known Wasmtime bug that makes a
// valid component fail to compile and marks it. It only does so when the
// failing module is one Wasmtime generated (its index is past the
// component's own core modules) and the message is the bug's, so a real
// error in the component's code is never blamed on Wasmtime.
func classifyCompileError(err error, wasm []byte) error {
	var werr *Error
	if !errors.As(err, &werr) || !strings.Contains(werr.Msg, "type mismatch: expected i32 but nothing on stack") {
		return err
	}
	m := failingModule.FindStringSubmatch(werr.Msg)
	if m == nil {
		return err
	}
	index, convErr := strconv.Atoi(m[1])
	own, ok := countCoreModules(wasm)
	if convErr != nil || !ok || index < own {
		return err
	}
	return &borrowAdapterBugError{wasmtime: err}
}

// Section ids of the component binary format (Binary.md) that matter for
// counting core modules: a core module section holds one module, a
// component section holds one nested component to walk into.
const (
	sectionCoreModule = 1
	sectionComponent  = 4
)

// countCoreModules counts the core modules in a component binary,
// including those of nested components: the static modules Wasmtime numbers
// before its generated adapters. ok is false if the binary is malformed.
func countCoreModules(wasm []byte) (n int, ok bool) {
	const header = 8 // "\0asm" + version/layer
	if len(wasm) < header || string(wasm[:4]) != "\x00asm" {
		return 0, false
	}
	rest := wasm[header:]
	for len(rest) > 0 {
		id := rest[0]
		size, used, ok := readU32LEB(rest[1:])
		if !ok || uint64(size) > uint64(len(rest)-1-used) {
			return 0, false
		}
		payload := rest[1+used : 1+used+int(size)]
		rest = rest[1+used+int(size):]
		switch id {
		case sectionCoreModule:
			n++
		case sectionComponent:
			inner, ok := countCoreModules(payload)
			if !ok {
				return 0, false
			}
			n += inner
		}
	}
	return n, true
}

// readU32LEB decodes an unsigned LEB128 u32, returning the value and the
// number of bytes read.
func readU32LEB(b []byte) (value uint32, used int, ok bool) {
	var shift uint
	for used < len(b) && used < 5 {
		c := b[used]
		used++
		value |= uint32(c&0x7f) << shift
		if c&0x80 == 0 {
			return value, used, true
		}
		shift += 7
	}
	return 0, 0, false
}
