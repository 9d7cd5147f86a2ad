package testcomponent

import (
	"os"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

// TestKindsIsValid: the shared component is one wasm-tools accepts, with
// the imports the packages' golden files describe.
func TestKindsIsValid(t *testing.T) {
	wasm := Kinds(t)
	if err := wasmtools.Validate(t, wasm); err != nil {
		t.Fatalf("kinds.wat is not a valid component: %v", err)
	}
	wit := wasmtools.ComponentWIT(t, wasm)
	for _, want := range []string{"import wasi:io/poll@0.2.0;", "import measure: func(p: point, tags: list<string>) -> option<u64>;", "export measure2:"} {
		if !strings.Contains(wit, want) {
			t.Errorf("kinds WIT lacks %q:\n%s", want, wit)
		}
	}
}

func TestFromWIT(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir+"/b.wit", "package a:b;\nworld b { export f: func(); }\n")
	writeFile(t, dir+"/a.wit", "package a:b;\nworld a { import g: func() -> u8; }\n")
	cases := FromWIT(t, dir+"/*.wit")
	if len(cases) != 2 || cases[0].Name != "a" || cases[1].Name != "b" {
		t.Fatalf("cases = %+v, want a then b", cases)
	}
	if wit := wasmtools.ComponentWIT(t, cases[0].Build(t)); !strings.Contains(wit, "import g: func() -> u8;") {
		t.Errorf("case a builds the wrong world:\n%s", wit)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
