package component

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func roundTrip(t *testing.T, name string, data []byte) *Component {
	t.Helper()
	c, err := Decode(data)
	if err != nil {
		t.Fatalf("%s: decode: %v", name, err)
	}
	out, err := c.Encode()
	if err != nil {
		t.Fatalf("%s: encode: %v", name, err)
	}
	if !bytes.Equal(out, data) {
		t.Fatalf("%s: round trip differs: %d bytes in, %d out, first difference at 0x%x", name, len(data), len(out), firstDiff(data, out))
	}
	return c
}

func TestRoundTripWAT(t *testing.T) {
	eachFile(t, filepath.Join("testdata", "wat", "*.wat"), func(t *testing.T, f string) {
		t.Parallel()
		data := parseWATFile(t, f)
		c := roundTrip(t, f, data)
		// Re-encode through the section builder too: a fresh Encoder
		// given the decoded sections must also produce valid output.
		var e Encoder
		for i := range c.Sections {
			if err := e.AddSection(&c.Sections[i]); err != nil {
				t.Fatal(err)
			}
		}
		out, err := e.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		mustValidate(t, out)
	})
}

func TestRoundTripFixtures(t *testing.T) {
	eachFixture(t, func(t *testing.T, name string, data []byte) {
		t.Parallel()
		c := roundTrip(t, name, data)
		// Descend into nested components: they round-trip too.
		var walk func(c *Component, path string)
		walk = func(c *Component, path string) {
			for _, s := range c.Sections {
				if s.Component == nil {
					continue
				}
				sub := path + "/component@" + itoa(s.Component.Offset)
				nc := roundTrip(t, sub, s.Component.Bytes)
				walk(nc, sub)
			}
		}
		walk(c, name)
		if testing.Short() && len(data) > bigFixture {
			return
		}
		// The re-encoded bytes go through the validators a user runs:
		// wasm-tools and Wasmtime, with the gated features the
		// fixture uses (see checkDefaultValidators).
		out, err := c.Encode()
		if err != nil {
			t.Fatal(err)
		}
		ct, err := DecodeType(out)
		if err != nil {
			t.Fatalf("DecodeType of the re-encoded bytes: %v", err)
		}
		checkDefaultValidators(t, ct, out)
	})
}

func TestDecodeNestedIsSubslice(t *testing.T) {
	data := parseWATFile(t, filepath.Join("testdata", "wat", "sections.wat"))
	c, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	var modules, comps int
	for _, s := range c.Sections {
		for _, n := range []*Nested{s.CoreModule, s.Component} {
			if n == nil {
				continue
			}
			if &n.Bytes[0] != &data[n.Offset] {
				t.Errorf("nested bytes at 0x%x are a copy, not a sub-slice of the input", n.Offset)
			}
			if s.CoreModule != nil {
				modules++
				if IsComponent(n.Bytes) {
					t.Errorf("core module at 0x%x looks like a component", n.Offset)
				}
				var nc *NotComponentError
				if _, err := Decode(n.Bytes); !errors.As(err, &nc) || !strings.HasPrefix(err.Error(), "not a component: this is a core WebAssembly module") {
					t.Errorf("Decode(core module) = %v, want a 'not a component' error", err)
				}
			} else {
				comps++
				if !IsComponent(n.Bytes) {
					t.Errorf("nested component at 0x%x is not a component", n.Offset)
				}
			}
		}
	}
	if modules != 2 || comps != 2 {
		t.Errorf("found %d core modules and %d components, want 2 and 2", modules, comps)
	}
}

// TestDecodeModel checks that the model holds what the WAT says, for every
// value type constructor and several declarators.
func TestDecodeModel(t *testing.T) {
	c, err := Decode(parseWATFile(t, filepath.Join("testdata", "wat", "types.wat")))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[DefValKind]*DefValType{}
	var funcs []*FuncType
	var inst *InstanceTypeDef
	var comp *ComponentTypeDef
	var res *ResourceTypeDef
	for _, s := range c.Sections {
		for i := range s.Types {
			td := &s.Types[i]
			switch {
			case td.Value != nil:
				kinds[td.Value.Kind] = td.Value
			case td.Func != nil:
				funcs = append(funcs, td.Func)
			case td.Instance != nil && inst == nil:
				inst = td.Instance
			case td.Component != nil && comp == nil:
				comp = td.Component
			case td.Resource != nil:
				res = td.Resource
			}
		}
	}
	for _, k := range []DefValKind{DefPrim, DefRecord, DefVariant, DefList, DefFixedList, DefTuple, DefFlags, DefEnum, DefOption, DefResult, DefOwn, DefBorrow, DefStream, DefFuture, DefMap} {
		if kinds[k] == nil {
			t.Errorf("no defvaltype of kind 0x%02x decoded", byte(k))
		}
	}
	if d := kinds[DefFixedList]; d != nil && (d.Len != 4 || d.Elem.Prim != PrimU8) {
		t.Errorf("fixed list = %+v, want list<u8, 4>", d)
	}
	if d := kinds[DefMap]; d != nil && (d.Key.Prim != PrimString || d.Elem.Prim != PrimU32) {
		t.Errorf("map = key %+v elem %+v, want map<string, u32>", d.Key, d.Elem)
	}
	if d := kinds[DefTuple]; d != nil && len(d.Types) != 14 {
		t.Errorf("primitive tuple has %d types, want 14", len(d.Types))
	}
	if d := kinds[DefVariant]; d != nil {
		if len(d.Cases) != 3 || d.Cases[0].Type != nil || d.Cases[1].Type.Prim != PrimU64 || d.Cases[2].Name != "ERR" {
			t.Errorf("variant cases = %+v", d.Cases)
		}
	}
	var async int
	for _, f := range funcs {
		if f.Async {
			async++
		}
	}
	if len(funcs) != 4 || async != 1 {
		t.Errorf("got %d func types (%d async), want 4 (1 async)", len(funcs), async)
	}
	if res == nil || res.Rep != 0x7f || res.Dtor != nil {
		t.Errorf("resource = %+v, want (rep i32) without dtor", res)
	}
	if inst == nil || comp == nil {
		t.Fatal("instance or component type missing")
	}
	var declKinds []DeclKind
	for _, d := range inst.Decls {
		declKinds = append(declKinds, d.Kind)
	}
	// wasm-tools writes each inline func type as its own type declarator.
	want := []DeclKind{DeclType, DeclExport, DeclExport, DeclType, DeclType, DeclExport, DeclAlias, DeclExport, DeclType, DeclExport, DeclCoreType}
	if !equalSlices(declKinds, want) {
		t.Fatalf("instance decl kinds = %v, want %v", declKinds, want)
	}
	if a := inst.Decls[6].Alias; a.Kind != AliasOuter || a.Count != 1 || a.Sort != SortType {
		t.Errorf("outer alias = %+v", a)
	}
	if e := inst.Decls[2]; !e.Extern.SubResource || e.Name.Name != "res" {
		t.Errorf("resource export decl = %+v", e)
	}
	var mt *CoreModuleType
	for _, d := range comp.Decls {
		if d.Kind == DeclCoreType {
			mt = d.CoreType.Module
		}
	}
	if mt == nil || len(mt.Decls) != 6 {
		t.Fatalf("module type = %+v, want 6 declarators", mt)
	}
	if d := mt.Decls[3]; d.Kind != 0x01 || d.Type.Func == nil || len(d.Type.Func.Params) != 2 || len(d.Type.Func.Results) != 2 {
		t.Errorf("module type func decl = %+v", d)
	}
	if d := mt.Decls[0]; d.ImportModule != "env" || d.ImportName != "mem" || d.Extern[0] != 0x02 {
		t.Errorf("module type import = %+v", d)
	}
}

func equalSlices[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDecodeNamesAndAttributes(t *testing.T) {
	c, err := Decode(parseWATFile(t, filepath.Join("testdata", "wat", "names.wat")))
	if err != nil {
		t.Fatal(err)
	}
	var got []ExternName
	for _, s := range c.Sections {
		for _, im := range s.Imports {
			got = append(got, im.Name)
		}
	}
	if len(got) != 6 {
		t.Fatalf("got %d imports, want 6", len(got))
	}
	if got[2].Implements != "wasi:keyvalue/store" || got[2].Form != 2 {
		t.Errorf("implements attribute = %+v", got[2])
	}
	if got[3].ExternalID != "https://esm.unpkg.com/slugify@1.6.6" {
		t.Errorf("external-id attribute = %+v", got[3])
	}
	if got[4].Implements == "" || got[4].ExternalID != "db:region-a" {
		t.Errorf("two attributes = %+v", got[4])
	}
	for _, n := range got {
		if _, err := ParseName(n.Name); err != nil {
			t.Errorf("ParseName(%q): %v", n.Name, err)
		}
	}
}
