package validate

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/wcomp/wcomp/host"
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
func Wasmtime(wasm []byte) error {
	e, err := sharedEngine()
	if err != nil {
		return fmt.Errorf("creating Wasmtime engine: %w", err)
	}
	return e.Validate(wasm)
}
