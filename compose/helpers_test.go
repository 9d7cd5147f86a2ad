package compose

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtimecli"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// witComponent builds a component for world from the WIT package in dir
// with `wasm-tools component embed --dummy-names legacy` (the legacy names: Wasmtime 44 rejects the standard32 dummy bodies) + `component new`: exact
// imports, exports and types, functions that trap.
func witComponent(t testing.TB, dir, world string) []byte {
	t.Helper()
	tmp := t.TempDir()
	core := filepath.Join(tmp, world+".core.wasm")
	out := filepath.Join(tmp, world+".wasm")
	run(t, "wasm-tools", "component", "embed", "--dummy-names", "legacy", dir, "-w", world, "-o", core)
	run(t, "wasm-tools", "component", "new", core, "-o", out)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	// The native binaries, not the pip wrappers that take most of a
	// second to start.
	var tool string
	switch name {
	case "wasm-tools":
		tool = wasmtools.Path(t)
	case "wasmtime":
		tool = wasmtimecli.Path(t)
	default:
		t.Fatalf("run: unexpected tool %s", name)
	}
	cmd := exec.Command(tool, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	return stdout.String()
}
