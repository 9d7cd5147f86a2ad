package host

import (
	"errors"
	"github.com/wcomp/wcomp/internal/ci"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtimecli"
)

// TestKnownBugBorrowAdapter pins Wasmtime bug #13540 in the embedded
// Wasmtime: a borrow<T> passed from one component to another fails to
// compile, the same composition with own<T> compiles. When an upgrade of
// wasmtime-go fixes the bug this test fails on purpose: then delete it,
// the "Known Wasmtime bug" section of doc.go, knownbug.go, and switch the
// compose/ and e2e/ tests that use the wasmtime CLI for resource-passing
// compositions back to the embedded engine.
func TestKnownBugBorrowAdapter(t *testing.T) {
	e := engine(t)
	if err := e.Validate(wat(t, "handle-across-components.wat", "HANDLE", "own")); err != nil {
		t.Fatalf("own<T> across components rejected: %v", err)
	}

	err := e.Validate(wat(t, "handle-across-components.wat", "HANDLE", "borrow"))
	if err == nil {
		t.Fatal("borrow<T> across components now compiles: Wasmtime bug #13540 is fixed in the embedded " +
			"Wasmtime; remove the workaround (see this test's doc comment)")
	}
	if !errors.Is(err, ErrBorrowAdapterBug) {
		t.Fatalf("borrow<T> across components failed, but not as bug #13540: %v", err)
	}
	var werr *Error
	if !errors.As(err, &werr) || !strings.Contains(werr.Msg, "expected i32 but nothing on stack") {
		t.Errorf("Wasmtime's own error is not kept: %v", err)
	}
	if !strings.Contains(err.Error(), "#13540") {
		t.Errorf("error does not explain the bug: %v", err)
	}
}

// TestKnownBugFixedInCLI shows the reproducer is a valid component that a
// fixed Wasmtime compiles with the same setting the embedded one has
// (concurrency support off), so the failure above is Wasmtime's.
func TestKnownBugFixedInCLI(t *testing.T) {
	if testing.Short() {
		ci.Skip(t, "runs the wasmtime CLI")
	}
	cli := wasmtimecli.Path(t)
	out, err := exec.Command(cli, "--version").Output()
	if err != nil {
		t.Fatalf("wasmtime --version: %v", err)
	}
	m := regexp.MustCompile(`wasmtime (\d+)\.`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("unexpected wasmtime --version output %q", out)
	}
	if major, _ := strconv.Atoi(string(m[1])); major < 46 {
		ci.Skip(t, "wasmtime CLI %d predates the fix of #13540 (Wasmtime 46); .ci/install.sh installs a newer one", major)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "borrow.wasm")
	if err := os.WriteFile(path, wat(t, "handle-across-components.wat", "HANDLE", "borrow"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(cli, "compile", "-W", "concurrency-support=n", path, "-o", filepath.Join(dir, "borrow.cwasm"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wasmtime CLI rejects the reproducer: %v\n%s", err, out)
	}
}

// TestClassifyCompileErrorLeavesOtherErrors checks the bug is only blamed
// when the failing function is in a module Wasmtime generated.
func TestClassifyCompileErrorLeavesOtherErrors(t *testing.T) {
	wasm := wat(t, "handle-across-components.wat", "HANDLE", "borrow")
	bugMsg := "failed to compile: wasm[%d]::function[5]\n\nCaused by:\n    0: WebAssembly translation error\n" +
		"    1: Invalid input WebAssembly code at offset 217: type mismatch: expected i32 but nothing on stack"
	tests := []struct {
		name    string
		err     error
		wasm    []byte
		wantBug bool
	}{
		{"generated adapter", &Error{Msg: strings.Replace(bugMsg, "%d", "2", 1)}, wasm, true},
		{"component's own module", &Error{Msg: strings.Replace(bugMsg, "%d", "1", 1)}, wasm, false},
		{"other message", &Error{Msg: "failed to compile: wasm[2]::function[5]: something else"}, wasm, false},
		{"malformed binary", &Error{Msg: strings.Replace(bugMsg, "%d", "2", 1)}, []byte("\x00asm\x0d\x00\x01\x00\x01\xff"), false},
		{"not a Wasmtime error", errors.New(strings.Replace(bugMsg, "%d", "2", 1)), wasm, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classifyCompileError(tt.err, tt.wasm)
			if isBug := errors.Is(got, ErrBorrowAdapterBug); isBug != tt.wantBug {
				t.Errorf("classified as bug #13540 = %v, want %v", isBug, tt.wantBug)
			}
			if !errors.Is(got, tt.err) {
				t.Errorf("original error lost: %v", got)
			}
		})
	}
}

func TestCountCoreModules(t *testing.T) {
	tests := []struct {
		name string
		wasm []byte
		want int
		ok   bool
	}{
		{"nested components", wat(t, "handle-across-components.wat", "HANDLE", "own"), 2, true},
		{"top-level module", wat(t, "values.wat"), 1, true},
		{"empty component", mustWat(t, "(component)"), 0, true},
		{"truncated section", []byte("\x00asm\x0d\x00\x01\x00\x01\x05\x00"), 0, false},
		{"no header", []byte("\x00as"), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := countCoreModules(tt.wasm)
			if got != tt.want || ok != tt.ok {
				t.Errorf("countCoreModules = %d, %v; want %d, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
