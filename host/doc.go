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
// # Sandbox
//
// A guest gets only what RunOptions grants: arguments, environment
// variables, preopened directories, stdio. Every WASI 0.2 interface is
// linked (the C API adds them as one set), wasi:sockets included, but the
// C API builds the WASI context with Wasmtime's defaults and has no
// setting for the network: the socket address check refuses every bind
// and connect (access-denied) and ip-name-lookup is disabled
// (permanent-resolver-failure). testdata/sockets.wat probes both, and the
// same probe connects under `wasmtime run -S inherit-network`. wasi:http,
// which would let a guest reach any host, is linked only with
// RunOptions.HTTP; a component that imports it without the grant fails
// with *HTTPNotGrantedError.
//
// # Cancellation
//
// Engines enable epoch interruption. When a Run's context is done, the
// engine's epoch is bumped; that store's deadline callback then traps the
// guest, while other stores on the same engine continue. A guest blocked
// inside a host call (for example waiting on stdin) stops at its next
// return to wasm.
//
// # Known Wasmtime bug: borrow handles between components (#13540)
//
// The embedded Wasmtime cannot compile a component in which one inner
// component calls another with a borrow<T> handle in the signature (any
// resource method called across components: `self` is a borrow). For
// example `wcomp compose counter-user.wasm --plug counter.wasm` (or the same
// with `wac plug`) fails with
//
//	failed to compile: wasm[5]::function[9]
//	  WebAssembly translation error: ... type mismatch: expected i32 but nothing on stack
//
// The failing module is not the component's: wasm[N] past the component's
// own core modules is a fused adapter Wasmtime generates for the call. With
// concurrency support off, Wasmtime 43 to 45 emit the adapter's call to its
// enter-call intrinsic without the three i32 arguments (regression from
// wasmtime#12550, reported as #13540, fixed by #13542 in Wasmtime 46.0.0;
// no 43/44/45 patch release has the fix). The wasmtime CLI 49 compiles and
// runs these components, also with -W concurrency-support=n.
//
// wasmtime-go v44's libwasmtime.a is built without component-model-async,
// so concurrency support is off and cannot be turned on: setting
// wasmtime_config_concurrency_support_set(true) makes engine creation abort
// the whole process. No other setting avoids the bug (tried: Cranelift opt
// level none, debug verifier, multi-value, reference types, GC, and without
// our epoch interruption and cache); own<T> handles are unaffected.
//
// Compile errors of this exact shape are wrapped so errors.Is(err,
// ErrBorrowAdapterBug) holds and the message explains it (knownbug.go).
// testdata/handle-across-components.wat is the smallest reproducer, and
// TestKnownBugBorrowAdapter fails once an upgraded Wasmtime compiles it,
// which is the signal to drop the workaround.
package host
