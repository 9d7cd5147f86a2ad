package host

// #include <wasmtime.h>
import "C"

import (
	"fmt"
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
