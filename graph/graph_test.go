package graph

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/golden"
)

// A case file is the mini-language (minilang_test.go), then a line
// "--- want" and the expected Render output or "error (TYPE): message",
// and optionally "--- dot" and the expected DOT text.
const (
	wantMarker = "--- want\n"
	dotMarker  = "--- dot\n"
)

func TestCases(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			text := string(data)
			src, rest, _ := strings.Cut(text, wantMarker)
			hasDOT := strings.Contains(rest, dotMarker)

			got, gotDOT := runCase(t, src)
			// Determinism: the same input must give the same output on
			// every run (wac #211/#216 differed run to run).
			for i := 0; i < 5; i++ {
				again, againDOT := runCase(t, src)
				if again != got || againDOT != gotDOT {
					t.Fatalf("run %d differs:\n%s\nvs\n%s", i+2, again, got)
				}
			}

			// The case file with our output in its golden sections must be
			// the file itself; -update writes it so.
			out := src + wantMarker + got
			if hasDOT {
				out += dotMarker + gotDOT
			}
			golden.Check(t, file, out)
		})
	}
}

// runCase builds a fresh graph from src, resolves it, and returns the
// rendered plan (or the typed error) and its DOT text.
func runCase(t *testing.T, src string) (string, string) {
	t.Helper()
	c, err := parseCase(src)
	if err != nil {
		t.Fatalf("bad case: %v", err)
	}
	g, err := c.build()
	if err == nil {
		var p *Plan
		if p, err = g.Resolve(); err == nil {
			var buf bytes.Buffer
			if err := p.Render(&buf); err != nil {
				t.Fatal(err)
			}
			return buf.String(), p.DOT()
		}
	}
	return describeError(err), ""
}

// describeError prints an error with its type, one line per element of an
// ErrorList.
func describeError(err error) string {
	var list ErrorList
	if errors.As(err, &list) {
		var b strings.Builder
		for _, e := range list {
			b.WriteString(describeError(e))
		}
		return b.String()
	}
	return fmt.Sprintf("error (%T): %v\n", err, err)
}

// build applies the case through the public mutators. Mutator errors are
// results too (a wire to a missing export fails at Wire).
func (c *testCase) build() (*Graph, error) {
	g := New()
	compIDs := map[string]ComponentID{}
	for _, name := range c.comps {
		id, err := g.AddComponent(name, c.types[name], []byte("bytes of "+name))
		if err != nil {
			return nil, err
		}
		compIDs[name] = id
	}
	for _, in := range c.instances {
		comp, ok := compIDs[in[1]]
		if !ok {
			return nil, fmt.Errorf("case: unknown component %q", in[1])
		}
		if _, err := g.Instantiate(comp, in[0]); err != nil {
			return nil, err
		}
	}
	lookup := func(name string) InstanceID {
		id, ok := g.InstanceByName(name)
		if !ok {
			return -1
		}
		return id
	}
	for _, im := range c.imports {
		if _, err := g.Import(im.Name, im.Type); err != nil {
			return nil, err
		}
	}
	source := func(words []string) (Source, error) {
		switch {
		case len(words) == 2 && words[0] == "import":
			id, ok := g.ImportByName(words[1])
			if !ok {
				return Source{}, fmt.Errorf("case: unknown import %q", words[1])
			}
			return ImportOf(id), nil
		case len(words) == 3 && words[0] == "import":
			id, ok := g.ImportByName(words[1])
			if !ok {
				return Source{}, fmt.Errorf("case: unknown import %q", words[1])
			}
			return ImportExportOf(id, words[2]), nil
		case len(words) == 1:
			return InstanceOf(lookup(words[0])), nil
		case len(words) == 2:
			return ExportOf(lookup(words[0]), words[1]), nil
		}
		return Source{}, fmt.Errorf("case: bad source %q", words)
	}
	if c.root != "" {
		if err := g.SetRoot(lookup(c.root)); err != nil {
			return nil, err
		}
	}
	for _, f := range c.fills {
		fill := map[string]Fill{"auto": FillAuto, "import": FillImport, "none": FillNone}[f[1]]
		if err := g.SetFill(lookup(f[0]), fill); err != nil {
			return nil, err
		}
	}
	for _, k := range c.keep {
		if err := g.Keep(lookup(k)); err != nil {
			return nil, err
		}
	}
	for _, k := range c.wiredOnly {
		if err := g.WiredOnly(lookup(k)); err != nil {
			return nil, err
		}
	}
	for _, w := range c.wires {
		if err := g.Wire(lookup(w[0]), w[1], lookup(w[2]), w[3]); err != nil {
			return nil, err
		}
	}
	for _, a := range c.args {
		src, err := source(a.src)
		if err != nil {
			return nil, err
		}
		if err := g.SetArg(lookup(a.inst), a.imp, src); err != nil {
			return nil, err
		}
	}
	if c.hasExport {
		for _, name := range c.exports {
			if err := g.Export(name, ExportOf(lookup(c.root), name)); err != nil {
				return nil, err
			}
		}
	}
	for _, e := range c.exportsTo {
		src, err := source(e.src)
		if err != nil {
			return nil, err
		}
		if err := g.Export(e.imp, src); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// resolveFrom resolves g with root as its root.
func resolveFrom(g *Graph, root InstanceID) (*Plan, error) {
	if err := g.SetRoot(root); err != nil {
		return nil, err
	}
	return g.Resolve()
}

func TestCompatKey(t *testing.T) {
	for _, tc := range []struct{ version, key string }{
		{"1.0.0", "1"},
		{"1.7.3", "1"},
		{"2.0.0", "2"},
		{"0.2.0", "0.2"},
		{"0.2.6", "0.2"},
		{"0.3.0", "0.3"},
		{"0.0.1", ""},
		{"0.2.0-rc.1", ""},
		{"1.0.0-alpha", ""},
		{"1.0.0+build.5", "1"},
		{"1.2", ""},
		{"v1.2.3", ""},
		{"", ""},
	} {
		if got := CompatKey(tc.version); got != tc.key {
			t.Errorf("CompatKey(%q) = %q, want %q", tc.version, got, tc.key)
		}
	}
}

func TestCompatible(t *testing.T) {
	for _, tc := range []struct {
		imp, exp string
		want     bool
	}{
		{"wasi:io/error@0.2.0", "wasi:io/error@0.2.6", true},
		{"wasi:io/error@0.2.6", "wasi:io/error@0.2.0", true},
		{"wasi:io/error@0.2.0", "wasi:io/error@0.3.0", false},
		{"wasi:io/error@0.2.0", "wasi:io/streams@0.2.0", false},
		{"wasi:io/error@0.2.0", "wasi:other/error@0.2.0", false},
		{"a:b/c@1.0.0", "a:b/c@1.9.2", true},
		{"a:b/c@1.0.0", "a:b/c@2.0.0", false},
		{"a:b/c@0.0.1", "a:b/c@0.0.2", false},
		{"a:b/c@0.0.1", "a:b/c@0.0.1", true},
		{"a:b/c@0.2.0-rc.1", "a:b/c@0.2.0", false},
		{"a:b/c", "a:b/c@1.0.0", false},
		{"a:b/c", "a:b/c", true},
		{"run", "run", true},
		{"run", "walk", false},
		// Nested namespaces and interfaces (component.ParseName) group
		// like any other interface name.
		{"a:b:c/d/e@0.2.0", "a:b:c/d/e@0.2.3", true},
		{"a:b:c/d/e@0.2.0", "a:b:c/d/f@0.2.3", false},
		// Not interface names: only the same name matches.
		{"[method]r.m", "[method]r.m", true},
		{"a:b/c@01.0.0", "a:b/c@1.0.0", false},
		{"A:b/c@1.0.0", "A:b/c@1.2.0", false},
	} {
		if got := Compatible(tc.imp, tc.exp); got != tc.want {
			t.Errorf("Compatible(%q, %q) = %v, want %v", tc.imp, tc.exp, got, tc.want)
		}
	}
}

func TestHighest(t *testing.T) {
	for _, tc := range []struct {
		names []string
		want  string
	}{
		{[]string{"wasi:io/error@0.2.0", "wasi:io/error@0.2.12", "wasi:io/error@0.2.6"}, "wasi:io/error@0.2.12"},
		{[]string{"a:b/c@1.10.0", "a:b/c@1.9.0"}, "a:b/c@1.10.0"},
		{[]string{"run"}, "run"},
		{[]string{"a:b/c@1.0.0", "a:b/c@1.0.0-rc.1"}, "a:b/c@1.0.0"},
		{nil, ""},
	} {
		if got := Highest(tc.names); got != tc.want {
			t.Errorf("Highest(%q) = %q, want %q", tc.names, got, tc.want)
		}
	}
}

// TestMutatorsValidate checks that every mutator rejects bad input with a
// clear, typed error and leaves the graph usable.
func TestMutatorsValidate(t *testing.T) {
	c, err := parseCase(`
app: import example:svc/p@0.1.0 {process: func(string) -> string}
app: export run func() -> u32
svc: export example:svc/p@0.1.0 {process: func(string) -> string}
`)
	if err != nil {
		t.Fatal(err)
	}
	g := New()
	app, err := g.AddComponent("app", c.types["app"], nil)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := g.AddComponent("svc", c.types["svc"], nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.AddComponent("app", c.types["svc"], nil); err == nil {
		t.Error("duplicate component name accepted")
	}
	if _, err := g.AddComponent("x", nil, nil); err == nil {
		t.Error("nil type accepted")
	}
	a, _ := g.Instantiate(app, "a")
	s, _ := g.Instantiate(svc, "s")
	if _, err := g.Instantiate(svc, "s"); err == nil {
		t.Error("duplicate instance name accepted")
	}
	if _, err := g.Instantiate(ComponentID(9), "z"); err == nil {
		t.Error("unknown component accepted")
	}

	var missImp *MissingImportError
	if err := g.Wire(a, "example:svc/q@0.1.0", s, "example:svc/p@0.1.0"); !errors.As(err, &missImp) {
		t.Errorf("wire to missing import: got %v", err)
	}
	var missExp *MissingExportError
	err = g.Wire(a, "example:svc/p@0.1.0", s, "example:svc/p@0.1.1")
	if !errors.As(err, &missExp) || !reflect.DeepEqual(missExp.Similar, []string{"example:svc/p@0.1.0"}) {
		t.Errorf("wire to missing export: got %v", err)
	}
	var cyc *CycleError
	if err := g.Wire(a, "example:svc/p@0.1.0", a, "run"); !errors.As(err, &cyc) || cyc.Error() != `cycle: a → a (a imports example:svc/p@0.1.0 from a)` {
		t.Errorf("self wire: got %v", err)
	}
	if err := g.Wire(a, "example:svc/p@0.1.0", s, "example:svc/p@0.1.0"); err != nil {
		t.Fatal(err)
	}
	if err := g.Wire(a, "example:svc/p@0.1.0", s, "example:svc/p@0.1.0"); err != nil {
		t.Errorf("the same wire again: %v, want it accepted as a no-op", err)
	}
	s2, _ := g.Instantiate(svc, "s2")
	err = g.Wire(a, "example:svc/p@0.1.0", s2, "example:svc/p@0.1.0")
	if want := "a.example:svc/p@0.1.0 is already given s.example:svc/p@0.1.0: an import takes one argument"; err == nil || err.Error() != want {
		t.Errorf("a second, different wire of one import: got %v, want %s", err, want)
	}
	var link *LinkError
	if err := g.SetArg(a, "example:svc/p@0.1.0", ExportOf(s2, "example:svc/p@0.1.0")); err == nil {
		t.Error("a second argument accepted")
	}
	if err := g.Export("run", ExportOf(a, "run")); err != nil {
		t.Fatal(err)
	}
	if err := g.Export("run", ExportOf(a, "run")); err == nil {
		t.Error("duplicate export accepted")
	}
	if err := g.Export("!", ExportOf(a, "run")); err == nil || !strings.Contains(err.Error(), "not valid") {
		t.Errorf("invalid export name: got %v", err)
	}
	if err := g.Export("nope", ExportOf(a, "nope")); !errors.As(err, &missExp) {
		t.Errorf("export of a missing export: got %v", err)
	}
	if _, err := g.Import("NOT_VALID", &component.Func{}); err == nil || !strings.Contains(err.Error(), "not valid") {
		t.Errorf("invalid import name: got %v", err)
	}
	fn, err := g.Import("f", &component.Func{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Import("f", &component.Func{}); err == nil {
		t.Error("duplicate import accepted")
	}
	if err := g.SetArg(a, "example:svc/p@0.1.0", ImportOf(fn)); !errors.As(err, &link) || !strings.Contains(err.Error(), "expected an instance, found a function") {
		t.Errorf("a function passed for an instance: got %v", err)
	}
	if err := g.SetRoot(InstanceID(7)); err == nil {
		t.Error("unknown root accepted")
	}
	if err := g.WiredOnly(InstanceID(7)); err == nil {
		t.Error("unknown wired-only instance accepted")
	}
	var unused *UnusedError
	if _, err := resolveFrom(g, a); !errors.As(err, &unused) || unused.Instance != "s2" {
		t.Errorf("an instance nothing uses: got %v, want an *UnusedError for s2", err)
	}
	if err := g.Keep(s2); err != nil {
		t.Fatal(err)
	}
	p, err := resolveFrom(g, a)
	if err != nil {
		t.Fatalf("graph unusable after rejected mutations: %v", err)
	}
	if in := p.Instances(); len(in) != 3 || in[0].Name != "s" || in[1].Args[0].Kind != ArgExplicit {
		t.Errorf("unexpected plan %+v", in)
	}
}

// TestResourceBindingAcrossImports checks that one consumer's imports share
// resource bindings: the consumer's abstract resource r, bound to types'
// resource by its first import, must be the same resource in the second
// import, which a different provider (with its own resource) cannot match.
func TestResourceBindingAcrossImports(t *testing.T) {
	abstract := &component.Resource{Name: "r", Abstract: true}
	consumer := &component.ComponentType{
		Imports: []component.Item{
			{Name: "a:b/types@1.0.0", Type: &component.InstanceType{Exports: []component.Item{
				{Name: "r", Type: &component.TypeBound{Type: abstract}},
			}}},
			{Name: "a:b/use@1.0.0", Type: &component.InstanceType{Exports: []component.Item{
				{Name: "take", Type: &component.Func{Params: []component.Param{{Name: "x", Type: &component.Own{Resource: abstract}}}}},
			}}},
		},
	}
	provider := func(res *component.Resource) *component.ComponentType {
		return &component.ComponentType{Exports: []component.Item{
			{Name: "a:b/types@1.0.0", Type: &component.InstanceType{Exports: []component.Item{
				{Name: "r", Type: &component.TypeBound{Type: res}},
			}}},
			{Name: "a:b/use@1.0.0", Type: &component.InstanceType{Exports: []component.Item{
				{Name: "take", Type: &component.Func{Params: []component.Param{{Name: "x", Type: &component.Own{Resource: res}}}}},
			}}},
		}}
	}
	build := func(sameProvider bool) error {
		g := New()
		cc, _ := g.AddComponent("app", consumer, nil)
		p1, _ := g.AddComponent("p1", provider(&component.Resource{Name: "r"}), nil)
		p2, _ := g.AddComponent("p2", provider(&component.Resource{Name: "r"}), nil)
		app, _ := g.Instantiate(cc, "app")
		i1, _ := g.Instantiate(p1, "p1")
		i2, _ := g.Instantiate(p2, "p2")
		g.Keep(i2) // unused when both imports come from p1
		second := i2
		if sameProvider {
			second = i1
		}
		if err := g.Wire(app, "a:b/types@1.0.0", i1, "a:b/types@1.0.0"); err != nil {
			return err
		}
		if err := g.Wire(app, "a:b/use@1.0.0", second, "a:b/use@1.0.0"); err != nil {
			return err
		}
		_, err := resolveFrom(g, app)
		return err
	}
	if err := build(true); err != nil {
		t.Fatalf("one provider for both imports: %v", err)
	}
	err := build(false)
	var link *LinkError
	var sub *component.SubtypeError
	if !errors.As(err, &link) || !errors.As(err, &sub) {
		t.Fatalf("resources from two providers: want *LinkError wrapping *component.SubtypeError, got %v", err)
	}
	if link.Import != "a:b/use@1.0.0" || link.From != "p2.a:b/use@1.0.0" {
		t.Errorf("wrong link blamed: %v", err)
	}
	t.Log(err)
}

// TestResourceThroughChain is the wasi:io pattern across a chain: c defines
// resource r; b imports it from c and exports a function on it; app
// imports both and must see one resource, although b's export names b's
// own (abstract) import of r.
func TestResourceThroughChain(t *testing.T) {
	typesOf := func(r *component.Resource) *component.InstanceType {
		return &component.InstanceType{Exports: []component.Item{{Name: "r", Type: &component.TypeBound{Type: r}}}}
	}
	useOf := func(r *component.Resource) *component.InstanceType {
		return &component.InstanceType{Exports: []component.Item{
			{Name: "take", Type: &component.Func{Params: []component.Param{{Name: "x", Type: &component.Own{Resource: r}}}}},
		}}
	}
	concrete := &component.Resource{Name: "r"}
	rb := &component.Resource{Name: "r", Abstract: true}
	ra := &component.Resource{Name: "r", Abstract: true}
	g := New()
	app, _ := g.AddComponent("app", &component.ComponentType{Imports: []component.Item{
		{Name: "a:b/types@1.0.0", Type: typesOf(ra)},
		{Name: "a:b/use@1.0.0", Type: useOf(ra)},
	}}, nil)
	b, _ := g.AddComponent("b", &component.ComponentType{
		Imports: []component.Item{{Name: "a:b/types@1.0.0", Type: typesOf(rb)}},
		Exports: []component.Item{{Name: "a:b/use@1.0.0", Type: useOf(rb)}},
	}, nil)
	c, _ := g.AddComponent("c", &component.ComponentType{
		Exports: []component.Item{{Name: "a:b/types@1.0.0", Type: typesOf(concrete)}},
	}, nil)
	root, _ := g.Instantiate(app, "app")
	g.Instantiate(b, "b")
	g.Instantiate(c, "c")
	p, err := resolveFrom(g, root)
	if err != nil {
		t.Fatalf("resource through chain: %v", err)
	}
	var order []string
	for _, in := range p.Instances() {
		order = append(order, in.Name)
	}
	if got := strings.Join(order, " "); got != "c b app" {
		t.Errorf("order = %q, want c b app", got)
	}
}
