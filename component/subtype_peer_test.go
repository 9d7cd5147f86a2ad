package component

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

// TestSubtypeAgreesWithWasmTools checks every verdict of the subtype table
// (testdata/subtype) against wasm-tools: a wrapper component imports what
// `actual` imports (or, in component mode, a component of actual's type)
// and a component whose imports are `expected`'s, and instantiates the
// latter with the former. wasm-tools validates the wrapper exactly when
// CheckSubtype says actual is a subtype of expected; a case where the two
// disagree is a bug in one of them, and the test says which way.
func TestSubtypeAgreesWithWasmTools(t *testing.T) {
	checked := 0
	eachFile(t, filepath.Join("testdata", "subtype", "*.txt"), func(t *testing.T, path string) {
		cf := readCaseFile(t, path)
		actual := decodeWAT(t, cf.parts["actual"])
		expected := decodeWAT(t, cf.parts["expected"])
		component := strings.TrimSpace(cf.parts["mode"]) == "component"
		wrapper, ours, err := subtypeWrapper(actual, expected, component)
		if err != nil {
			t.Skipf("no wrapper for this case: %v", err)
		}
		// The wrapper itself must be well formed: expected against itself
		// validates, and a rejection must be about the argument's type.
		self, _, err := subtypeWrapper(expected, expected, component)
		if err != nil {
			t.Fatal(err)
		}
		if err := wasmtools.Validate(t, self, "all"); err != nil {
			t.Fatalf("the wrapper of expected against itself does not validate: %v", err)
		}
		peer := wasmtools.Validate(t, wrapper, "all")
		if peer != nil && !strings.Contains(peer.Error(), "type mismatch") {
			t.Fatalf("wasm-tools rejects the wrapper for another reason than the argument's type: %v", peer)
		}
		switch {
		case ours == nil && peer != nil:
			t.Fatalf("CheckSubtype accepts, wasm-tools rejects: %v", peer)
		case ours != nil && peer == nil:
			t.Fatalf("CheckSubtype rejects (%v), wasm-tools accepts", ours)
		}
		checked++
		t.Logf("both say %v (ours: %v; wasm-tools: %v)", ours == nil, ours, peer)
	})
	if checked < 25 {
		t.Errorf("only %d cases could be cross-checked", checked)
	}
}

// wrapperSink writes what the type encoder needs as sections of their own,
// in order, counting the index spaces.
type wrapperSink struct {
	enc                                   Encoder
	types, instances, funcs, comps, value uint32
}

func (w *wrapperSink) AddType(def TypeDef) uint32 {
	w.enc.Types([]TypeDef{def})
	w.types++
	return w.types - 1
}

func (w *wrapperSink) AddAlias(a Alias) uint32 {
	w.enc.Aliases([]Alias{a})
	return w.bump(a.Sort)
}

func (w *wrapperSink) bump(s Sort) uint32 {
	var n *uint32
	switch s {
	case SortType:
		n = &w.types
	case SortInstance:
		n = &w.instances
	case SortFunc:
		n = &w.funcs
	case SortComponent:
		n = &w.comps
	default:
		n = &w.value
	}
	*n++
	return *n - 1
}

// withNames returns items in which every record, variant, enum and flags
// type a function uses without a name gets one, declared just before the
// function (a type export of the instance, or a type import at the top
// level), as the component model requires of imported functions. Every
// such position is named, named already or not, and the names come from
// positions ("f-p0", "f-r"), so two types of one shape get the same names;
// naming changes no verdict: both sides compare structurally underneath
// names.
func withNames(items []Item, owner *InstanceType) []Item {
	var out []Item
	for _, it := range items {
		switch x := it.Type.(type) {
		case *Func:
			prefix := strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
					return r
				}
				return '-'
			}, it.Name)
			var name func(path string, t ValType) ValType
			name = func(path string, t ValType) ValType {
				if t == nil {
					return nil
				}
				n := 0
				inner := mapValType(t, func(v ValType) ValType {
					n++
					return name(fmt.Sprintf("%s-%d", path, n), v)
				}, func(r Type) Type { return r })
				switch Underlying(t).(type) {
				case *Record, *Variant, *Enum, *Flags:
					nt := &Named{Name: path, Type: inner, Owner: owner}
					out = append(out, Item{Name: path, Type: &TypeBound{Type: nt}})
					return nt
				}
				return inner.(ValType)
			}
			f := &Func{Async: x.Async}
			for i, p := range x.Params {
				f.Params = append(f.Params, Param{Name: p.Name, Type: name(fmt.Sprintf("%s-p%d", prefix, i), p.Type)})
			}
			f.Result = name(prefix+"-r", x.Result)
			out = append(out, Item{Name: it.Name, Attr: it.Attr, Type: f})
		case *InstanceType:
			n := &InstanceType{}
			n.Exports = withNames(x.Exports, n)
			out = append(out, Item{Name: it.Name, Attr: it.Attr, Type: n})
		default:
			out = append(out, it)
		}
	}
	return out
}

// subtypeWrapper builds the wrapper component and returns it with
// CheckSubtype's verdict for the same question.
func subtypeWrapper(actual, expected *ComponentType, wholeComponents bool) ([]byte, error, error) {
	w := &wrapperSink{}
	te := NewTypeEncoder(w)
	imp := func(name string, x Extern) (SortIndex, error) {
		et, err := te.EncodeExtern(x)
		if err != nil {
			return SortIndex{}, fmt.Errorf("import %s: %w", name, err)
		}
		w.enc.Imports([]Import{{Name: ExternName{Name: name}, Type: et}})
		s := externSort(x)
		idx := w.bump(s)
		te.BindExtern(x, idx)
		return SortIndex{Sort: s, Index: idx}, nil
	}
	var args []InstantiateArg
	var ours error
	var want *ComponentType
	if wholeComponents {
		si, err := imp("actual", actual)
		if err != nil {
			return nil, nil, err
		}
		args = append(args, InstantiateArg{Name: "x", Item: si})
		want = &ComponentType{Imports: []Item{{Name: "x", Type: expected}}}
		ours = CheckSubtype(actual, expected)
	} else {
		m := ResourceMap{}
		// The verdict is taken on the types as the case gives them; the
		// wrapper names their anonymous types, which changes no verdict.
		for _, ei := range expected.Imports {
			if ai := actual.Import(ei.Name); ai != nil && ours == nil {
				ours = CheckSubtype(ai.Type, ei.Type, WithResourceMap(m))
			}
		}
		actual = &ComponentType{Imports: withNames(actual.Imports, nil)}
		expected = &ComponentType{Imports: withNames(expected.Imports, nil)}
		given := map[string]SortIndex{}
		for _, it := range actual.Imports {
			si, err := imp(it.Name, it.Type)
			if err != nil {
				return nil, nil, err
			}
			given[it.Name] = si
		}
		for _, ei := range expected.Imports {
			si, ok := given[ei.Name]
			if !ok {
				return nil, nil, fmt.Errorf("actual has no import %q", ei.Name)
			}
			args = append(args, InstantiateArg{Name: ei.Name, Item: si})
		}
		want = &ComponentType{Imports: expected.Imports}
	}
	ci, err := imp("wanted", want)
	if err != nil {
		return nil, nil, err
	}
	w.enc.Instances([]Instance{{Component: ci.Index, Args: args}})
	out, err := w.enc.Bytes()
	return out, ours, err
}
