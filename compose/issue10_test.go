package compose

import (
	"errors"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// issue10 is a member built from a world of testdata/wit/issue10/DIR.
func issue10(name, dir, world string) member { return member{name, "issue10/" + dir, world} }

// TestIssue10Cases: the compositions issue #10 found composed wrongly or
// refused. Each one failed on the main branch the issue was filed against
// (an invalid output, a refusal of a valid input, or a plug silently
// dropped); each output here passes wasm-tools validate and Wasmtime, and
// what it imports and exports is checked in wasm-tools' own words.
func TestIssue10Cases(t *testing.T) {
	const (
		shapes = "test:nested/shapes@0.1.0"
		cIface = "test:chain/c@0.1.0"
	)
	cases := []struct {
		name    string
		root    member
		plugs   []member
		wires   []graph.Wire
		keep    []string
		want    []string // lines wasm-tools prints in the output's world
		wantErr string
		notes   int
	}{
		// (a) A world-level type alias of a resource stays (eq x): main
		// wrote y as a second resource, ahead of x.
		{name: "a-resource-alias", root: issue10("app", "alias", "resource-alias"),
			want: []string{"resource x;", "type y = x;", "import f: func(x: x) -> y;"}},
		// (b) `use` of an interface's resource aliased again: main saw a
		// cycle between the imports.
		{name: "b-use-alias", root: issue10("app", "alias", "use-alias"),
			want: []string{"import test:alias/my-interface@0.1.0;", "use test:alias/my-interface@0.1.0.{my-resource};", "type my-resource2 = my-resource;"}},
		// (c) wac's nested-use-type: the consumer's world-level `area` is a
		// value type of the wired shapes, re-declared for the result's own
		// import of it; main asked to plug `area`, which nobody exports.
		{name: "c-nested-use-type", root: issue10("consumer", "nested", "consumer"), plugs: []member{issue10("provider", "nested", "provider")},
			wires: []graph.Wire{
				{Consumer: "consumer", Import: shapes, Provider: "provider", Export: shapes},
				{Consumer: "consumer", Import: "make", Provider: "provider", Export: "make"},
			},
			want: []string{"import test:nested/base@0.1.0;", "export run: func() -> s32;"}},
		// (d) Unplugging to a fixpoint: c, which nobody provides, uses b's
		// resource, which uses a's; the plug then plugs nothing and the
		// error says why, naming c and the chain.
		{name: "d-unplug-chain", root: issue10("root", "chain", "root-abc"), plugs: []member{issue10("plug", "chain", "plug-ab")},
			wantErr: "plug plugs nothing: " +
				"root.test:chain/b@0.1.0 stays an import (not plugged by plug.test:chain/b@0.1.0): root." + cIface + ", which stays an import of the result, uses its resource `rb`; " +
				"root.test:chain/a@0.1.0 stays an import (not plugged by plug.test:chain/a@0.1.0): root.test:chain/b@0.1.0, which stays an import of the result, uses its resource `ra`; " +
				"the result imports test:chain/a@0.1.0, test:chain/b@0.1.0, " + cIface + "; keep it to instantiate it anyway, or leave it out"},
		// (e) main composed this "successfully" into an output wasm-tools
		// rejects. Now other's use of errors unplugs root's errors, zi from
		// z would then name another err, so it is unplugged too, and both
		// plugs plug nothing: two errors, reported together.
		{name: "e-silent-invalid", root: issue10("root-e", "silent", "root-e"), plugs: []member{issue10("z", "silent", "z"), issue10("p", "silent", "p")},
			wantErr: "z plugs nothing: root-e.test:silent/zi@0.1.0 stays an import (not plugged by z.test:silent/zi@0.1.0)"},
		// (e) Kept, the same members give a valid output, with one note
		// per unplugged link.
		{name: "e-kept", root: issue10("root-e", "silent", "root-e"), plugs: []member{issue10("z", "silent", "z"), issue10("p", "silent", "p")},
			keep: []string{"z", "p"}, notes: 2,
			want: []string{"import test:silent/errors@0.1.0;", "import test:silent/zi@0.1.0;", "import test:silent/other@0.1.0;"}},
		// (g) A plug that plugs nothing is an error naming it and what
		// the result still imports (main dropped it with a note).
		{name: "g-plug-plugs-nothing", root: m("root", "root-x"), plugs: []member{m("px", "prov-x"), m("py", "prov-y")},
			wantErr: "py plugs nothing: no instance takes what it exports (test:graph/y@0.1.0); keep it to instantiate it anyway, or leave it out"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{Root: Input{Name: tc.root.name, Bytes: build(t, tc.root)}, Wires: tc.wires, Keep: tc.keep, Version: "test"}
			for _, p := range tc.plugs {
				opts.Plugs = append(opts.Plugs, Input{Name: p.name, Bytes: build(t, p)})
			}
			res, err := Compose(opts)
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) || res != nil {
					t.Fatalf("got %v, %v\nwant an error starting\n  %s", res, err, tc.wantErr)
				}
				t.Log(err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			validate.Component(t, res.Bytes())
			world := strings.Join(worldItems(t, res.Bytes()), "\n")
			for _, w := range tc.want {
				if !strings.Contains(world, w) {
					t.Errorf("the output's world lacks %q:\n%s", w, world)
				}
			}
			if len(res.Notes) != tc.notes {
				t.Errorf("notes %q, want %d", res.Notes, tc.notes)
			}
		})
	}
}

// TestIssue10SilentInvalidReportsBoth: in (e) both plugs end up unused;
// both are reported, as one error list.
func TestIssue10SilentInvalidReportsBoth(t *testing.T) {
	opts := Options{Root: Input{Name: "root-e", Bytes: build(t, issue10("root-e", "silent", "root-e"))}, Plugs: []Input{
		{Name: "z", Bytes: build(t, issue10("z", "silent", "z"))},
		{Name: "p", Bytes: build(t, issue10("p", "silent", "p"))},
	}}
	_, err := Compose(opts)
	var list graph.ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("got %v, want a list of two errors", err)
	}
	var unused *graph.UnusedError
	for i, want := range []string{"z", "p"} {
		if !errors.As(list[i], &unused) || unused.Instance != want {
			t.Errorf("error %d: %v, want an *UnusedError for %s", i, list[i], want)
		}
	}
}

// TestIssue10ComponentImportNames (f): a member importing a component
// shifts the component index space by one; the name section must name
// items by index, so wasm-tools prints the import as $dep and the member
// as $app (main named the import $app).
func TestIssue10ComponentImportNames(t *testing.T) {
	app := wasmtools.Parse(t, `(component
  (import "dep" (component (export "f" (func))))
  (core module $m (func (export "run")))
  (core instance $i (instantiate $m))
  (func (export "run") (canon lift (core func $i "run"))))`)
	res, err := Compose(Options{Root: Input{Name: "app", Bytes: app}})
	if err != nil {
		t.Fatal(err)
	}
	// Wasmtime cannot check this one: it does not support component
	// imports at the root ("root-level component imports are not
	// supported"), so wasm-tools alone validates it.
	if err := validate.WasmTools(res.Bytes()); err != nil {
		t.Fatal(err)
	}
	text := wasmtools.Print(t, res.Bytes())
	for _, want := range []string{`(import "dep" (component $dep (;0;)`, `(component $app (;1;)`} {
		if !strings.Contains(text, want) {
			t.Errorf("wasm-tools print lacks %q:\n%s", want, firstLines(text, 8))
		}
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
