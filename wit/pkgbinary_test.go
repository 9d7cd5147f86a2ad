package wit

import (
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
	bcwit "go.bytecodealliance.org/wit"
)

func TestReadPackageBinary(t *testing.T) {
	info, err := ReadPackageBinary(wasmtools.EncodeWIT(t, "testdata/src/demo.wit"))
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, r := range info.Refs {
		refs = append(refs, r.ID())
	}
	if got := info.ID() + " -> " + strings.Join(refs, " "); got != "my:demo@1.0.0 -> wasi:io@0.2.0" {
		t.Errorf("got %s", got)
	}
	if _, err := ReadPackageBinary(wasmtools.DummyComponent(t, "testdata/src/demo.wit", "demo")); err == nil || !strings.Contains(err.Error(), "a component, not a WIT package binary") {
		t.Errorf("a component: %v", err)
	}
	if _, err := ReadPackageBinary([]byte("package a:b;")); err == nil || !strings.Contains(err.Error(), "not a WIT package binary") {
		t.Errorf("text: %v", err)
	}
}

// TestPackageTextRefusesWhatItCannotPrint: async functions are beyond
// the WIT model (and, in today's encoding, beyond its decoder): such a
// package is refused with a way out, never printed wrong.
func TestPackageTextRefusesWhatItCannotPrint(t *testing.T) {
	_, err := PackageText(wasmtools.EncodeWIT(t, "../fixtures/wit/components/async-types.wit"))
	if err == nil || !strings.Contains(err.Error(), "example:async-types@0.1.0") || !strings.Contains(err.Error(), "async functions; take the package from WIT text") {
		t.Errorf("error = %v", err)
	}
}

func TestPrintableRefusesAsync(t *testing.T) {
	res, err := bcwit.LoadWIT("../fixtures/wit/components/async-types.wit")
	if err != nil {
		t.Fatal(err)
	}
	err = printable(res.Packages[0])
	if err == nil || !strings.Contains(err.Error(), "function `[async]read-all` is async, which wcomp cannot write as WIT yet") {
		t.Errorf("printable = %v", err)
	}
	demo, err := bcwit.LoadWIT("testdata/src/demo.wit")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range demo.Packages {
		if err := printable(p); err != nil {
			t.Errorf("%s: %v", p.Name.String(), err)
		}
	}
}
