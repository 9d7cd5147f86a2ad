package compose

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// The situations of wac's graph test suite (bytecodealliance/wac,
// crates/wac-graph/tests/graphs: 27 cases), each written again on the same
// ground with components of our own and built through graph's Go API the
// way wac's test builds its graph: every instance kept (wac instantiates
// every node) and filled with FillImport (wac imports whatever no
// argument gives). A success must validate (wasm-tools and Wasmtime) and
// have the expected world, in wasm-tools' words; a failure must be
// refused with the expected error.

// wacGraph builds one case's graph.
type wacGraph struct {
	t     *testing.T
	g     *graph.Graph
	comps map[string]graph.ComponentID
	types map[string]*component.ComponentType
}

func (w *wacGraph) add(name string, data []byte) {
	w.t.Helper()
	ct, err := component.DecodeType(data)
	if err != nil {
		w.t.Fatalf("component %s: %v", name, err)
	}
	id, err := w.g.AddComponent(name, ct, data)
	if err != nil {
		w.t.Fatal(err)
	}
	w.comps[name], w.types[name] = id, ct
}

// wat adds a component written in WAT.
func (w *wacGraph) wat(name, text string) { w.add(name, wasmtools.Parse(w.t, text)) }

// wit adds a component of the WIT package in testdata/wacgraph/DIR.
func (w *wacGraph) wit(name, dir string) {
	w.add(name, wasmtools.DummyComponent(w.t, filepath.Join("testdata", "wacgraph", dir), ""))
}

// inst instantiates a component as wac does: kept, unsatisfied imports
// imported.
func (w *wacGraph) inst(comp, name string) graph.InstanceID {
	w.t.Helper()
	id, err := w.g.Instantiate(w.comps[comp], name)
	if err == nil {
		err = w.g.Keep(id)
	}
	if err == nil {
		err = w.g.SetFill(id, graph.FillImport)
	}
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

// exportType is a component's type export, promoted to what an import of
// it is (wac's import nodes are typed this way).
func (w *wacGraph) exportType(comp, name string) component.Extern {
	w.t.Helper()
	e := w.types[comp].Export(name)
	if e == nil {
		w.t.Fatalf("%s has no export %s", comp, name)
	}
	if tb, ok := e.Type.(*component.TypeBound); ok {
		if x, ok := component.Underlying(tb.Type).(component.Extern); ok {
			return x
		}
	}
	return e.Type
}

func TestWacGraphCases(t *testing.T) {
	const funcType = `(component (import "a" (func)) (type (export "t") (func)))`
	cases := []struct {
		name    string
		build   func(w *wacGraph) error
		wantErr string   // a substring of the error; "" is success
		world   []string // lines the output's world must have
		print   []string // or text `wasm-tools print` must show
		// noWasmtime says why Wasmtime cannot check a member of the case
		// (wasm-tools alone validates it then).
		noWasmtime string
	}{
		{name: "argument-already-satisfied", wantErr: "foo.a is already given import first: an import takes one argument",
			build: func(w *wacGraph) error {
				w.wat("foo", funcType)
				first, _ := w.g.Import("first", w.exportType("foo", "t"))
				second, _ := w.g.Import("second", w.exportType("foo", "t"))
				foo := w.inst("foo", "foo")
				if err := w.g.SetArg(foo, "a", graph.ImportOf(first)); err != nil {
					return err
				}
				return w.g.SetArg(foo, "a", graph.ImportOf(second))
			}},
		{name: "argument-type-mismatch", wantErr: "foo: a ← import f: expected an instance, found a function",
			build: func(w *wacGraph) error {
				w.wat("foo", `(component (import "a" (instance)) (type (export "t") (func)))`)
				f, _ := w.g.Import("f", w.exportType("foo", "t"))
				return w.g.SetArg(w.inst("foo", "foo"), "a", graph.ImportOf(f))
			}},
		{name: "contains-cycle", wantErr: "cycle: one → two → one",
			build: func(w *wacGraph) error {
				w.wat("foo", `(component (import "i" (instance)))`)
				one, two := w.inst("foo", "one"), w.inst("foo", "two")
				if err := w.g.SetArg(one, "i", graph.InstanceOf(two)); err != nil {
					return err
				}
				return w.g.SetArg(two, "i", graph.InstanceOf(one))
			}},
		{name: "duplicate-imports",
			world: []string{"import test:dupe/kinds;", "import test:dupe/svc;"},
			build: func(w *wacGraph) error {
				w.wit("w", "dupe")
				a, b := w.inst("w", "a"), w.inst("w", "b")
				return w.g.SetArg(b, "test:dupe/svc", graph.ExportOf(a, "test:dupe/svc"))
			}},
		{name: "export-already-exists", wantErr: `the result already exports "foo"`,
			build: func(w *wacGraph) error {
				w.wat("foo", `(component)`)
				foo := w.inst("foo", "foo")
				if err := w.g.Export("foo", graph.InstanceOf(foo)); err != nil {
					return err
				}
				return w.g.Export("foo", graph.InstanceOf(foo))
			}},
		{name: "export-missing", wantErr: `instance foo (component foo) has no export "foo"`,
			build: func(w *wacGraph) error {
				w.wat("foo", `(component)`)
				return w.g.Export("foo", graph.ExportOf(w.inst("foo", "foo"), "foo"))
			}},
		{name: "implicit-import-conflict", wantErr: `would import "foo" implicitly, but it conflicts with the explicit import "foo"`,
			build: func(w *wacGraph) error {
				w.wat("foo", `(component (import "foo" (func)) (type (export "t") (func)))`)
				if _, err := w.g.Import("foo", w.exportType("foo", "t")); err != nil {
					return err
				}
				w.inst("foo", "foo")
				return nil
			}},
		// wac's test passes because it imports the packages' types rather
		// than embedding them: with the real user embedded, its `token` is
		// its kinds' token, which comes from maker, while next (from the
		// import) returns the import's token. wcomp refuses it, naming the
		// wire that cannot stand.
		{name: "implicit-resource-import", wantErr: "user: test:deps/kinds is wired to maker.test:deps/kinds, but user.token, which stays an import of the result, uses its resource `token`",
			build: func(w *wacGraph) error {
				w.wit("src", "deps-src")
				w.wit("maker", "deps-maker")
				w.wit("user", "deps-user")
				feed, err := w.g.ImportItem("test:src/feed", w.types["src"], "test:src/feed")
				if err != nil {
					return err
				}
				maker, user := w.inst("maker", "maker"), w.inst("user", "user")
				if err := w.g.SetArg(user, "next", graph.ImportExportOf(feed, "next")); err != nil {
					return err
				}
				return w.g.SetArg(user, "test:deps/kinds", graph.ExportOf(maker, "test:deps/kinds"))
			}},
		{name: "import-already-exists", wantErr: `the result already imports "foo"`,
			build: func(w *wacGraph) error {
				w.wat("foo", funcType)
				if _, err := w.g.Import("foo", w.exportType("foo", "t")); err != nil {
					return err
				}
				_, err := w.g.Import("foo", w.exportType("foo", "t"))
				return err
			}},
		{name: "import-resource-alias",
			world: []string{"resource handle;", "type other = handle;", "import open: func(h: handle) -> other;"},
			build: func(w *wacGraph) error {
				w.wit("w", "resalias")
				w.inst("w", "w")
				return nil
			}},
		{name: "invalid-export-name", wantErr: `export "!": the name is not valid`,
			build: func(w *wacGraph) error {
				w.wat("foo", `(component)`)
				return w.g.Export("!", graph.InstanceOf(w.inst("foo", "foo")))
			}},
		{name: "invalid-import-name", wantErr: `import "NOT_VALID": the name is not valid`,
			build: func(w *wacGraph) error {
				w.wat("foo", funcType)
				_, err := w.g.Import("NOT_VALID", w.exportType("foo", "t"))
				return err
			}},
		// Two members import one interface with different functions that
		// share a record: one import, with both functions and the record
		// once; one member's re-export of it is exported.
		// (wasm-tools component wit panics on this output, which wasm-tools
		// validate accepts, so the text format is checked instead.)
		{name: "merged-func-results", noWasmtime: "Wasmtime does not implement a re-export of an imported function",
			print: []string{`(export (;1;) "rec" (type (eq 0)))`, `(export (;0;) "get-one" (func (type 2)))`, `(export (;1;) "get-two" (func (type 2)))`, `(import "test:ex/iface" (instance $test:ex/iface (;0;) (type 0)))`},
			build: func(w *wacGraph) error {
				w.wat("one", `(component
  (import "test:ex/iface" (instance (type (record (field "v" u8))) (export "rec" (type (eq 0))) (type (func (result 1))) (export "get-one" (func (type 2))))))`)
				w.wat("two", `(component
  (import "test:ex/iface" (instance (type (record (field "v" u8))) (export "rec" (type (eq 0))) (type (func (result 1))) (export "get-two" (func (type 2)))))
  (export "test:ex/iface" (instance 0)))`)
				w.inst("one", "one")
				two := w.inst("two", "two")
				return w.g.Export("test:ex/iface", graph.ExportOf(two, "test:ex/iface"))
			}},
		{name: "merged-usings",
			world: []string{"import test:usings/base;", "import test:usings/top;", "export test:usings/top;"},
			build: func(w *wacGraph) error {
				w.wit("w", "usings")
				first, second := w.inst("w", "first"), w.inst("w", "second")
				if err := w.g.SetArg(first, "test:usings/top", graph.ExportOf(second, "test:usings/top")); err != nil {
					return err
				}
				return w.g.Export("test:usings/top", graph.ExportOf(first, "test:usings/top"))
			}},
		// An import typed by a package's interface brings the interface it
		// uses along; a member importing that interface too shares the one
		// import, whose type widens to both (wac merges them).
		{name: "merging-import-dependencies",
			world: []string{"import test:shared/types;", "import test:mergea/iface;", "export test:mergeb/iface;"},
			build: func(w *wacGraph) error {
				w.wit("a", "merge-a")
				w.wit("b", "merge-b")
				if _, err := w.g.ImportItem("test:mergea/iface", w.types["a"], "test:mergea/iface"); err != nil {
					return err
				}
				b := w.inst("b", "b")
				return w.g.Export("test:mergeb/iface", graph.ExportOf(b, "test:mergeb/iface"))
			}},
		{name: "missing-argument", wantErr: `instance two (component foo) has no import "foo"`,
			build: func(w *wacGraph) error {
				w.wat("foo", `(component)`)
				one, two := w.inst("foo", "one"), w.inst("foo", "two")
				return w.g.SetArg(two, "foo", graph.InstanceOf(one))
			}},
		{name: "nested-use-type",
			world: []string{"import test:nested/base@0.1.0;", "export run: func() -> s32;"},
			build: func(w *wacGraph) error {
				w.add("provider", build(w.t, issue10("provider", "nested", "provider")))
				w.add("consumer", build(w.t, issue10("consumer", "nested", "consumer")))
				prov, cons := w.inst("provider", "provider"), w.inst("consumer", "consumer")
				const shapes = "test:nested/shapes@0.1.0"
				if err := w.g.SetArg(cons, shapes, graph.ExportOf(prov, shapes)); err != nil {
					return err
				}
				if err := w.g.SetArg(cons, "make", graph.ExportOf(prov, "make")); err != nil {
					return err
				}
				return w.g.Export("run", graph.ExportOf(cons, "run"))
			}},
		{name: "not-an-instance", wantErr: "import foo is a function, not an instance: it has no exports",
			build: func(w *wacGraph) error {
				w.wat("foo", funcType)
				foo, _ := w.g.Import("foo", w.exportType("foo", "t"))
				return w.g.Export("nope", graph.ImportExportOf(foo, "nope"))
			}},
		// wac refuses an argument whose target is an import node; in the
		// Go API the target is an InstanceID, so the nearest runtime case
		// is an ID that names no instance.
		{name: "not-instantiation", wantErr: "set argument: unknown instance id 7",
			build: func(w *wacGraph) error {
				w.wat("foo", funcType)
				foo, _ := w.g.Import("foo", w.exportType("foo", "t"))
				return w.g.SetArg(graph.InstanceID(7), "nope", graph.ImportOf(foo))
			}},
		{name: "package-already-registered", wantErr: "a component with that name already exists",
			build: func(w *wacGraph) error {
				w.wat("foo", `(component)`)
				_, err := w.g.AddComponent("foo", w.types["foo"], nil)
				return err
			}},
		{name: "semver-highest-version-retained",
			world: []string{"import test:lib/kinds@0.3.4;", "import test:lib/ops@0.3.4;"},
			build: func(w *wacGraph) error {
				w.wit("higher", "versioned-b")
				w.wit("lower", "versioned-a")
				w.inst("higher", "higher")
				w.inst("lower", "lower")
				return nil
			}},
		{name: "simple", noWasmtime: "Wasmtime does not support foo's type export (\"unsupported type export\")",
			world: []string{"import my-foo: func();", "import i1: interface {", "import merged: interface {", "a: func();", "b: func();", "import i2: interface {", "export e2: func();"},
			build: func(w *wacGraph) error {
				w.wat("foo", `(component
  (type (export "f") (func))
  (import "foo" (func))
  (import "i1" (instance))
  (import "merged" (instance (export "a" (func)) (export "b" (func))))
  (export "bar" (func 0)))`)
				w.wat("bar", `(component
  (import "e" (func))
  (import "i2" (instance))
  (import "merged" (instance (export "a" (func))))
  (export "e" (func 0)))`)
				myFoo, err := w.g.Import("my-foo", w.exportType("foo", "f"))
				if err != nil {
					return err
				}
				foo, bar := w.inst("foo", "foo"), w.inst("bar", "bar")
				if err := w.g.SetArg(foo, "foo", graph.ImportOf(myFoo)); err != nil {
					return err
				}
				if err := w.g.SetArg(bar, "e", graph.ExportOf(foo, "bar")); err != nil {
					return err
				}
				return w.g.Export("e2", graph.ExportOf(bar, "e"))
			}},
		{name: "simple-versioned",
			world: []string{"import test:lib/kinds@0.3.4;", "import test:lib/ops@0.3.4;"},
			build: func(w *wacGraph) error {
				w.wit("a", "versioned-a")
				w.wit("b", "versioned-b")
				w.inst("a", "a")
				w.inst("b", "b")
				return nil
			}},
		{name: "type-aggregation-error", wantErr: "import foo: foo imports \"foo\" and bar imports \"foo\": export `baz`: conflicting types",
			build: func(w *wacGraph) error {
				w.wat("foo", `(component (import "foo" (instance (export "baz" (instance)))))`)
				w.wat("bar", `(component (import "foo" (instance (export "baz" (func)))))`)
				w.inst("foo", "foo")
				w.inst("bar", "bar")
				return nil
			}},
		{name: "use-type-by-id-import",
			world: []string{"import test:lib/shapes;", "record region {", "origin: point,", "export run: func() -> s32;"},
			build: func(w *wacGraph) error {
				w.wat("m", `(component
  (type (instance (type (record (field "x" s32))) (export "point" (type (eq 0)))))
  (import "test:lib/shapes" (instance (type 0)))
  (alias export 0 "point" (type))
  (type (record (field "origin" 1)))
  (import "region" (type (eq 2)))
  (core module $m (func (export "run") (result i32) i32.const 7))
  (core instance $i (instantiate $m))
  (func (export "run") (result s32) (canon lift (core func $i "run"))))`)
				return w.g.Export("run", graph.ExportOf(w.inst("m", "m"), "run"))
			}},
		{name: "used-resource",
			world: []string{"import test:useres/store;", "use test:useres/store.{item};", "type item-ref = item;", "export inspect: func(i: item-ref);"},
			build: func(w *wacGraph) error {
				w.wit("w", "useres")
				return w.g.Export("inspect", graph.ExportOf(w.inst("w", "w"), "inspect"))
			}},
		{name: "versioned-transitive-usings",
			world: []string{"import test:lib/kinds@0.3.4;", "import test:lib/ops@0.3.4;"},
			build: func(w *wacGraph) error {
				w.wit("a", "versioned-a")
				w.wit("b", "versioned-b")
				a := w.inst("a", "a")
				b := w.inst("b", "b")
				_, _ = a, b
				return nil
			}},
	}
	if len(cases) != 27 {
		t.Fatalf("%d cases; wac's graph suite has 27", len(cases))
	}
	passed := 0
	for _, tc := range cases {
		ok := t.Run(tc.name, func(t *testing.T) {
			w := &wacGraph{t: t, g: graph.New(), comps: map[string]graph.ComponentID{}, types: map[string]*component.ComponentType{}}
			err := tc.build(w)
			var plan *graph.Plan
			if err == nil {
				plan, err = w.g.Resolve()
			}
			var res *Result
			if err == nil {
				res, err = Encode(plan, EncodeOptions{Name: tc.name, Version: "test"})
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v; want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.noWasmtime != "" {
				if err := validate.WasmTools(res.Bytes()); err != nil {
					t.Fatal(err)
				}
			} else {
				validate.Component(t, res.Bytes())
			}
			if tc.print != nil {
				text := wasmtools.Print(t, res.Bytes())
				for _, want := range tc.print {
					if !strings.Contains(text, want) {
						t.Fatalf("wasm-tools print lacks %q:\n%s", want, text)
					}
				}
				return
			}
			world := worldItems(t, res.Bytes())
			for _, want := range tc.world {
				if !slices.Contains(world, want) {
					t.Fatalf("the output's world lacks %q:\n%s", want, strings.Join(world, "\n"))
				}
			}
		})
		if ok {
			passed++
		}
	}
	t.Logf("wac graph cases: 27 mapped, %d pass", passed)
}

// TestExportDefinedTypes: types the composition defines itself (WAC's
// `type` declarations) are exported, and a later one may use an earlier.
func TestExportDefinedTypes(t *testing.T) {
	g := graph.New()
	rec := &component.Record{Fields: []component.Field{{Name: "x", Type: component.Prim(component.PrimU32)}}}
	point := &component.Named{Name: "point", Type: rec}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(g.ExportType("point", point))
	must(g.ExportType("points", &component.List{Elem: point}))
	must(g.ExportType("count", component.Prim(component.PrimU64)))
	if err := g.ExportType("r", &component.Resource{Name: "r"}); err == nil {
		t.Error("a resource defined by the composition was accepted")
	}
	plan, err := g.Resolve()
	must(err)
	res, err := Encode(plan, EncodeOptions{Name: "types"})
	must(err)
	validate.Component(t, res.Bytes())
	// (WIT has no top-level type exports, so the text format is checked.)
	text := wasmtools.Print(t, res.Bytes())
	for _, want := range []string{
		`(type (;0;) (record (field "x" u32)))`,
		`(export (;1;) "point" (type 0))`,
		`(type (;2;) (list 1))`, // the list names the exported point
		`(export (;3;) "points" (type 2))`,
		`(export (;5;) "count" (type 4))`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("wasm-tools print lacks %q:\n%s", want, text)
		}
	}
}
