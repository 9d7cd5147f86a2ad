// Package host embeds Wasmtime to validate, run and invoke components.
//
// It calls Wasmtime's component-model C API directly through cgo, because
// wasmtime-go (v44) only wraps core modules in Go.
//
// # Linking: one libwasmtime
//
// The C library is the libwasmtime.a bundled in the wasmtime-go v44.0.0
// module. This package does not name it in its own LDFLAGS; it imports
// wasmtime-go (blank import in cgo.go) and wasmtime-go's cgo directives
// add -L<module>/build/<os-arch> -lwasmtime to the final link. The Go
// linker collects every package's flags into one external link, where a
// static archive's members are pulled in once, so a binary that also uses
// wasmtime-go's Go API (tests use its Wat2Wasm) still contains exactly one
// Wasmtime, and both sides are the same version by construction.
//
// Headers cannot be borrowed the same way (cgo's -I cannot name another
// module's directory), so include/ holds an unmodified copy of the module's
// build/include, and TestHeadersMatchWasmtimeGo fails if it ever drifts
// from the wasmtime-go version in go.mod.
//
// The two packages never exchange C objects: wasmtime-go keeps its
// pointers unexported, so this package makes its own engine from the same
// library. Mixing an engine from one with objects from the other is not
// possible and not needed.
//
// # Ownership
//
// Engine is the only long-lived C object; Close frees it (and a cleanup
// frees it if an Engine is dropped unclosed). Each Run or Invoke compiles
// (or loads from the compilation cache), instantiates in a fresh store and
// frees store, linker, component and every value before returning. Go
// values handed to C callbacks (stdout/stderr writers, the context checked
// on interruption) travel as cgo.Handles released by Wasmtime's
// finalizers.
//
// # Cancellation
//
// Engines enable epoch interruption. When a Run's context is done, the
// engine's epoch is bumped; that store's deadline callback then traps the
// guest, while other stores on the same engine continue. A guest blocked
// inside a host call (for example waiting on stdin) stops at its next
// return to wasm.
package host
