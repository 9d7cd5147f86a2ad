package compose

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/internal/testcomponent"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// member is a test component: a world of a WIT package under testdata/wit.
type member struct{ name, dir, world string }

func m(name, world string) member   { return member{name, "graph", world} }
func bad(name, world string) member { return member{name, "bad", world} }

// fx is a fixture built by fixtures/build.sh, as a member of its own name.
func fx(name string) member { return member{name, "fixture", name} }

// built caches components by dir/world: wasm-tools takes ~20 ms each.
var built sync.Map

func build(t *testing.T, mm member) []byte {
	t.Helper()
	if mm.dir == "fixture" {
		return fixture.Read(t, mm.world)
	}
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
		wires   []graph.Wire
		exports []graph.ExportSpec
		keep    []string
		// wit adds the output's world, printed as WIT, to the golden file:
		// where imports are merged, the merged (widest) types are checked.
		wit     bool
		wantErr string // the whole message; empty means success (golden file)
	}{
		{name: "plug", root: m("root", "root-x"), plugs: []member{m("px", "prov-x")}},
		{name: "chain", root: m("root", "root-x"), plugs: []member{m("b", "chain-x-needs-y"), m("c", "prov-y")}},
		{name: "shared-provider", root: m("root", "root-xy"), plugs: []member{m("px", "x-needs-z"), m("py", "y-needs-z"), m("pz", "prov-z")}},
		{name: "shared-wasi-merged", root: m("root", "io-root-x"), plugs: []member{m("px", "io-prov-x")}, wit: true},
		// streams@0.2.0 (provider) and @0.2.6 (consumer, whose
		// output-stream adds flush) merge into one import at 0.2.6.
		{name: "resources-through-use", root: m("consumer", "io-consumer"), plugs: []member{m("provider", "io-provider")}, wit: true},
		{name: "semver-merge", root: m("root", "log-root-x"), plugs: []member{m("px", "log-prov-x")}, wit: true},
		{name: "exported-resource", root: m("user", "counter-user"), plugs: []member{m("counter", "counter-prov")}},
		{name: "choose-exports", root: m("root", "root-xy"), plugs: []member{m("px", "prov-x"), m("py", "prov-y")}, exports: []graph.ExportSpec{{Instance: "root", Export: "other"}}},
		{name: "explicit-wire", root: m("root", "root-x"), plugs: []member{m("a", "prov-x"), m("b", "prov-x-again")}, keep: []string{"a"},
			wires: []graph.Wire{{Consumer: "root", Import: "test:graph/x@0.1.0", Provider: "b", Export: "test:graph/x@0.1.0"}}},
		{name: "unplugged-stays-import", root: m("root", "root-xy"), plugs: []member{m("px", "prov-x")}},
		// wac #166: the user's wasi:io/streams stays an import, but its
		// `error` is the resource the provider member exports: error is
		// unplugged, so the provider plugs nothing, which is an error
		// naming the chain unless the provider is kept.
		{name: "import-uses-provided-type", root: m("user", "io-error-user"), plugs: []member{m("errors", "io-error-provider")},
			wantErr: "errors plugs nothing: user.wasi:io/error@0.2.6 stays an import (not plugged by errors.wasi:io/error@0.2.6): user.wasi:io/streams@0.2.6, which stays an import of the result, uses its resource `error`; the result imports wasi:io/error@0.2.6, wasi:io/poll@0.2.6, wasi:io/streams@0.2.6; keep it to instantiate it anyway, or leave it out"},
		{name: "import-uses-provided-type-kept", root: m("user", "io-error-user"), plugs: []member{m("errors", "io-error-provider")}, keep: []string{"errors"}},
		{name: "plug-import-uses-provided-type", root: m("root", "root-x"), plugs: []member{m("px", "io-error-user-x"), m("errors", "io-error-provider")}, keep: []string{"errors"}},
		// wac #141: api uses types' types, so types is exported too.
		{name: "export-needs-sibling", root: m("app", "sibling-exports"), exports: []graph.ExportSpec{{Instance: "app", Export: "test:graph/api@0.1.0"}}},
		{name: "export-uses-plugged-types", root: m("app", "types-user"), plugs: []member{m("types", "types-prov")}},
		{name: "world-level-types", root: m("root", "world-types")},
		{name: "world-level-types-shared", root: m("root", "world-types-root-x"), plugs: []member{m("px", "world-types-x")}},
		{name: "export-sibling-not-needed", root: m("app", "sibling-exports"), exports: []graph.ExportSpec{{Instance: "app", Export: "run"}}},

		{name: "type-mismatch", root: m("root", "root-x"), plugs: []member{bad("px", "prov-x-bad")},
			wantErr: "root: test:graph/x@0.1.0 ← px.test:graph/x@0.1.0: export `f`: param `a`: expected u32, found string"},
		{name: "missing-export", root: m("root", "root-x"), plugs: []member{m("px", "prov-x")},
			wires:   []graph.Wire{{Consumer: "root", Import: "test:graph/x@0.1.0", Provider: "px", Export: "test:graph/x@0.2.0"}},
			wantErr: `wire root:test:graph/x@0.1.0=px:test:graph/x@0.2.0: instance px (component px) has no export "test:graph/x@0.2.0" (it has "test:graph/x@0.1.0")`},
		{name: "cycle", root: m("root", "root-x"), plugs: []member{m("a", "chain-x-needs-y"), m("b", "y-needs-x")},
			wantErr: "cycle: a → b → a (a imports test:graph/y@0.1.0 from b, b imports test:graph/x@0.1.0 from a)"},
		{name: "conflicting-imports", root: m("root", "root-xy"), plugs: []member{bad("py", "y-needs-x-bad")},
			wantErr: "import test:graph/x@0.1.0: py imports \"test:graph/x@0.1.0\" and root imports \"test:graph/x@0.1.0\": export `f`: conflicting types: func(a: string) -> u32 and func(a: u32) -> u32 (param `a`: expected string, found u32)"},
		{name: "same-wire-twice", root: m("root", "root-x"), plugs: []member{m("px", "prov-x")},
			wires: []graph.Wire{
				{Consumer: "root", Import: "test:graph/x@0.1.0", Provider: "px", Export: "test:graph/x@0.1.0"},
				{Consumer: "root", Import: "test:graph/x@0.1.0", Provider: "px", Export: "test:graph/x@0.1.0"},
			}},
		{name: "conflicting-wires", root: m("root", "root-x"), plugs: []member{m("a", "prov-x"), m("b", "prov-x-again")},
			wires: []graph.Wire{
				{Consumer: "root", Import: "test:graph/x@0.1.0", Provider: "a", Export: "test:graph/x@0.1.0"},
				{Consumer: "root", Import: "test:graph/x@0.1.0", Provider: "b", Export: "test:graph/x@0.1.0"},
			},
			wantErr: "wire root:test:graph/x@0.1.0=b:test:graph/x@0.1.0: root.test:graph/x@0.1.0 is already given a.test:graph/x@0.1.0: an import takes one argument"},
		{name: "ambiguous", root: m("root", "root-x"), plugs: []member{m("a", "prov-x"), m("b", "prov-x-again")},
			wantErr: `root: import "test:graph/x@0.1.0": ambiguous providers a.test:graph/x@0.1.0 and b.test:graph/x@0.1.0; wire it explicitly`},
		{name: "wired-but-import-uses-its-types", root: m("user", "io-error-user"), plugs: []member{m("errors", "io-error-provider")},
			wires:   []graph.Wire{{Consumer: "user", Import: "wasi:io/error@0.2.6", Provider: "errors", Export: "wasi:io/error@0.2.6"}},
			wantErr: "user: wasi:io/error@0.2.6 is wired to errors.wasi:io/error@0.2.6, but user.wasi:io/streams@0.2.6, which stays an import of the result, uses its resource `error`; an import of the result can use only resources of other imports: give user.wasi:io/streams@0.2.6 an argument inside the composition too, or drop the wire"},

		// The WIT-only fixtures (fixtures/wit/components).
		{name: "fixture-mismatch", root: fx("wit-mismatch-b"), plugs: []member{fx("wit-mismatch-a")},
			wantErr: "wit-mismatch-b: example:shapes/geometry@0.1.0 ← wit-mismatch-a.example:shapes/geometry@0.1.0: export `point`: field `x`: expected f64, found u32"},
		// The root is never auto-plugged, so the pair alone is no cycle:
		// pong stays an import of the result.
		{name: "fixture-cycle-open", root: fx("wit-cycle-a"), plugs: []member{fx("wit-cycle-b")}},
		{name: "fixture-cycle", root: fx("wit-cycle-a"), plugs: []member{fx("wit-cycle-b")},
			wires:   []graph.Wire{{Consumer: "wit-cycle-b", Import: "example:cycle/pong@0.1.0", Provider: "wit-cycle-a", Export: "example:cycle/pong@0.1.0"}},
			wantErr: "cycle: wit-cycle-a → wit-cycle-b → wit-cycle-a (wit-cycle-a imports example:cycle/ping@0.1.0 from wit-cycle-b, wit-cycle-b imports example:cycle/pong@0.1.0 from wit-cycle-a)"},
		{name: "fixture-semver-plug", root: fx("wit-semver-020"), plugs: []member{fx("wit-semver-provider")}},
		{name: "fixture-semver-exact", root: fx("wit-semver-026"), plugs: []member{fx("wit-semver-provider")}},
		{name: "fixture-semver-other-track", root: fx("wit-semver-030"), plugs: []member{fx("wit-semver-provider")}, keep: []string{"wit-semver-provider"}, wit: true},
		{name: "fixture-store", root: fx("wit-store-consumer"), plugs: []member{fx("wit-store-provider")}},
		{name: "fixture-io", root: fx("wit-io-consumer"), plugs: []member{fx("wit-io-provider")}},
		{name: "unknown-wire-member", root: m("root", "root-x"), plugs: []member{m("px", "prov-x")},
			wires:   []graph.Wire{{Consumer: "root", Import: "test:graph/x@0.1.0", Provider: "nope", Export: "x"}},
			wantErr: `wire root:test:graph/x@0.1.0=nope:x: no instance named "nope" (instances: root, px)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{Root: Input{Name: tc.root.name, Bytes: build(t, tc.root)}, Wires: tc.wires, Exports: tc.exports, Keep: tc.keep, Version: "test"}
			for _, p := range tc.plugs {
				opts.Plugs = append(opts.Plugs, Input{Name: p.name, Bytes: build(t, p)})
			}
			res, err := Compose(opts)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("want error %q, got success", tc.wantErr)
				}
				if err.Error() != tc.wantErr {
					t.Fatalf("error:\n  %v\nwant:\n  %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			validate.Component(t, res.Bytes())
			again, err := Compose(opts)
			if err != nil || string(again.Bytes()) != string(res.Bytes()) {
				t.Fatalf("second compose of the same inputs gave different bytes (err %v)", err)
			}
			got := describeOutput(t, res)
			if tc.wit {
				got += describeWIT(t, res.Bytes())
			}
			checkGolden(t, tc.name, got)
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
	if err := g.SetRoot(root); err != nil {
		t.Fatal(err)
	}
	// Whole members, embedded unchanged, are what this test counts.
	g.SetShareModules(false)
	p, err := g.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Encode(p, EncodeOptions{Name: "twice", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	out := res.Bytes()
	validate.Component(t, out)
	if n := strings.Count(string(out), string(build(t, m("wrap", "wrap-x")))); n != 1 {
		t.Errorf("wrap-x embedded %d times, want once", n)
	}
	checkGolden(t, "same-component-twice", describeOutput(t, res))
}

// TestExportKeepsUse: a sibling export added for its types keeps the
// `use` between them, as the root's own WIT has it.
func TestExportKeepsUse(t *testing.T) {
	res, err := Compose(Options{
		Root:    Input{Name: "app", Bytes: build(t, m("app", "sibling-exports"))},
		Exports: []graph.ExportSpec{{Instance: "app", Export: "test:graph/api@0.1.0"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	validate.Component(t, res.Bytes())
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

// describeOutput lists how the members were linked (the plan, from the
// Result) and what the output imports and exports as `wasm-tools component
// wit` prints its world: the output is described by an outside tool, not
// by wcomp's own reading of its own bytes.
func describeOutput(t *testing.T, res *Result) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "members: %s\n", strings.Join(res.Members, ", "))
	for _, l := range res.Links {
		fmt.Fprintf(&b, "link: %s (%s)\n", l, l.Kind)
	}
	for _, line := range worldItems(t, res.Bytes()) {
		fmt.Fprintf(&b, "world: %s\n", line)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	return b.String()
}

// worldItems returns the import, export, use and type lines of the world
// `wasm-tools component wit` prints for a component.
func worldItems(t *testing.T, wasm []byte) []string {
	t.Helper()
	text := wasmtools.ComponentWIT(t, wasm)
	var out []string
	in := false
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, "world "):
			in = true
		case in && line == "}":
			return out
		case in && strings.TrimSpace(line) != "":
			out = append(out, strings.TrimSpace(line))
		}
	}
	t.Fatalf("no world in wasm-tools' WIT:\n%s", text)
	return nil
}

// describeWIT is the output's whole WIT as wasm-tools prints it: where
// imports are merged, the merged (widest) types are checked.
func describeWIT(t *testing.T, data []byte) string {
	t.Helper()
	return "--- wit\n" + wasmtools.ComponentWIT(t, data)
}

// checkGolden compares got with testdata/golden/NAME.txt.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "golden", name+".txt"), got)
}

// TestSemverMergeUnion: the root imports test:logging/log@0.2.0, its plug
// @0.2.6 (which adds flush), and nothing inside provides it. The result
// imports it once, at 0.2.6, with the union of both types.
func TestSemverMergeUnion(t *testing.T) {
	res, err := Compose(Options{
		Root:  Input{Name: "root", Bytes: build(t, m("root", "log-root-x"))},
		Plugs: []Input{{Name: "px", Bytes: build(t, m("px", "log-prov-x"))}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ct, err := component.DecodeType(res.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(ct.Imports) != 1 || ct.Imports[0].Name != "test:logging/log@0.2.6" {
		t.Fatalf("imports %v, want only test:logging/log@0.2.6", importNames(ct))
	}
	it, ok := ct.Imports[0].Type.(*component.InstanceType)
	if !ok {
		t.Fatalf("import type %T, want an instance", ct.Imports[0].Type)
	}
	var got []string
	for _, e := range it.Exports {
		got = append(got, e.Name)
	}
	if want := "level log flush"; strings.Join(got, " ") != want {
		t.Fatalf("merged instance exports %q, want %q (0.2.0's, then flush from 0.2.6)", got, want)
	}
}

func importNames(ct *component.ComponentType) []string {
	var out []string
	for _, im := range ct.Imports {
		out = append(out, im.Name)
	}
	return out
}

// TestCorruptMember: a member whose nested core module is cut short, or
// has a byte flipped in a section header, decodes (its component-level
// sections are intact) but would make an invalid output. Compose refuses
// it, naming the member and where it breaks.
func TestCorruptMember(t *testing.T) {
	good := build(t, m("px", "prov-x"))
	cases := map[string][]byte{
		"truncated":  testcomponent.WithFirstModule(t, good, func(b []byte) []byte { return b[:len(b)-2] }),
		"flipped id": testcomponent.WithFirstModule(t, good, func(b []byte) []byte { b = append([]byte(nil), b...); b[8] ^= 0x40; return b }),
	}
	for what, corrupt := range cases {
		t.Run(what, func(t *testing.T) {
			if err := validate.WasmTools(corrupt); err == nil {
				t.Fatal("wasm-tools accepts the corrupt member: the case tests nothing")
			}
			for _, asRoot := range []bool{false, true} {
				opts := Options{Root: Input{Name: "root", Bytes: build(t, m("root", "root-x"))}, Plugs: []Input{{Name: "px", Bytes: corrupt, Path: "dir/px.wasm"}}}
				prefix := "plug dir/px.wasm: offset 0x"
				if asRoot {
					opts = Options{Root: Input{Name: "px", Bytes: corrupt, Path: "dir/px.wasm"}}
					prefix = "root dir/px.wasm: offset 0x"
				}
				res, err := Compose(opts)
				if err == nil || res != nil || !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), ": core module 0: ") {
					t.Fatalf("got %v, %v; want no result and an error starting %q in core module 0", res, err, prefix)
				}
				t.Log(err)
			}
		})
	}
}

// TestSameBytesTwice gives one component twice, under two names, as the
// CLI does for `--plug outer=wrap.wasm --plug inner=wrap.wasm`: it is
// embedded once and instantiated twice, whether the two inputs share one
// slice (one file mapped once) or are equal copies.
func TestSameBytesTwice(t *testing.T) {
	const x = "test:graph/x@0.1.0"
	wrap := build(t, m("wrap", "wrap-x"))
	var outputs [][]byte
	for _, second := range [][]byte{wrap, append([]byte(nil), wrap...)} {
		res, err := Compose(Options{
			Root: Input{Name: "root", Bytes: build(t, m("root", "root-x"))},
			Plugs: []Input{
				{Name: "outer", Bytes: wrap, Path: "wrap.wasm"},
				{Name: "inner", Bytes: second, Path: "wrap.wasm"},
				{Name: "px", Bytes: build(t, m("px", "prov-x"))},
			},
			Wires: []graph.Wire{{Consumer: "root", Import: x, Provider: "outer", Export: x}, {Consumer: "outer", Import: x, Provider: "inner", Export: x}, {Consumer: "inner", Import: x, Provider: "px", Export: x}},
			// Whole members, embedded unchanged, are what this test counts.
			NoShareModules: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		out := res.Bytes()
		validate.Component(t, out)
		if n := strings.Count(string(out), string(wrap)); n != 1 {
			t.Errorf("wrap embedded %d times, want once", n)
		}
		if strings.Join(res.Members, ",") != "px,inner,outer,root" {
			t.Errorf("members %v, want px, inner, outer, root", res.Members)
		}
		if want := "outer and inner are two instances of one component, embedded once"; len(res.Notes) != 1 || res.Notes[0] != want {
			t.Errorf("notes %q, want %q", res.Notes, want)
		}
		outputs = append(outputs, out)
	}
	if string(outputs[0]) != string(outputs[1]) {
		t.Error("a shared slice and an equal copy gave different outputs")
	}
}

func TestMemberNames(t *testing.T) {
	px := build(t, m("px", "prov-x"))
	root := Input{Name: "app", Bytes: build(t, m("root", "root-x")), Path: "app.wasm"}
	cases := []struct {
		name  string
		plugs []Input
		want  string
	}{
		{"duplicate", []Input{{Name: "px", Bytes: px, Path: "a/px.wasm"}, {Name: "px", Bytes: px, Path: "b/px.wasm"}},
			`two members are named "px" (plug a/px.wasm and plug b/px.wasm): give one of them another name`},
		{"duplicate of the root", []Input{{Name: "app", Bytes: px, Path: "lib/app.wasm"}},
			`two members are named "app" (root app.wasm and plug lib/app.wasm): give one of them another name`},
		{"explicit name shown", []Input{{Name: "px", Bytes: px, Path: "px.wasm"}, {Name: "px", Bytes: px, Path: "other.wasm"}},
			`two members are named "px" (plug px.wasm and plug px=other.wasm): give one of them another name`},
		{"colon", []Input{{Name: "a:b", Bytes: px}}, `plug a:b: member name "a:b" must not contain ':' or '='`},
		{"equals", []Input{{Name: "a=b", Bytes: px}}, `plug a=b: member name "a=b" must not contain ':' or '='`},
		{"empty", []Input{{Name: "", Bytes: px, Path: "x.wasm"}}, `plug =x.wasm: empty member name`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Compose(Options{Root: root, Plugs: tc.plugs})
			if err == nil || err.Error() != tc.want || res != nil {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
}

// TestNameSectionNamesTheRoot: the composition is named after the root
// member unless told otherwise, so nothing outside the inputs (such as the
// output file's name) changes the bytes.
func TestNameSectionNamesTheRoot(t *testing.T) {
	for _, tc := range []struct{ name, want string }{{"", "app"}, {"custom", "custom"}} {
		res, err := Compose(Options{Root: Input{Name: "app", Bytes: build(t, m("root", "root-x"))}, Name: tc.name})
		if err != nil {
			t.Fatal(err)
		}
		if got := componentName(t, res.Bytes()); got != tc.want {
			t.Errorf("Name %q: name section says %q, want %q", tc.name, got, tc.want)
		}
	}
}

// componentName reads the component's own name from its name section.
func componentName(t *testing.T, data []byte) string {
	t.Helper()
	c, err := component.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Sections {
		if s.Custom == nil || s.Custom.Name != "component-name" {
			continue
		}
		d := s.Custom.Data
		// Subsection 0 (the component's name) comes first: id, size, name.
		if len(d) < 3 || d[0] != 0 || int(d[2])+3 > len(d) {
			t.Fatalf("name section does not start with the component's name: % x", d[:min(len(d), 8)])
		}
		return string(d[3 : 3+int(d[2])])
	}
	t.Fatal("no component-name section")
	return ""
}
