package component

import (
	"fmt"
	"path/filepath"
	"testing"
)

// TestUnionTable runs testdata/subtype/union/*.txt. Each file holds two
// components, `a` and `b`; every import of b is merged with a's import of
// the same name (in a's order, with one ResourceMap, as compose merges the
// imports of two members). `want` is the merged imports as a canonical dump
// (resources numbered by identity), or the error. A merged result must be a
// subtype of both inputs, and must encode to a component that wasm-tools
// accepts.
func TestUnionTable(t *testing.T) {
	eachFile(t, filepath.Join("testdata", "subtype", "union", "*.txt"), func(t *testing.T, path string) {
		cf := readCaseFile(t, path)
		a := decodeWAT(t, cf.parts["a"])
		b := decodeWAT(t, cf.parts["b"])
		merged, err := mergeImports(a, b)
		if err != nil {
			checkGolden(t, path, cf, "error: "+err.Error())
			return
		}
		checkGolden(t, path, cf, FormatComponentType(merged))
		// The merged import satisfies both members' imports.
		for _, side := range []*ComponentType{a, b} {
			m := ResourceMap{}
			for _, want := range side.Imports {
				got := merged.Import(want.Name)
				if err := CheckSubtype(got.Type, want.Type, WithResourceMap(m)); err != nil {
					t.Errorf("merged `%s` does not satisfy a member: %v", want.Name, err)
				}
			}
		}
		sink := &sectionSink{}
		enc := NewTypeEncoder(sink)
		importItems(t, enc, sink, "", merged.Imports)
		if err := validateAll(t, sink.bytes(t)); err != nil {
			t.Errorf("merged imports do not validate: %v", err)
		}
	})
}

func mergeImports(a, b *ComponentType) (*ComponentType, error) {
	m := ResourceMap{}
	out := &ComponentType{}
	for _, ai := range a.Imports {
		bi := b.Import(ai.Name)
		if bi == nil {
			out.Imports = append(out.Imports, ai)
			continue
		}
		at, aok := ai.Type.(*InstanceType)
		bt, bok := bi.Type.(*InstanceType)
		if !aok || !bok {
			return nil, fmt.Errorf("import `%s` is not an instance in both", ai.Name)
		}
		u, err := UnionInstanceTypes(at, bt, WithResourceMap(m))
		if err != nil {
			return nil, fmt.Errorf("import `%s`: %w", ai.Name, err)
		}
		ai.Type = u
		out.Imports = append(out.Imports, ai)
	}
	return out, nil
}

// TestUnionKeepsInputs: merging never modifies its inputs.
func TestUnionKeepsInputs(t *testing.T) {
	r1, r2 := &Resource{Name: "r", Abstract: true}, &Resource{Name: "r", Abstract: true}
	a := &InstanceType{Exports: []Item{{Name: "r", Type: &TypeBound{Type: r1}}}}
	b := &InstanceType{Exports: []Item{
		{Name: "r", Type: &TypeBound{Type: r2}},
		{Name: "make", Type: &Func{Result: &Own{Resource: r2}}},
	}}
	before := FormatType(b)
	u, err := UnionInstanceTypes(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if FormatType(b) != before || len(a.Exports) != 1 {
		t.Fatal("inputs changed")
	}
	own := u.Export("make").Type.(*Func).Result.(*Own)
	if ResourceOf(own.Resource) != r1 {
		t.Fatalf("b's function still refers to b's resource")
	}
	if b.Export("make").Type.(*Func).Result.(*Own).Resource != r2 {
		t.Fatal("b was rewritten")
	}
}
