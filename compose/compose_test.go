package compose

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/host"
	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// member is a test component: a world of a WIT package under testdata/wit.
type member struct{ name, dir, world string }

func m(name, world string) member   { return member{name, "graph", world} }
func bad(name, world string) member { return member{name, "bad", world} }

// built caches components by dir/world: wasm-tools takes ~20 ms each.
var built sync.Map

func build(t *testing.T, mm member) []byte {
	t.Helper()
	key := mm.dir + "/" + mm.world
	if b, ok := built.Load(key); ok {
		return b.([]byte)
	}
	b := wasmtools.DummyComponent(t, filepath.Join("testdata", "wit", mm.dir), mm.world)
	built.Store(key, b)
	return b
}

// TestGraphCases composes small WIT-only components and compares what the
// output imports, instantiates and exports with a golden file; errors are
// compared with the expected message. Every output is validated by
// wasm-tools and by Wasmtime.
func TestGraphCases(t *testing.T) {
	cases := []struct {
		name    string
		root    member
		plugs   []member
		wires   []Wire
		exports []string
		wantErr string // substring; empty means success (golden file)
	}{
		{name: "plug", root: m("root", "root-x"), plugs: []member{m("px", "prov-x")}},
		{name: "chain", root: m("root", "root-x"), plugs: []member{m("b", "chain-x-needs-y"), m("c", "prov-y")}},
		{name: "shared-provider", root: m("root", "root-xy"), plugs: []member{m("px", "x-needs-z"), m("py", "y-needs-z"), m("pz", "prov-z")}},
		{name: "shared-wasi-merged", root: m("root", "io-root-x"), plugs: []member{m("px", "io-prov-x")}},
		{name: "resources-through-use", root: m("consumer", "io-consumer"), plugs: []member{m("provider", "io-provider")}},
		{name: "exported-resource", root: m("user", "counter-user"), plugs: []member{m("counter", "counter-prov")}},
		{name: "choose-exports", root: m("root", "root-xy"), plugs: []member{m("px", "prov-x"), m("py", "prov-y")}, exports: []string{"other"}},
		{name: "explicit-wire", root: m("root", "root-x"), plugs: []member{m("a", "prov-x"), m("b", "prov-x-again")},
			wires: []Wire{{Consumer: "root", Import: "test:graph/x@0.1.0", Provider: "b", Export: "test:graph/x@0.1.0"}}},
		{name: "unplugged-stays-import", root: m("root", "root-xy"), plugs: []member{m("px", "prov-x")}},
		// wac #166: the user's wasi:io/streams stays an import, but its
		// `error` is the resource the provider member exports.
		{name: "import-uses-provided-type", root: m("user", "io-error-user"), plugs: []member{m("errors", "io-error-provider")}},
		{name: "plug-import-uses-provided-type", root: m("root", "root-x"), plugs: []member{m("px", "io-error-user-x"), m("errors", "io-error-provider")}},
		// wac #141: api uses types' types, so types is exported too.
		{name: "export-needs-sibling", root: m("app", "sibling-exports"), exports: []string{"test:graph/api@0.1.0"}},
		{name: "export-uses-plugged-types", root: m("app", "types-user"), plugs: []member{m("types", "types-prov")}},
		{name: "world-level-types", root: m("root", "world-types")},
		{name: "world-level-types-shared", root: m("root", "world-types-root-x"), plugs: []member{m("px", "world-types-x")}},
		{name: "export-sibling-not-needed", root: m("app", "sibling-exports"), exports: []string{"run"}},

		{name: "type-mismatch", root: m("root", "root-x"), plugs: []member{bad("px", "prov-x-bad")},
			wantErr: "root.test:graph/x@0.1.0 ← px.test:graph/x@0.1.0: export `f`: param `a`: expected u32, found string"},
		{name: "missing-export", root: m("root", "root-x"), plugs: []member{m("px", "prov-x")},
			wires:   []Wire{{Consumer: "root", Import: "test:graph/x@0.1.0", Provider: "px", Export: "test:graph/x@0.2.0"}},
			wantErr: `instance px (component px) has no export "test:graph/x@0.2.0"`},
		{name: "cycle", root: m("root", "root-x"), plugs: []member{m("a", "chain-x-needs-y"), m("b", "y-needs-x")},
			wantErr: "cycle: "},
		{name: "ambiguous", root: m("root", "root-x"), plugs: []member{m("a", "prov-x"), m("b", "prov-x-again")},
			wantErr: `root: import "test:graph/x@0.1.0": ambiguous providers a.test:graph/x@0.1.0 and b.test:graph/x@0.1.0`},
		{name: "wired-but-import-uses-its-types", root: m("user", "io-error-user"), plugs: []member{m("errors", "io-error-provider")},
			wires:   []Wire{{Consumer: "user", Import: "wasi:io/error@0.2.6", Provider: "errors", Export: "wasi:io/error@0.2.6"}},
			wantErr: "user.wasi:io/error@0.2.6 is wired to errors.wasi:io/error@0.2.6, but wasi:io/streams@0.2.6, which stays an import of the result, uses its types"},
		{name: "unknown-wire-member", root: m("root", "root-x"), plugs: []member{m("px", "prov-x")},
			wires:   []Wire{{Consumer: "root", Import: "test:graph/x@0.1.0", Provider: "nope", Export: "x"}},
			wantErr: `no member named "nope"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{Root: Input{Name: tc.root.name, Bytes: build(t, tc.root)}, Wires: tc.wires, Exports: tc.exports, Version: "test"}
			for _, p := range tc.plugs {
				opts.Plugs = append(opts.Plugs, Input{Name: p.name, Bytes: build(t, p)})
			}
			res, err := Compose(opts)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("want error containing %q, got success", tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error:\n  %v\nwant it to contain:\n  %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkValid(t, res.Bytes())
			again, err := Compose(opts)
			if err != nil || string(again.Bytes()) != string(res.Bytes()) {
				t.Fatalf("second compose of the same inputs gave different bytes (err %v)", err)
			}
			checkGolden(t, tc.name, describeOutput(t, res))
		})
	}
}

// TestSameComponentTwice instantiates one component twice through the
// graph API: root.x ← wrap2.x ← wrap1.x ← px.x, where wrap1 and wrap2 are
// instances of one component, embedded once.
func TestSameComponentTwice(t *testing.T) {
	g := graph.New()
	add := func(mm member) graph.ComponentID {
		data := build(t, mm)
		ct, err := component.DecodeType(data)
		if err != nil {
			t.Fatal(err)
		}
		id, err := g.AddComponent(mm.name, ct, data)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	inst := func(c graph.ComponentID, name string) graph.InstanceID {
		id, err := g.Instantiate(c, name)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	const x = "test:graph/x@0.1.0"
	root := inst(add(m("root", "root-x")), "root")
	wrap := add(m("wrap", "wrap-x"))
	w1, w2 := inst(wrap, "wrap1"), inst(wrap, "wrap2")
	px := inst(add(m("px", "prov-x")), "px")
	for _, w := range [][2]graph.InstanceID{{root, w2}, {w2, w1}, {w1, px}} {
		if err := g.Wire(w[0], x, w[1], x); err != nil {
			t.Fatal(err)
		}
	}
	p, err := g.Resolve(root)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Encode(g, p, EncodeOptions{Name: "twice", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	checkValid(t, out)
	if n := strings.Count(string(out), string(build(t, m("wrap", "wrap-x")))); n != 1 {
		t.Errorf("wrap-x embedded %d times, want once", n)
	}
	checkGolden(t, "same-component-twice", describeOutput(t, withBytes(summarize(g, p), out)))
}

// TestExportKeepsUse: a sibling export added for its types keeps the
// `use` between them, as the root's own WIT has it.
func TestExportKeepsUse(t *testing.T) {
	res, err := Compose(Options{
		Root:    Input{Name: "app", Bytes: build(t, m("app", "sibling-exports"))},
		Exports: []string{"test:graph/api@0.1.0"},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkValid(t, res.Bytes())
	if wit := wasmtools.ComponentWIT(t, res.Bytes()); !strings.Contains(wit, "use types.{thing, info};") {
		t.Fatalf("api lost its `use` of types:\n%s", wit)
	}
}

// TestNoOutputOnMismatch: the error path returns no bytes at all.
func TestNoOutputOnMismatch(t *testing.T) {
	res, err := Compose(Options{
		Root:  Input{Name: "root", Bytes: build(t, m("root", "root-x"))},
		Plugs: []Input{{Name: "px", Bytes: build(t, bad("px", "prov-x-bad"))}},
	})
	var le *graph.LinkError
	if !errors.As(err, &le) || res != nil {
		t.Fatalf("want a *graph.LinkError and no result, got %v, %v", res, err)
	}
}

func TestParseWire(t *testing.T) {
	w, err := ParseWire("business:example:service/processing@0.1.0=validator:example:service/processing@0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	want := Wire{"business", "example:service/processing@0.1.0", "validator", "example:service/processing@0.1.0"}
	if w != want {
		t.Fatalf("got %+v, want %+v", w, want)
	}
	for _, s := range []string{"", "a=b", "a:b", "a:b=c", ":x=b:y", "a:=b:y"} {
		if _, err := ParseWire(s); err == nil {
			t.Errorf("ParseWire(%q): want error", s)
		}
	}
}

// checkValid validates a composed component with wasm-tools and with the
// embedded Wasmtime (compiling it, fused adapters included). When the
// embedded Wasmtime 44 fails only by its known adapter bug (#13540, a
// borrow<T> passed between components), the wasmtime CLI, which has the
// fix, must compile the component instead, with the embedded engine's
// settings: the component is checked by a Wasmtime either way.
func checkValid(t *testing.T, data []byte) {
	t.Helper()
	toolErr := validate.WasmTools(data)
	hostErr := validate.Wasmtime(data)
	if toolErr == nil && errors.Is(hostErr, host.ErrBorrowAdapterBug) {
		f := filepath.Join(t.TempDir(), "out.wasm")
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
		compileWithWasmtimeCLI(t, f, "-W", "concurrency-support=n")
		return
	}
	validate.Component(t, data)
}

// describeOutput lists what the output imports and exports (decoded back
// from its bytes) and how its members were linked.
func describeOutput(t *testing.T, res *Result) string {
	t.Helper()
	ct, err := component.DecodeType(res.Bytes())
	if err != nil {
		t.Fatalf("decoding the output: %v", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "members: %s\n", strings.Join(res.Members, ", "))
	for _, l := range res.Links {
		fmt.Fprintf(&b, "link: %s (%s)\n", l, l.Kind)
	}
	for _, im := range ct.Imports {
		fmt.Fprintf(&b, "import: %s\n", im.Name)
	}
	for _, ex := range ct.Exports {
		fmt.Fprintf(&b, "export: %s\n", ex.Name)
	}
	for _, u := range res.Unused {
		fmt.Fprintf(&b, "unused: %s\n", u)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	return b.String()
}

func withBytes(r *Result, out []byte) *Result {
	r.chunks, r.size = [][]byte{out}, len(out)
	return r
}

// checkGolden compares got with testdata/golden/NAME.txt.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "golden", name+".txt"), got)
}
