package wit

import (
	"testing"

	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// TestFixturesMatchReference checks every built fixture (real components
// from Rust, Python, JS, WIT and WAT) against `wasm-tools component wit`:
// the import and export names and types item by item (Canonical against
// the reference JSON), and the printed WIT byte for byte.
func TestFixturesMatchReference(t *testing.T) {
	if testing.Short() {
		t.Skip("compares every fixture with wasm-tools; run without -short")
	}
	for _, path := range fixture.All(t) {
		name := fixture.Name(path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data := fixture.Read(t, name)
			ct := decode(t, data)
			compareWithReference(t, ct, data)
			got, err := Print(ct, Options{})
			if err != nil {
				t.Fatalf("Print: %v", err)
			}
			if want := wasmtools.ComponentWIT(t, data); got != want {
				t.Errorf("Print differs from wasm-tools component wit (- wasm-tools, + ours):\n%s", golden.Diff(want, got))
			}
		})
	}
}
