package wit

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/internal/wasmtools"
	bcwit "go.bytecodealliance.org/wit"
)

// witSource is a WIT file or directory whose every world the converter is
// checked on.
type witSource struct {
	name string
	path string
	// skip lists worlds the dummy route cannot build (with why).
	skip map[string]string
}

// fixtureWITSources lists the repository's own WIT: fixtures/wit and
// fixtures/wit/components.
func fixtureWITSources(t *testing.T) []witSource {
	t.Helper()
	var out []witSource
	for _, glob := range []string{"../fixtures/wit/*.wit", "../fixtures/wit/components/*.wit", "testdata/src/*.wit"} {
		paths, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			out = append(out, witSource{name: strings.TrimSuffix(filepath.Base(p), ".wit"), path: p})
		}
	}
	if len(out) < 10 {
		t.Fatalf("found only %d WIT fixture files", len(out))
	}
	return out
}

// wasiSources returns real WASI WIT as installed by .ci/install.sh: the
// 0.2.12 packages that jco ships (npm, fixtures/js/node_modules) laid out
// as one project with deps/, and the 0.2.4 tree that Debian's rust-web-src
// vendors for the wasi crate. Missing ones fail the test, except under
// -short.
func wasiSources(t *testing.T) []witSource {
	t.Helper()
	var out []witSource
	jco := "../fixtures/js/node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12"
	if _, err := os.Stat(jco); err == nil {
		dir := t.TempDir()
		entries, err := os.ReadDir(jco)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			src := filepath.Join(jco, e.Name(), "package.wit")
			dst := filepath.Join(dir, "deps", e.Name(), "package.wit")
			if e.Name() == "wasi-http" {
				dst = filepath.Join(dir, "package.wit")
			}
			copyFile(t, src, dst)
		}
		out = append(out, witSource{name: "wasi-0.2.12", path: dir})
	} else if !testing.Short() {
		t.Errorf("jco's WASI WIT not found at %s: run .ci/install.sh", jco)
	}
	if dirs, _ := filepath.Glob("/usr/src/rustc-*/library/vendor/wasi-*+wasi-0.2.*/wit"); len(dirs) > 0 {
		sort.Strings(dirs)
		out = append(out, witSource{name: "wasi-" + filepath.Base(filepath.Dir(dirs[len(dirs)-1])), path: dirs[len(dirs)-1]})
	} else if !testing.Short() {
		t.Errorf("the wasi crate's WIT (Debian rust-web-src) not found: run .ci/install.sh")
	}
	return out
}

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// unsupported lists the WIT sources the converter cannot take, and the
// error it must give: go.bytecodealliance.org/wit v0.7.0 has no model of
// fixed-size lists and maps, and its wasm-tools (1.230) predates newer
// syntax. Each is still checked, for the right error.
var unsupported = map[string]string{
	"fixed-list": "does not represent, such as a fixed-size list or a map",
	"kitchen":    "does not represent, such as a fixed-size list or a map",
	"values":     "does not represent, such as a fixed-size list or a map",
}

// witModels parses src both ways a WIT model reaches WorldType: LoadWIT
// (the wasm-tools inside go.bytecodealliance.org/wit, which is what Load
// uses) and DecodeJSON of the installed wasm-tools' JSON (newer, so it
// reads what the embedded one cannot, and marks async functions
// differently).
func witModels(t *testing.T, src witSource) map[string]*bcwit.Resolve {
	t.Helper()
	models := map[string]*bcwit.Resolve{}
	if res, err := bcwit.LoadWIT(src.path); err == nil {
		models["embedded"] = res
	} else {
		t.Logf("%s: the embedded wasm-tools cannot parse it: %v", src.name, firstLine(err.Error()))
	}
	out, err := exec.Command(wasmtools.Path(t), "component", "wit", "--json", "--all-features", src.path).Output()
	if err != nil {
		t.Fatalf("%s: wasm-tools component wit --json: %v", src.name, err)
	}
	res, err := bcwit.DecodeJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("%s: DecodeJSON: %v", src.name, err)
	}
	models["native"] = res
	return models
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestWorldTypeMatchesWasmTools converts every world of the fixtures' WIT
// and of real WASI releases, and compares the result with the type of a
// component that wasm-tools builds for the same world (`component embed
// --dummy`, `component new`), decoded by component.DecodeType: the
// component must be a subtype of the world; with the world's imports cut
// to the types the component can use (liveImports), each must be a
// subtype of the other and both must read as the same WIT, item by item
// (Canonical).
func TestWorldTypeMatchesWasmTools(t *testing.T) {
	sources := append(fixtureWITSources(t), wasiSources(t)...)
	worlds := 0
	for _, src := range sources {
		for route, res := range witModels(t, src) {
			for _, w := range res.Worlds {
				id := WorldID(w)
				worlds++
				t.Run(src.name+"/"+route+"/"+id, func(t *testing.T) {
					ours, err := WorldType(w, WorldOptions{})
					if want, ok := unsupported[src.name]; ok {
						if err == nil || !strings.Contains(err.Error(), want) {
							t.Fatalf("WorldType error = %v, want one saying %q", err, want)
						}
						return
					}
					if err != nil {
						t.Fatalf("WorldType: %v", err)
					}
					theirs := decode(t, wasmtools.DummyComponent(t, src.path, id))
					if err := component.CheckSubtype(theirs, ours); err != nil {
						t.Errorf("wasm-tools' component is not a subtype of the converted world: %v", err)
					}
					ours = liveImports(ours)
					if err := component.CheckSubtype(theirs, ours); err != nil {
						t.Errorf("wasm-tools' component is not a subtype of the converted world, live imports only: %v", err)
					}
					if err := component.CheckSubtype(ours, theirs); err != nil {
						t.Errorf("the converted world is not a subtype of wasm-tools' component: %v", err)
					}
					want, err := Canonical(theirs)
					if err != nil {
						t.Fatalf("Canonical(wasm-tools): %v", err)
					}
					got, err := Canonical(ours)
					if err != nil {
						t.Fatalf("Canonical(ours): %v", err)
					}
					if got != want {
						t.Errorf("differs from wasm-tools (- wasm-tools, + ours):\n%s", golden.Diff(want, got))
					}
				})
			}
		}
	}
	if worlds < 40 {
		t.Errorf("checked only %d worlds", worlds)
	}
}

// liveImports returns ct with the type exports of its instance imports cut
// down to the resources they define and the types a function or export
// uses, and instances left empty dropped: what wit-component encodes for a
// dummy component's imports (its "live" types; the dummy drops handles of
// every imported resource). WorldType keeps every type of an imported interface, since
// a host that provides a world provides all of it; comparing with a
// component that wasm-tools built needs the same cut.
func liveImports(ct *component.ComponentType) *component.ComponentType {
	live := map[any]bool{}
	w := &component.TypeWalk{Visit: func(n any) bool { live[n] = true; return true }}
	for _, it := range ct.Imports {
		switch x := it.Type.(type) {
		case *component.InstanceType:
			for _, e := range x.Exports {
				switch y := e.Type.(type) {
				case *component.Func:
					w.Extern(y)
				case *component.TypeBound:
					// A resource the interface defines is live: the
					// component can drop its handles.
					if _, ok := y.Type.(*component.Resource); ok {
						w.Extern(y)
					}
				}
			}
		default:
			w.Extern(x)
		}
	}
	for _, it := range ct.Exports {
		w.Extern(it.Type)
	}
	out := &component.ComponentType{Exports: ct.Exports}
	for _, it := range ct.Imports {
		inst, ok := it.Type.(*component.InstanceType)
		if !ok {
			out.Imports = append(out.Imports, it)
			continue
		}
		cut := &component.InstanceType{}
		for _, e := range inst.Exports {
			if tb, ok := e.Type.(*component.TypeBound); ok && !live[tb.Type] {
				continue
			}
			cut.Exports = append(cut.Exports, e)
		}
		if len(cut.Exports) > 0 {
			it.Type = cut
			out.Imports = append(out.Imports, it)
		}
	}
	return out
}
