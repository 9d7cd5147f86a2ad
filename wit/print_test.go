package wit

import (
	"path/filepath"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/internal/testcomponent"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

func decode(t *testing.T, data []byte) *component.ComponentType {
	t.Helper()
	ct, err := component.DecodeType(data)
	if err != nil {
		t.Fatalf("DecodeType: %v", err)
	}
	return ct
}

// TestPrintGolden prints test components (each WIT world in testdata/src,
// and the shared kinds component) and checks the text three ways: against
// the golden file, byte for byte against `wasm-tools component wit`, and
// item by item (Canonical) against the reference's JSON.
func TestPrintGolden(t *testing.T) {
	cases := append(testcomponent.FromWIT(t, "testdata/src/*.wit"), testcomponent.Case{Name: "kinds", Build: testcomponent.Kinds})
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			data := tc.Build(t)
			ct := decode(t, data)
			got, err := Print(ct, Options{})
			if err != nil {
				t.Fatalf("Print: %v", err)
			}
			golden.Check(t, filepath.Join("testdata", "golden", tc.Name+".wit"), got)
			if testing.Short() {
				return // the golden files were checked against wasm-tools when written
			}
			if want := wasmtools.ComponentWIT(t, data); got != want {
				t.Errorf("Print differs from wasm-tools component wit (- wasm-tools, + ours):\n%s", golden.Diff(want, got))
			}
			compareWithReference(t, ct, data)
		})
	}
}

// compareWithReference diffs Canonical(ct) against the same rendering of
// `wasm-tools component wit --json`.
func compareWithReference(t *testing.T, ct *component.ComponentType, data []byte) {
	t.Helper()
	ours, err := Canonical(ct)
	if err != nil {
		t.Fatalf("Canonical: %v", err)
	}
	theirs, err := canonicalReference(wasmtools.ComponentWITJSON(t, data))
	if err != nil {
		t.Fatalf("reference: %v", err)
	}
	if ours != theirs {
		t.Errorf("imports/exports differ from wasm-tools (- wasm-tools, + ours):\n%s", golden.Diff(theirs, ours))
	}
}
