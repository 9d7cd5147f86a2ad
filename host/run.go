package host

// #include <stdlib.h>
// #include <wasmtime.h>
// void host_set_stdout(wasi_config_t *config, uintptr_t handle);
// void host_set_stderr(wasi_config_t *config, uintptr_t handle);
// void host_set_epoch_callback(wasmtime_store_t *store, uintptr_t handle);
import "C"

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime/cgo"
	"strings"
	"sync"
	"unsafe"
)

// DirGrant gives the guest access to a host directory under a guest path.
type DirGrant struct {
	Host     string
	Guest    string
	ReadOnly bool
}

// RunOptions is the guest's WASI environment. The zero value is a sandbox:
// no arguments, no environment, no directories, empty stdin, discarded
// output and no network (wasi:sockets refuses every address; see Sandbox
// in the package documentation).
type RunOptions struct {
	// Args is the guest's argv, program name first (as os.Args).
	Args []string
	// Env holds "KEY=value" entries (as os.Environ returns).
	Env  []string
	Dirs []DirGrant
	// Stdin is read to the end before the guest starts (the C API takes
	// stdin as bytes or a file); os.Stdin itself is inherited instead.
	Stdin io.Reader
	// Stdout and Stderr receive the guest's output; nil discards it, as
	// with exec.Cmd. os.Stdout and os.Stderr are inherited directly.
	Stdout io.Writer
	Stderr io.Writer
	// HTTP links wasi:http (types and outgoing-handler), which lets the
	// guest send HTTP requests to any host, as `wasmtime run -S http`
	// does. Without it, a component that imports wasi:http fails to
	// instantiate with an *HTTPNotGrantedError.
	HTTP bool
	// CheckImport, when set, is asked about every import of the
	// component before it is instantiated. An import it refuses is not
	// linked: instantiation fails with a *NotGrantedError naming the
	// import and the refusal. wcomp sets it from the capability policy,
	// so that what the policy does not grant is absent at run time even
	// though the C API links every WASI 0.2 interface as one set.
	CheckImport func(name string) error
}

// HTTPNotGrantedError reports a component that imports wasi:http run
// without RunOptions.HTTP. Import is the import Wasmtime could not link,
// e.g. wasi:http/types@0.2.10; Err is Wasmtime's instantiation error.
type HTTPNotGrantedError struct {
	Import string
	Err    error
}

func (e *HTTPNotGrantedError) Error() string {
	return fmt.Sprintf("component imports %s, and wasi:http was not granted", e.Import)
}

func (e *HTTPNotGrantedError) Unwrap() error { return e.Err }

// session is one instantiated component in its own store.
type session struct {
	engine    *C.wasm_engine_t
	component *C.wasmtime_component_t
	linker    *C.wasmtime_component_linker_t
	store     *C.wasmtime_store_t
	context   *C.wasmtime_context_t
	instance  C.wasmtime_component_instance_t
	stopWatch func()
	// http is whether wasi:http was linked (RunOptions.HTTP).
	http bool
	// checkImport is RunOptions.CheckImport.
	checkImport func(string) error
}

func (s *session) close() {
	if s.stopWatch != nil {
		s.stopWatch()
	}
	if s.store != nil {
		C.wasmtime_store_delete(s.store)
	}
	if s.linker != nil {
		C.wasmtime_component_linker_delete(s.linker)
	}
	if s.component != nil {
		C.wasmtime_component_delete(s.component)
	}
}

// newSession creates a store with WASI configured from opts and a linker
// with WASI 0.2, and wasi:http when opts.HTTP is set. It does not
// instantiate yet, so callers can check the component's exports first. The engine's read lock must be
// held for the session's lifetime.
func newSession(ctx context.Context, eng *C.wasm_engine_t, component *C.wasmtime_component_t, opts RunOptions) (*session, error) {
	s := &session{engine: eng, component: component, http: opts.HTTP, checkImport: opts.CheckImport}
	s.linker = C.wasmtime_component_linker_new(eng)
	if err := takeError(C.wasmtime_component_linker_add_wasip2(s.linker)); err != nil {
		s.close()
		return nil, fmt.Errorf("adding WASI to the linker: %w", err)
	}
	if s.http {
		if err := takeError(C.wasmtime_component_linker_add_wasi_http(s.linker)); err != nil {
			s.close()
			return nil, fmt.Errorf("adding wasi:http to the linker: %w", err)
		}
	}
	s.store = C.wasmtime_store_new(eng, nil, nil)
	s.context = C.wasmtime_store_context(s.store)

	wasi, err := wasiConfig(opts)
	if err != nil {
		s.close()
		return nil, err
	}
	// set_wasi takes ownership of wasi, even on error.
	if err := takeError(C.wasmtime_context_set_wasi(s.context, wasi)); err != nil {
		s.close()
		return nil, fmt.Errorf("configuring WASI: %w", err)
	}
	if s.http {
		C.wasmtime_context_set_wasi_http(s.context)
	}

	// Cancellation: the store traps at the next epoch tick once ctx is
	// done. Ticks are engine-wide, so the callback lets other stores run on.
	C.wasmtime_context_set_epoch_deadline(s.context, 1)
	C.host_set_epoch_callback(s.store, C.uintptr_t(cgo.NewHandle(ctx)))
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-ctx.Done():
			C.wasmtime_engine_increment_epoch(eng)
		case <-stop:
		}
	}()
	// stopWatch waits for the watcher so it never touches a freed engine.
	s.stopWatch = func() {
		close(stop)
		<-done
	}
	return s, nil
}

func (s *session) instantiate() error {
	if s.checkImport != nil {
		if err := checkImports(s.engine, s.component, s.checkImport); err != nil {
			return err
		}
	}
	err := takeError(C.wasmtime_component_linker_instantiate(s.linker, s.context, s.component, &s.instance))
	if err == nil {
		return nil
	}
	// Without wasi:http linked, a component importing it cannot
	// instantiate; name the import and the missing grant rather than
	// Wasmtime's "matching implementation was not found in the linker".
	// Only when Wasmtime's error is about that import: another missing
	// import reported first stays the error the user sees first.
	if !s.http {
		if name := httpImportIn(err); name != "" {
			return &HTTPNotGrantedError{Import: name, Err: err}
		}
	}
	return fmt.Errorf("instantiating component: %w", err)
}

// wasiHTTPInError finds a backquoted wasi:http import in a Wasmtime error.
var wasiHTTPInError = regexp.MustCompile("`(wasi:http/[^`]+)`")

// httpImportIn returns the wasi:http import a Wasmtime link error is about,
// or "".
func httpImportIn(err error) string {
	var werr *Error
	if !errors.As(err, &werr) {
		return ""
	}
	if m := wasiHTTPInError.FindStringSubmatch(werr.Msg); m != nil {
		return m[1]
	}
	return ""
}

// wasiConfig builds a wasi_config_t the caller owns.
func wasiConfig(opts RunOptions) (*C.wasi_config_t, error) {
	cfg := C.wasi_config_new()
	fail := func(err error) (*C.wasi_config_t, error) {
		C.wasi_config_delete(cfg)
		return nil, err
	}
	if len(opts.Args) > 0 {
		argv := cStrings(opts.Args)
		ok := C.wasi_config_set_argv(cfg, C.size_t(len(opts.Args)), &argv[0])
		freeCStrings(argv)
		if !ok {
			return fail(errors.New("guest arguments must be valid UTF-8"))
		}
	}
	if len(opts.Env) > 0 {
		names := make([]string, 0, len(opts.Env))
		values := make([]string, 0, len(opts.Env))
		for _, kv := range opts.Env {
			k, v, found := strings.Cut(kv, "=")
			if !found || k == "" {
				return fail(fmt.Errorf("environment entry %q is not KEY=value", kv))
			}
			names = append(names, k)
			values = append(values, v)
		}
		cn, cv := cStrings(names), cStrings(values)
		ok := C.wasi_config_set_env(cfg, C.size_t(len(names)), &cn[0], &cv[0])
		freeCStrings(cn)
		freeCStrings(cv)
		if !ok {
			return fail(errors.New("guest environment must be valid UTF-8"))
		}
	}
	for _, d := range opts.Dirs {
		if d.Host == "" || d.Guest == "" {
			return fail(fmt.Errorf("directory grant %+v needs both a host and a guest path", d))
		}
		if fi, err := os.Stat(d.Host); err != nil {
			return fail(fmt.Errorf("granting directory: %w", err))
		} else if !fi.IsDir() {
			return fail(fmt.Errorf("granting directory: %s is not a directory", d.Host))
		}
		dirPerms := C.wasi_dir_perms(C.WASMTIME_WASI_DIR_PERMS_READ | C.WASMTIME_WASI_DIR_PERMS_WRITE)
		filePerms := C.wasi_file_perms(C.WASMTIME_WASI_FILE_PERMS_READ | C.WASMTIME_WASI_FILE_PERMS_WRITE)
		if d.ReadOnly {
			dirPerms = C.WASMTIME_WASI_DIR_PERMS_READ
			filePerms = C.WASMTIME_WASI_FILE_PERMS_READ
		}
		host, guest := C.CString(d.Host), C.CString(d.Guest)
		ok := C.wasi_config_preopen_dir(cfg, host, guest, dirPerms, filePerms)
		C.free(unsafe.Pointer(host))
		C.free(unsafe.Pointer(guest))
		if !ok {
			return fail(fmt.Errorf("granting directory %s as %s failed", d.Host, d.Guest))
		}
	}

	switch in := opts.Stdin.(type) {
	case nil:
	case *os.File:
		if in == os.Stdin {
			C.wasi_config_inherit_stdin(cfg)
			break
		}
		if err := stdinBytes(cfg, in); err != nil {
			return fail(err)
		}
	default:
		if err := stdinBytes(cfg, in); err != nil {
			return fail(err)
		}
	}

	// Stdout and stderr share a lock when they are the same writer.
	outLock := &sync.Mutex{}
	errLock := outLock
	if opts.Stdout != opts.Stderr {
		errLock = &sync.Mutex{}
	}
	setOutput(cfg, opts.Stdout, os.Stdout, outLock, func(c *C.wasi_config_t) { C.wasi_config_inherit_stdout(c) }, func(c *C.wasi_config_t, h C.uintptr_t) { C.host_set_stdout(c, h) })
	setOutput(cfg, opts.Stderr, os.Stderr, errLock, func(c *C.wasi_config_t) { C.wasi_config_inherit_stderr(c) }, func(c *C.wasi_config_t, h C.uintptr_t) { C.host_set_stderr(c, h) })
	return cfg, nil
}

func setOutput(cfg *C.wasi_config_t, w io.Writer, inheritable *os.File, mu *sync.Mutex,
	inherit func(*C.wasi_config_t), custom func(*C.wasi_config_t, C.uintptr_t)) {
	if f, ok := w.(*os.File); ok && f == inheritable {
		inherit(cfg)
		return
	}
	if w == nil {
		w = io.Discard
	}
	// The handle is released by the config's finalizer (goHostRelease).
	custom(cfg, C.uintptr_t(cgo.NewHandle(io.Writer(lockedWriter{mu: mu, w: w}))))
}

func stdinBytes(cfg *C.wasi_config_t, r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("reading guest stdin: %w", err)
	}
	var vec C.wasm_byte_vec_t
	if len(data) == 0 {
		C.wasm_byte_vec_new_empty(&vec)
	} else {
		C.wasm_byte_vec_new(&vec, C.size_t(len(data)), (*C.char)(unsafe.Pointer(&data[0])))
	}
	C.wasi_config_set_stdin_bytes(cfg, &vec) // takes ownership of vec
	return nil
}

func cStrings(ss []string) []*C.char {
	out := make([]*C.char, len(ss))
	for i, s := range ss {
		out[i] = C.CString(s)
	}
	return out
}

func freeCStrings(cs []*C.char) {
	for _, c := range cs {
		C.free(unsafe.Pointer(c))
	}
}

// Run instantiates the component and calls its wasi:cli/run export (any
// 0.2.x version), as `wasmtime run` does. The exit code is 0 when run
// returns ok, 1 when it returns err, and the guest's code when it calls
// wasi:cli/exit. err reports a component that cannot be compiled, linked
// or run to completion (a trap, a canceled ctx); the exit code is then 1.
func (e *Engine) Run(ctx context.Context, wasm []byte, opts RunOptions) (exitCode int, err error) {
	if err := ctx.Err(); err != nil {
		return 1, err
	}
	component, err := e.compile(wasm)
	if err != nil {
		return 1, err
	}
	eng, err := e.acquire()
	if err != nil {
		C.wasmtime_component_delete(component)
		return 1, err
	}
	defer e.mu.RUnlock()

	runName, err := findRunExport(eng, component)
	if err != nil {
		C.wasmtime_component_delete(component)
		return 1, err
	}
	s, err := newSession(ctx, eng, component, opts)
	if err != nil {
		return 1, err
	}
	defer s.close()
	if err := s.instantiate(); err != nil {
		return exitOr(ctx, err)
	}
	fn, err := s.lookupFunc(runName, "run")
	if err != nil {
		return 1, err
	}
	var result C.wasmtime_component_val_t
	if err := takeError(C.wasmtime_component_func_call(&fn, s.context, nil, 0, &result, 1)); err != nil {
		return exitOr(ctx, fmt.Errorf("%s#run: %w", runName, err))
	}
	defer C.wasmtime_component_val_delete(&result)
	if err := takeError(C.wasmtime_component_func_post_return(&fn, s.context)); err != nil {
		return exitOr(ctx, fmt.Errorf("%s#run: %w", runName, err))
	}
	if result.kind == C.WASMTIME_COMPONENT_RESULT && bool(of[C.wasmtime_component_valresult_t](&result).is_ok) {
		return 0, nil
	}
	return 1, nil
}

// exitOr turns a guest's wasi:cli/exit into its exit code and a canceled
// context into ctx's error; anything else stays an error with code 1.
func exitOr(ctx context.Context, err error) (int, error) {
	var exit *ExitError
	if errors.As(err, &exit) {
		return exit.Code, nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return 1, fmt.Errorf("%w (%v)", ctxErr, err)
	}
	return 1, err
}

// ErrNotCommand reports a component run as a command that does not export
// wasi:cli/run; its functions can still be called with Invoke.
var ErrNotCommand = errors.New("component does not export wasi:cli/run@0.2.x")

// findRunExport returns the exported instance name of wasi:cli/run with
// the highest 0.2.x version.
func findRunExport(eng *C.wasm_engine_t, component *C.wasmtime_component_t) (string, error) {
	ct := C.wasmtime_component_type(component)
	defer C.wasmtime_component_type_delete(ct)
	best, bestPatch := "", -1
	var names []string
	for i := C.size_t(0); i < C.wasmtime_component_type_export_count(ct, eng); i++ {
		var name *C.char
		var n C.size_t
		var item C.wasmtime_component_item_t
		if !C.wasmtime_component_type_export_nth(ct, eng, i, &name, &n, &item) {
			continue
		}
		export := nameString(name, n)
		C.wasmtime_component_item_delete(&item)
		names = append(names, export)
		if patch, ok := runPatch(export); ok && patch > bestPatch {
			best, bestPatch = export, patch
		}
	}
	if best == "" {
		return "", fmt.Errorf("%w (it exports: %s)", ErrNotCommand, listOrNone(names))
	}
	return best, nil
}

// runPatch reports whether name is wasi:cli/run@0.2.<patch>[-pre] and its
// patch number.
func runPatch(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, "wasi:cli/run@0.2.")
	if !ok {
		return 0, false
	}
	if i := strings.IndexAny(rest, "-+"); i >= 0 {
		rest = rest[:i]
	}
	patch := 0
	if rest == "" {
		return 0, false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return 0, false
		}
		patch = patch*10 + int(c-'0')
	}
	return patch, true
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "nothing"
	}
	return strings.Join(names, ", ")
}

// lookupFunc finds an exported function of the instantiated component: at
// the root when instance is "", else inside that exported instance.
func (s *session) lookupFunc(instance, name string) (C.wasmtime_component_func_t, error) {
	var fn C.wasmtime_component_func_t
	var parent *C.wasmtime_component_export_index_t
	if instance != "" {
		withCString(instance, func(p *C.char, n C.size_t) {
			parent = C.wasmtime_component_instance_get_export_index(&s.instance, s.context, nil, p, n)
		})
		if parent == nil {
			return fn, fmt.Errorf("component has no exported instance %q", instance)
		}
		defer C.wasmtime_component_export_index_delete(parent)
	}
	var idx *C.wasmtime_component_export_index_t
	withCString(name, func(p *C.char, n C.size_t) {
		idx = C.wasmtime_component_instance_get_export_index(&s.instance, s.context, parent, p, n)
	})
	if idx == nil {
		return fn, fmt.Errorf("no exported function %s", qualified(instance, name))
	}
	defer C.wasmtime_component_export_index_delete(idx)
	if !C.wasmtime_component_instance_get_func(&s.instance, s.context, idx, &fn) {
		return fn, fmt.Errorf("export %s is not a function", qualified(instance, name))
	}
	return fn, nil
}

func qualified(instance, name string) string {
	if instance == "" {
		return name
	}
	return instance + "#" + name
}
