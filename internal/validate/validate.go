package validate

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wcomp/wcomp/host"
	"github.com/wcomp/wcomp/internal/wasmtimecli"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// sharedEngine is one Wasmtime engine per test binary: creating an engine
// costs milliseconds, and its compilation cache is what makes repeated
// checks of the same component cheap.
var sharedEngine = sync.OnceValues(func() (*host.Engine, error) {
	return host.NewEngine(host.Options{})
})

// Component fails the test unless both `wasm-tools validate` and Wasmtime
// accept wasm; the failure shows both verdicts. A missing wasm-tools fails
// the test too, since a check that silently did half its work would hide
// the bugs it exists to catch.
func Component(t testing.TB, wasm []byte) {
	t.Helper()
	toolErr := WasmTools(wasm)
	hostErr := Wasmtime(wasm)
	if toolErr == nil && hostErr == nil {
		return
	}
	t.Fatalf("component is not valid:\n  wasm-tools validate: %s\n  wasmtime: %s", verdict(toolErr), verdict(hostErr))
}

func verdict(err error) string {
	if err == nil {
		return "ok"
	}
	var complaint *wasmtools.Error
	if errors.As(err, &complaint) { // the label already says which tool
		err = errors.New(complaint.Msg)
	}
	return strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "\n    ")
}

// WasmTools runs `wasm-tools validate` (default features, as a user's
// wasm-tools would) on wasm and returns its complaint, or an error saying
// wasm-tools is missing. The native binary is found by internal/wasmtools.
func WasmTools(wasm []byte) error {
	return wasmtools.Check(wasm)
}

// Wasmtime compiles wasm with the shared engine and returns its complaint.
//
// The one exception is host.ErrBorrowAdapterBug: the Wasmtime 44 that
// wasmtime-go bundles cannot compile a link that passes a borrow<T> between
// components (wasmtime#13540, fixed in 46). On that error alone, the
// verdict is the wasmtime CLI's (46 or later), compiling with the embedded
// engine's settings (concurrency support off), so such components are still
// checked by a Wasmtime, and any other complaint still fails.
func Wasmtime(wasm []byte) error {
	e, err := sharedEngine()
	if err != nil {
		return fmt.Errorf("creating Wasmtime engine: %w", err)
	}
	err = e.Validate(wasm)
	if !errors.Is(err, host.ErrBorrowAdapterBug) {
		return err
	}
	if cliErr := compileWithCLI(wasm); cliErr != nil {
		return fmt.Errorf("%w; and the wasmtime CLI: %w", err, cliErr)
	}
	return nil
}

// compileWithCLI compiles wasm with `wasmtime compile -W concurrency-support=n`.
func compileWithCLI(wasm []byte) error {
	cli, err := wasmtimecli.Find()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "wcomp-validate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "component.wasm")
	if err := os.WriteFile(in, wasm, 0o644); err != nil {
		return err
	}
	out, err := exec.Command(cli, "compile", "-W", "concurrency-support=n", in, "-o", in+".cwasm").CombinedOutput()
	if err != nil {
		return fmt.Errorf("wasmtime compile: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}
