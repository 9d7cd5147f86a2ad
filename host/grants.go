package host

// #include <wasmtime.h>
import "C"

import (
	"fmt"
	"strings"
)

// NotGrantedError reports an import that RunOptions.CheckImport refused:
// the component is not instantiated, rather than given what was not
// granted. Grant says what is missing, in the caller's words (the policy
// rule that denies it).
type NotGrantedError struct {
	Import string
	Err    error
}

func (e *NotGrantedError) Error() string {
	return fmt.Sprintf("component imports %s, which is not granted: %v", e.Import, e.Err)
}

func (e *NotGrantedError) Unwrap() error { return e.Err }

// componentImports lists the component's import names, in order.
func componentImports(eng *C.wasm_engine_t, component *C.wasmtime_component_t) []string {
	ct := C.wasmtime_component_type(component)
	defer C.wasmtime_component_type_delete(ct)
	n := C.wasmtime_component_type_import_count(ct, eng)
	names := make([]string, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		var name *C.char
		var size C.size_t
		var item C.wasmtime_component_item_t
		if !C.wasmtime_component_type_import_nth(ct, eng, i, &name, &size, &item) {
			continue
		}
		names = append(names, nameString(name, size))
		C.wasmtime_component_item_delete(&item)
	}
	return names
}

// checkImports asks check about every import and returns the first
// refusal.
func checkImports(eng *C.wasm_engine_t, component *C.wasmtime_component_t, check func(string) error) error {
	for _, name := range componentImports(eng, component) {
		if err := check(name); err != nil {
			return &NotGrantedError{Import: name, Err: err}
		}
	}
	return nil
}

// ParseDirGrant reads HOST::GUEST[:ro], the syntax of `wcomp run --dir`
// and of [run] dirs in component.toml: a host directory, the path the
// guest sees it at, and :ro for read-only (files and the directory can be
// read, nothing created or written). A bare DIR[:ro] is granted at the
// same path.
func ParseDirGrant(s string) (DirGrant, error) {
	g := DirGrant{}
	rest := s
	if r, ok := strings.CutSuffix(rest, ":ro"); ok {
		rest, g.ReadOnly = r, true
	} else if r, ok := strings.CutSuffix(rest, ":rw"); ok {
		rest = r
	}
	hostDir, guest, ok := strings.Cut(rest, "::")
	if !ok {
		guest = hostDir
	}
	if hostDir == "" || guest == "" {
		return DirGrant{}, fmt.Errorf("%q: expected HOST::GUEST[:ro], or DIR[:ro] for the same path", s)
	}
	g.Host, g.Guest = hostDir, guest
	return g, nil
}
