package component

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// Helpers shared by this package's tests: testdata files, the real
// wasm-tools (through internal/wasmtools), golden files.

// update rewrites golden files instead of comparing with them, e.g.
// go test ./component -run TestResolveGolden -update.
var update = flag.Bool("update", false, "rewrite golden files in testdata")

// eachFile runs one subtest per file matching the testdata glob pattern,
// named after the file without its extension. No match is a failure: a
// table test over an empty directory would pass while testing nothing.
func eachFile(t *testing.T, pattern string, run func(t *testing.T, path string)) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases match %s (%v)", pattern, err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		t.Run(name, func(t *testing.T) { run(t, path) })
	}
}

// eachFixture runs one subtest per built fixture (fixtures/out, found by
// internal/fixture), named after it, given its bytes.
func eachFixture(t *testing.T, run func(t *testing.T, name string, data []byte)) {
	t.Helper()
	for _, path := range fixture.All(t) {
		name := fixture.Name(path)
		t.Run(name, func(t *testing.T) { run(t, name, fixture.Read(t, name)) })
	}
}

// parseWATFile assembles a testdata .wat file with the real wasm-tools.
func parseWATFile(t testing.TB, path string) []byte {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return wasmtools.Parse(t, string(src))
}

// validateAll runs `wasm-tools validate --features all` on b and returns
// its complaint. Every proposal is on because the WAT tests, the type
// encoder's outputs and some fixtures use gated features (async, fixed-size
// lists, error-context) on purpose: what is checked here is the encoding,
// not which proposals a runtime ships.
func validateAll(t testing.TB, b []byte) error {
	t.Helper()
	return wasmtools.Validate(t, b, "all")
}

// mustValidate fails the test unless validateAll accepts b.
func mustValidate(t testing.TB, b []byte) {
	t.Helper()
	if err := validateAll(t, b); err != nil {
		t.Fatal(err)
	}
}

// writeGolden writes a golden file atomically.
func writeGolden(t *testing.T, path, content string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// bigFixture is the size above which a fixture (a componentize-py or
// componentize-js output of 10–20 MB) skips its slow whole-binary checks
// under -short: validating or compiling it costs seconds, while its
// component-level structure is still decoded, resolved and round-tripped.
// The full run checks every fixture.
const bigFixture = 1 << 20

// largestFixture returns the name and bytes of the largest built fixture,
// the input of the decoding benchmarks.
func largestFixture(t testing.TB) (string, []byte) {
	t.Helper()
	var name string
	var data []byte
	for _, path := range fixture.All(t) {
		n := fixture.Name(path)
		if d := fixture.Read(t, n); len(d) > len(data) {
			name, data = n, d
		}
	}
	return name, data
}

// typeWalk visits every extern and type reachable from what it is given,
// each once (primitives once per kind), calling visit before descending.
// visit may walk further itself, e.g. into a name's owner.
type typeWalk struct {
	seen  map[any]bool
	visit func(node any)
}

func newTypeWalk(visit func(node any)) *typeWalk {
	return &typeWalk{seen: map[any]bool{}, visit: visit}
}

// first reports whether node is met for the first time, and visits it.
func (w *typeWalk) first(node any) bool {
	if node == nil || w.seen[node] {
		return false
	}
	w.seen[node] = true
	w.visit(node)
	return true
}

func (w *typeWalk) extern(e Extern) {
	if e == nil || !w.first(e) {
		return
	}
	switch x := e.(type) {
	case *Func:
		for _, p := range x.Params {
			w.typ(p.Type)
		}
		w.typ(x.Result)
	case *InstanceType:
		for _, it := range x.Exports {
			w.extern(it.Type)
		}
	case *ComponentType:
		for _, it := range x.Imports {
			w.extern(it.Type)
		}
		for _, it := range x.Exports {
			w.extern(it.Type)
		}
	case *TypeBound:
		w.typ(x.Type)
	case *ValueBound:
		w.typ(x.Type)
	}
}

func (w *typeWalk) typ(t Type) {
	if t == nil {
		return
	}
	switch x := t.(type) {
	case *Func:
		w.extern(x)
		return
	case *InstanceType:
		w.extern(x)
		return
	case *ComponentType:
		w.extern(x)
		return
	}
	if !w.first(t) {
		return
	}
	switch x := t.(type) {
	case *Named:
		w.typ(x.Type)
	case *Record:
		for _, f := range x.Fields {
			w.typ(f.Type)
		}
	case *Variant:
		for _, c := range x.Cases {
			w.typ(c.Type)
		}
	case *List:
		w.typ(x.Elem)
	case *Tuple:
		for _, e := range x.Types {
			w.typ(e)
		}
	case *Option:
		w.typ(x.Elem)
	case *Result:
		w.typ(x.Ok)
		w.typ(x.Err)
	case *Own:
		w.typ(x.Resource)
	case *Borrow:
		w.typ(x.Resource)
	case *Stream:
		w.typ(x.Elem)
	case *Future:
		w.typ(x.Elem)
	case *Map:
		w.typ(x.Key)
		w.typ(x.Value)
	}
}
