package component

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestSubtypeTable runs testdata/subtype/*.txt. Each file holds two
// components in WAT, `actual` (a provider) and `expected` (what an importer
// declares), and the golden `want`. By default every import of `expected`
// is checked against the import of the same name of `actual`, in order and
// with one ResourceMap, as an instantiation checks its arguments; with a
// part `mode` saying `component`, the two whole component types are
// compared. `want` is `ok` followed by the resource bindings made, or the
// error.
func TestSubtypeTable(t *testing.T) {
	eachFile(t, filepath.Join("testdata", "subtype", "*.txt"), func(t *testing.T, path string) {
		cf := readCaseFile(t, path)
		actual := decodeWAT(t, cf.parts["actual"])
		expected := decodeWAT(t, cf.parts["expected"])
		checkGolden(t, path, cf, runSubtypeCase(actual, expected, strings.TrimSpace(cf.parts["mode"])))
	})
}

func runSubtypeCase(actual, expected *ComponentType, mode string) string {
	m := ResourceMap{}
	var err error
	switch mode {
	case "component":
		err = CheckSubtype(actual, expected, WithResourceMap(m))
	default:
		for _, ei := range expected.Imports {
			ai := actual.Import(ei.Name)
			if ai == nil {
				err = fmt.Errorf("actual has no import %q", ei.Name)
				break
			}
			if err = CheckSubtype(ai.Type, ei.Type, WithResourceMap(m)); err != nil {
				err = fmt.Errorf("import `%s`: %w", ei.Name, err)
				break
			}
		}
	}
	if err != nil {
		return "error: " + err.Error()
	}
	out := []string{"ok"}
	names := map[*Resource]string{}
	resourcePaths("actual", actual, names)
	var order []*Resource
	expNames := map[*Resource]string{}
	for _, r := range resourcePaths("expected", expected, expNames) {
		order = append(order, r)
	}
	for _, r := range order {
		if to, ok := m[r]; ok {
			out = append(out, fmt.Sprintf("bound %s => %s", expNames[r], nameOr(names, to)))
		}
	}
	return strings.Join(out, "\n")
}

func nameOr(names map[*Resource]string, r *Resource) string {
	if n, ok := names[r]; ok {
		return n
	}
	return "resource " + r.Name
}

// resourcePaths names every resource a component type introduces by the
// path of its declaration, in order.
func resourcePaths(prefix string, ct *ComponentType, names map[*Resource]string) []*Resource {
	var order []*Resource
	var walk func(path string, x Extern)
	walk = func(path string, x Extern) {
		switch t := x.(type) {
		case *TypeBound:
			if r := ResourceOf(t.Type); r != nil {
				if _, seen := names[r]; !seen {
					names[r] = path
					order = append(order, r)
				}
			}
		case *InstanceType:
			for _, e := range t.Exports {
				walk(path+"."+e.Name, e.Type)
			}
		}
	}
	for _, it := range ct.Imports {
		walk(prefix+" "+it.Name, it.Type)
	}
	for _, it := range ct.Exports {
		walk(prefix+" export "+it.Name, it.Type)
	}
	return order
}

// TestSubtypeHandBuilt covers what WAT cannot express directly: bindings
// carried between calls through a caller's ResourceMap, and a resource that
// is not abstract (defined by a component) on the expected side.
func TestSubtypeHandBuilt(t *testing.T) {
	errA := &Resource{Name: "error", Abstract: true}
	errB := &Resource{Name: "error", Abstract: true}
	errorIface := func(r *Resource) *InstanceType {
		return &InstanceType{Exports: []Item{{Name: "error", Type: &TypeBound{Type: r}}}}
	}
	streams := func(r *Resource) *InstanceType {
		it := &InstanceType{}
		named := &Named{Name: "error", Type: r, Owner: it}
		it.Exports = []Item{
			{Name: "error", Type: &TypeBound{Type: named}},
			{Name: "last-error", Type: &Func{Result: &Option{Elem: &Own{Resource: named}}}},
		}
		return it
	}
	m := ResourceMap{}
	// The importer (expected) binds its error to the provider's.
	if err := CheckSubtype(errorIface(errA), errorIface(errB), WithResourceMap(m)); err != nil {
		t.Fatal(err)
	}
	if m[errB] != errA {
		t.Fatalf("binding not recorded: %v", m)
	}
	// streams of both sides agree through the map.
	if err := CheckSubtype(streams(errA), streams(errB), WithResourceMap(m)); err != nil {
		t.Fatalf("streams with bound error: %v", err)
	}
	// A third resource cannot take errB's place once it is bound.
	other := &Resource{Name: "error", Abstract: true}
	err := CheckSubtype(streams(other), streams(errB), WithResourceMap(m))
	want := "export `error`: expected error, found error (a different resource with the same name)"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	// EqualValTypes sees through the map but never binds.
	if !EqualValTypes(&Own{Resource: errB}, &Own{Resource: errA}, WithResourceMap(m)) {
		t.Fatal("own<errB> should equal own<errA> through the map")
	}
	fresh := &Resource{Name: "x", Abstract: true}
	if EqualValTypes(&Own{Resource: fresh}, &Own{Resource: errA}) {
		t.Fatal("EqualValTypes bound a resource")
	}
	// A concrete (defined) resource on the expected side binds nothing.
	defined := &Resource{Name: "error"}
	if err := CheckSubtype(errorIface(errA), errorIface(defined)); err == nil {
		t.Fatal("a defined resource accepted another resource")
	}
	// Without the map, streams alone binds on first encounter.
	if err := CheckSubtype(streams(errA), streams(&Resource{Name: "error", Abstract: true})); err != nil {
		t.Fatalf("first-encounter binding: %v", err)
	}
}

// TestEqualValTypes checks structural equality through names.
func TestEqualValTypes(t *testing.T) {
	rec := func(elem ValType) *Record {
		return &Record{Fields: []Field{{Name: "id", Type: Prim(PrimU32)}, {Name: "payload", Type: &List{Elem: elem}}}}
	}
	named := &Named{Name: "req", Type: rec(Prim(PrimU8))}
	alias := &Named{Name: "request", Type: named}
	r1, r2 := &Resource{Name: "r"}, &Resource{Name: "r"}
	cases := []struct {
		a, b ValType
		want bool
	}{
		{rec(Prim(PrimU8)), rec(Prim(PrimU8)), true},
		{alias, rec(Prim(PrimU8)), true},
		{rec(Prim(PrimU8)), rec(Prim(PrimString)), false},
		{&List{Elem: Prim(PrimU8), Len: 4}, &List{Elem: Prim(PrimU8)}, false},
		{&Own{Resource: r1}, &Own{Resource: &Named{Name: "x", Type: r1}}, true},
		{&Own{Resource: r1}, &Own{Resource: r2}, false},
		{&Own{Resource: r1}, &Borrow{Resource: r1}, false},
		{&Result{Ok: Prim(PrimU8)}, &Result{Err: Prim(PrimU8)}, false},
		{&Stream{}, &Stream{}, true},
		{&Future{Elem: Prim(PrimU8)}, &Future{}, false},
		{&Map{Key: Prim(PrimString), Value: Prim(PrimU8)}, &Map{Key: Prim(PrimString), Value: Prim(PrimU8)}, true},
		{&Enum{Names: []string{"a", "b"}}, &Enum{Names: []string{"b", "a"}}, false},
	}
	for i, c := range cases {
		if got := EqualValTypes(c.a, c.b); got != c.want {
			t.Errorf("case %d: EqualValTypes(%s, %s) = %v", i, FormatType(c.a), FormatType(c.b), got)
		}
		if got := EqualValTypes(c.b, c.a); got != c.want {
			t.Errorf("case %d reversed: %v", i, got)
		}
	}
}
