package host

// #include <stdlib.h>
// #include <wasmtime.h>
import "C"

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// Options configure an Engine.
type Options struct {
	// DisableCache turns Wasmtime's compilation cache off. It is on by
	// default because compiling a large component (a JS or Python one is
	// tens of MB) takes seconds, while loading it from the cache takes
	// milliseconds.
	DisableCache bool
	// CacheConfig is the path of a Wasmtime cache configuration file
	// (TOML, see `wasmtime config new`). Empty means Wasmtime's default
	// location and settings, which share the cache with the wasmtime CLI.
	CacheConfig string
}

// Engine owns one Wasmtime engine: compiler settings and the compilation
// cache. Create one per process and share it; it is safe for concurrent use.
// Every component compiled or run through it gets its own store, so runs do
// not share state.
type Engine struct {
	// mu is held for reading by every operation and for writing by Close,
	// so Close waits for in-flight calls instead of freeing under them.
	mu     sync.RWMutex
	handle *engineHandle
	cache  bool
}

// engineHandle is the C engine, kept apart from Engine so a cleanup can
// free it when an Engine is dropped without Close.
type engineHandle struct{ ptr *C.wasm_engine_t }

// NewEngine creates an engine with the component model, epoch interruption
// (for context cancellation) and, unless disabled, the compilation cache.
func NewEngine(opts Options) (*Engine, error) {
	cfg := C.wasm_config_new()
	if cfg == nil {
		return nil, fmt.Errorf("creating Wasmtime config failed")
	}
	C.wasmtime_config_wasm_component_model_set(cfg, true)
	// Concurrency support is deliberately left at its default (off): the
	// bundled libwasmtime.a is built without component-model-async, and
	// turning it on makes wasm_engine_new_with_config abort the process.
	// Off is also what exposes Wasmtime bug #13540 (see knownbug.go).
	C.wasmtime_config_epoch_interruption_set(cfg, true)
	if !opts.DisableCache {
		var path *C.char
		if opts.CacheConfig != "" {
			path = C.CString(opts.CacheConfig)
			defer C.free(unsafe.Pointer(path))
		}
		if err := takeError(C.wasmtime_config_cache_config_load(cfg, path)); err != nil {
			C.wasm_config_delete(cfg)
			return nil, fmt.Errorf("enabling the Wasmtime compilation cache: %w", err)
		}
	}
	// wasm_engine_new_with_config takes ownership of cfg.
	ptr := C.wasm_engine_new_with_config(cfg)
	if ptr == nil {
		return nil, fmt.Errorf("creating Wasmtime engine failed")
	}
	e := &Engine{handle: &engineHandle{ptr: ptr}, cache: !opts.DisableCache}
	runtime.AddCleanup(e, func(h *engineHandle) {
		if h.ptr != nil {
			C.wasm_engine_delete(h.ptr)
			h.ptr = nil
		}
	}, e.handle)
	return e, nil
}

// CacheEnabled reports whether compiled code is cached on disk.
func (e *Engine) CacheEnabled() bool { return e.cache }

// Close frees the engine. It waits for running calls to finish; later calls
// fail. Close is idempotent.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.handle.ptr != nil {
		C.wasm_engine_delete(e.handle.ptr)
		e.handle.ptr = nil
	}
	return nil
}

// acquire returns the live engine pointer with the read lock held; the
// caller must call e.mu.RUnlock when done.
func (e *Engine) acquire() (*C.wasm_engine_t, error) {
	e.mu.RLock()
	if e.handle.ptr == nil {
		e.mu.RUnlock()
		return nil, errClosed
	}
	return e.handle.ptr, nil
}

// Validate compiles wasm as a component and reports Wasmtime's error if it
// is not one Wasmtime accepts. With the cache on, a component validated
// before is loaded from the cache instead of being compiled again.
func (e *Engine) Validate(wasm []byte) error {
	c, err := e.compile(wasm)
	if err != nil {
		return err
	}
	C.wasmtime_component_delete(c)
	return nil
}

// compile returns a component the caller must free with
// wasmtime_component_delete.
func (e *Engine) compile(wasm []byte) (*C.wasmtime_component_t, error) {
	eng, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer e.mu.RUnlock()
	if len(wasm) == 0 {
		return nil, fmt.Errorf("compiling component: empty input")
	}
	// wasmtime_component_new would also accept WAT text; callers hand us
	// binaries, so text is more likely a wrong file than intended.
	if !bytes.HasPrefix(wasm, []byte("\x00asm")) {
		return nil, fmt.Errorf("compiling component: not a WebAssembly binary (no \\0asm header)")
	}
	var c *C.wasmtime_component_t
	buf, n := cBytes(wasm)
	if err := takeError(C.wasmtime_component_new(eng, buf, n, &c)); err != nil {
		return nil, fmt.Errorf("compiling component: %w", classifyCompileError(err, wasm))
	}
	runtime.KeepAlive(wasm)
	return c, nil
}
