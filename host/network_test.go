package host

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wcomp/wcomp/internal/wasmtimecli"
)

// httpCommand is a wasi:cli command that imports wasi:http/types (one
// resource, enough for the linker to need wasi:http) and returns ok.
const httpCommand = `(component
	(import "wasi:http/types@0.2.0" (instance (export "fields" (type (sub resource)))))
	(core module $m (func (export "run") (result i32) (i32.const 0)))
	(core instance $i (instantiate $m))
	(func $run (result (result)) (canon lift (core func $i "run")))
	(instance $r (export "run" (func $run)))
	(export "wasi:cli/run@0.2.0" (instance $r)))`

// wasi:http is linked only when granted, and the error without the grant
// names the import, for Run and Invoke alike.
func TestHTTPIsOptIn(t *testing.T) {
	e := engine(t)
	wasm := mustWat(t, httpCommand)

	_, err := e.Run(context.Background(), wasm, RunOptions{})
	var notGranted *HTTPNotGrantedError
	if !errors.As(err, &notGranted) {
		t.Fatalf("Run without HTTP: err = %v, want *HTTPNotGrantedError", err)
	}
	if notGranted.Import != "wasi:http/types@0.2.0" {
		t.Errorf("Import = %q, want wasi:http/types@0.2.0", notGranted.Import)
	}
	if got, want := err.Error(), "component imports wasi:http/types@0.2.0, and wasi:http was not granted"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
	var werr *Error
	if !errors.As(err, &werr) || !strings.Contains(werr.Msg, "wasi:http/types@0.2.0") {
		t.Errorf("Wasmtime's own error is not kept underneath: %v", notGranted.Err)
	}

	if code, err := e.Run(context.Background(), wasm, RunOptions{HTTP: true}); err != nil || code != 0 {
		t.Fatalf("Run with HTTP = %d, %v; want 0, nil", code, err)
	}

	// Invoke goes through the same session setup.
	if _, err := e.Invoke(context.Background(), wasm, "run()", RunOptions{}); !errors.As(err, &notGranted) {
		t.Errorf("Invoke without HTTP: err = %v, want *HTTPNotGrantedError", err)
	}
	if out, err := e.Invoke(context.Background(), wasm, "run()", RunOptions{HTTP: true}); err != nil || out != "ok" {
		t.Errorf("Invoke with HTTP = %q, %v; want ok", out, err)
	}
}

// A component missing some other import first gets Wasmtime's error about
// that import, not the wasi:http hint: the first problem is shown first.
func TestHTTPHintOnlyForHTTP(t *testing.T) {
	wasm := mustWat(t, `(component
		(import "example:missing/thing" (instance (export "f" (func))))
		(import "wasi:http/types@0.2.0" (instance (export "fields" (type (sub resource)))))
		(core module $m (func (export "run") (result i32) (i32.const 0)))
		(core instance $i (instantiate $m))
		(func $run (result (result)) (canon lift (core func $i "run")))
		(instance $r (export "run" (func $run)))
		(export "wasi:cli/run@0.2.0" (instance $r)))`)
	_, err := engine(t).Run(context.Background(), wasm, RunOptions{})
	var notGranted *HTTPNotGrantedError
	if err == nil || errors.As(err, &notGranted) || !strings.Contains(err.Error(), "example:missing/thing") {
		t.Fatalf("err = %v, want Wasmtime's error about example:missing/thing", err)
	}
}

// The guest gets no network through wasi:sockets, with or without the
// wasi:http grant: testdata/sockets.wat's TCP connect to a live local
// listener is refused before any packet is sent, and name lookup is off.
func TestSocketsDenied(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	connect := "connect(" + strconv.Itoa(port) + ")"

	wasm := wat(t, "sockets.wat")
	e := engine(t)
	for _, opts := range []RunOptions{{}, {HTTP: true}} {
		for call, want := range map[string]string{connect: "err(access-denied)", "lookup()": "err(permanent-resolver-failure)"} {
			got, err := e.Invoke(context.Background(), wasm, call, opts)
			if err != nil || got != want {
				t.Errorf("HTTP %v: %s = %q, %v; want %s", opts.HTTP, call, got, err, want)
			}
		}
	}
	// Nothing reached the listener.
	if err := ln.(*net.TCPListener).SetDeadline(time.Now().Add(100 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if c, err := ln.Accept(); err == nil {
		c.Close()
		t.Error("the guest's connect reached the host's listener")
	}

	if testing.Short() {
		return
	}
	// The probe can tell: the wasmtime CLI, given the network, connects,
	// and by default answers as the embedded engine does.
	path := filepath.Join(t.TempDir(), "sockets.wasm")
	if err := os.WriteFile(path, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	cli := func(args ...string) string {
		t.Helper()
		var out, stderr bytes.Buffer
		cmd := exec.Command(wasmtimecli.Path(t), append([]string{"run"}, append(args, path)...)...)
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("wasmtime run %v: %v\n%s", args, err, stderr.String())
		}
		return strings.TrimSpace(out.String())
	}
	if got := cli("--invoke", connect); got != "err(access-denied)" {
		t.Errorf("wasmtime CLI by default: %s = %s", connect, got)
	}
	if got := cli("-S", "inherit-network", "--invoke", connect); got != "ok" {
		t.Errorf("wasmtime CLI with -S inherit-network: %s = %s, want ok (the probe cannot see an allowed network)", connect, got)
	}
}
