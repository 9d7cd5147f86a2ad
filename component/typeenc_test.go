package component

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// -typeenc.keep=DIR keeps the encoded components of the WAT round trip,
// for reading with `wasm-tools print`.
var keepTypeEnc = flag.String("typeenc.keep", "", "directory to keep the type encoder's round-trip outputs in")

// sectionSink is the TypeSink of these tests: a component under
// construction, kept as syntax sections (consecutive items of one kind
// share a section) and written with Component.Encode.
type sectionSink struct {
	sections  []Section
	types     uint32
	instances uint32
	funcs     uint32
	comps     uint32
}

func (s *sectionSink) last(id SectionID) *Section {
	if n := len(s.sections); n > 0 && s.sections[n-1].ID == id {
		return &s.sections[n-1]
	}
	s.sections = append(s.sections, Section{ID: id})
	return &s.sections[len(s.sections)-1]
}

func (s *sectionSink) AddType(def TypeDef) uint32 {
	sec := s.last(SectionType)
	sec.Types = append(sec.Types, def)
	s.types++
	return s.types - 1
}

func (s *sectionSink) AddAlias(a Alias) uint32 {
	sec := s.last(SectionAlias)
	sec.Aliases = append(sec.Aliases, a)
	s.types++
	return s.types - 1
}

// addImport writes an import and returns its index in its sort's space.
func (s *sectionSink) addImport(name string, et ExternType) uint32 {
	sec := s.last(SectionImport)
	sec.Imports = append(sec.Imports, Import{Name: ExternName{Name: name}, Type: et})
	next := func(n *uint32) uint32 { *n++; return *n - 1 }
	switch et.Kind {
	case ExternTypeKind:
		return next(&s.types)
	case ExternInstance:
		return next(&s.instances)
	case ExternFunc:
		return next(&s.funcs)
	case ExternComponent:
		return next(&s.comps)
	}
	return 0
}

func (s *sectionSink) bytes(t *testing.T) []byte {
	t.Helper()
	c := &Component{Sections: s.sections}
	b, err := c.Encode()
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return b
}

// importItems imports every item through the encoder, binding what each
// import makes available, as compose does for merged imports.
func importItems(t *testing.T, enc *TypeEncoder, sink *sectionSink, prefix string, items []Item) {
	t.Helper()
	for _, it := range items {
		et, err := enc.EncodeExtern(it.Type)
		if err != nil {
			t.Fatalf("EncodeExtern(%s): %v", it.Name, err)
		}
		idx := sink.addImport(prefix+it.Name, et)
		enc.BindExtern(it.Type, idx)
	}
}

// encodeForRoundTrip encodes ct two ways into one new component:
//   - every import of ct imported at the top level (fresh indices, names
//     and resources kept, `use` across interfaces through aliases);
//   - one more import "whole" of a component of ct's whole type (its own
//     scope: imports, aliases of their exports, exports).
//
// Wasmtime rejects a root-level component import, so for it the whole type
// is only defined (still validated), not imported: importWhole false.
func encodeForRoundTrip(t *testing.T, ct *ComponentType, importWhole bool) []byte {
	t.Helper()
	sink := &sectionSink{}
	enc := NewTypeEncoder(sink)
	importItems(t, enc, sink, "", ct.Imports)
	ci, err := enc.EncodeComponentType(ct)
	if err != nil {
		t.Fatalf("EncodeComponentType: %v", err)
	}
	if importWhole {
		sink.addImport("whole", ExternType{Kind: ExternComponent, Index: ci})
	}
	return sink.bytes(t)
}

// decodeRoundTrip validates an encodeForRoundTrip output with wasm-tools
// and decodes it, returning the top-level imports and the whole type.
func decodeRoundTrip(t *testing.T, out []byte, n int) ([]Item, *ComponentType) {
	t.Helper()
	if err := validateAll(t, out); err != nil {
		dumpFailure(t, out)
		t.Fatal(err)
	}
	back, err := DecodeType(out)
	if err != nil {
		dumpFailure(t, out)
		t.Fatalf("DecodeType of the encoded component: %v", err)
	}
	if len(back.Imports) != n+1 {
		t.Fatalf("got %d imports, want %d", len(back.Imports), n+1)
	}
	whole, ok := back.Imports[n].Type.(*ComponentType)
	if !ok {
		t.Fatalf("import whole is %T", back.Imports[n].Type)
	}
	return back.Imports[:n], whole
}

// typeEncRoundTrip checks that decode → encode → decode keeps the meaning
// of ct: the output validates; imports and whole type are subtypes of the
// originals both ways, with the same names; the imports' canonical dump
// (names, name chains, resource identity) is unchanged; and encoding the
// decoded type again is a fixpoint (same bytes). The whole type's exports
// are not compared as text: a resource the component defines can only be
// written as (sub resource) in a type, which CheckSubtype accepts and the
// dump shows differently. It returns the encoded component.
func typeEncRoundTrip(t *testing.T, ct *ComponentType) []byte {
	t.Helper()
	out := encodeForRoundTrip(t, ct, true)
	imports, whole := decodeRoundTrip(t, out, len(ct.Imports))
	checkItemsBothWays(t, "top-level imports", ct.Imports, imports)
	if err := CheckSubtype(whole, ct); err != nil {
		t.Errorf("decoded component type is not a subtype of the original: %v", err)
	}
	if err := CheckSubtype(ct, whole); err != nil {
		t.Errorf("original component type is not a subtype of the decoded one: %v", err)
	}
	if got, want := itemNames(whole.Imports), itemNames(ct.Imports); got != want {
		t.Errorf("import names differ:\n got %s\nwant %s", got, want)
	}
	if got, want := itemNames(whole.Exports), itemNames(ct.Exports); got != want {
		t.Errorf("export names differ:\n got %s\nwant %s", got, want)
	}
	if got, want := FormatComponentType(&ComponentType{Imports: imports}), FormatComponentType(&ComponentType{Imports: ct.Imports}); got != want {
		t.Errorf("imports dump differs after the round trip:\n--- got\n%s\n--- want\n%s", got, want)
	}
	if got, want := FormatComponentType(&ComponentType{Imports: whole.Imports}), FormatComponentType(&ComponentType{Imports: ct.Imports}); got != want {
		t.Errorf("whole type's imports dump differs after the round trip:\n--- got\n%s\n--- want\n%s", got, want)
	}
	again := encodeForRoundTrip(t, whole, true)
	if string(again) != string(out) {
		_, whole2 := decodeRoundTrip(t, again, len(whole.Imports))
		t.Errorf("encoding is not a fixpoint: %d bytes, then %d bytes\n--- first\n%s\n--- second\n%s",
			len(out), len(again), FormatComponentType(whole), FormatComponentType(whole2))
	}
	return out
}

func checkItemsBothWays(t *testing.T, what string, want, got []Item) {
	t.Helper()
	fwd, rev := ResourceMap{}, ResourceMap{}
	for i := range want {
		if got[i].Name != want[i].Name {
			t.Errorf("%s: item %d is %q, want %q", what, i, got[i].Name, want[i].Name)
			continue
		}
		if err := CheckSubtype(got[i].Type, want[i].Type, WithResourceMap(fwd)); err != nil {
			t.Errorf("%s: `%s`: decoded is not a subtype of the original: %v", what, want[i].Name, err)
		}
		if err := CheckSubtype(want[i].Type, got[i].Type, WithResourceMap(rev)); err != nil {
			t.Errorf("%s: `%s`: original is not a subtype of the decoded: %v", what, want[i].Name, err)
		}
	}
}

func itemNames(items []Item) string {
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = it.Name
	}
	return strings.Join(names, ", ")
}

// dumpFailure prints the encoded component as WAT when wasm-tools can.
func dumpFailure(t *testing.T, wasm []byte) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "out.wasm")
	if err := os.WriteFile(p, wasm, 0o644); err != nil {
		return
	}
	t.Logf("encoded component kept in %s", p)
}

// TestTypeEncoderRoundTripWAT runs the round trip over testdata/typeenc/*.wat:
// small components that cover every value type, named types, resources,
// `use` across interfaces, nested instances, and component types.
func TestTypeEncoderRoundTripWAT(t *testing.T) {
	eachFile(t, filepath.Join("testdata", "typeenc", "*.wat"), func(t *testing.T, path string) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		in := wasmtools.Parse(t, string(src))
		if err := validateAll(t, in); err != nil {
			t.Fatalf("the test case itself is invalid: %v", err)
		}
		ct, err := DecodeType(in)
		if err != nil {
			t.Fatalf("DecodeType: %v", err)
		}
		out := typeEncRoundTrip(t, ct)
		// Cases that Wasmtime cannot load (gated proposals, see
		// checkDefaultValidators; a root-level component import) say so
		// in a `;; wasmtime: no` line; the round trip above checked them
		// with wasm-tools.
		if !strings.Contains(string(src), ";; wasmtime: no") {
			if err := validate.Wasmtime(encodeForRoundTrip(t, ct, false)); err != nil {
				t.Errorf("Wasmtime rejects the encoded component: %v", err)
			}
		}
		if *keepTypeEnc != "" {
			if err := os.WriteFile(filepath.Join(*keepTypeEnc, filepath.Base(path)+".wasm"), out, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestTypeEncoderRoundTripFixtures runs the round trip over the real
// components built by fixtures/build.sh.
func TestTypeEncoderRoundTripFixtures(t *testing.T) {
	eachFixture(t, func(t *testing.T, _ string, data []byte) {
		ct, err := DecodeType(data)
		if err != nil {
			t.Fatalf("DecodeType: %v", err)
		}
		typeEncRoundTrip(t, ct)
		checkDefaultValidators(t, ct, encodeForRoundTrip(t, ct, false))
	})
}

// checkDefaultValidators checks an encoding of ct with the validators a
// user runs: wasm-tools and Wasmtime with their default features.
//
// Types from gated proposals (async, stream, future, error-context,
// fixed-size lists, map) are rejected by both by default. wasm-tools then
// runs with exactly the features ct needs, so the check still happens and
// still fails on anything else. Wasmtime cannot run: the libwasmtime.a that
// wasmtime-go v44 bundles is built without component-model-async and its C
// API has no switch for it, error-context or fixed-size lists (config.h sets
// only wasm_component_model, concurrency_support and
// wasm_component_model_map; host/engine.go notes that enabling concurrency
// support aborts), so its engine always refuses such a component ("`stream`
// requires the component model async feature").
func checkDefaultValidators(t *testing.T, ct *ComponentType, wasm []byte) {
	t.Helper()
	features := gatedFeatures(ct)
	if len(features) == 0 {
		validate.Component(t, wasm)
		return
	}
	if err := wasmtools.Validate(t, wasm, features...); err != nil {
		t.Fatalf("with the gated features it uses (%s) enabled: %v", strings.Join(features, ","), err)
	}
	// Each feature named must be needed, so that Wasmtime is left out for
	// a reason and not by a too-eager gatedFeatures.
	for _, f := range features {
		if err := wasmtools.Validate(t, wasm, "-"+f); err == nil {
			t.Errorf("valid with %s disabled: gatedFeatures is wrong, and Wasmtime should have checked it", f)
		}
	}
	t.Logf("uses %s: checked with wasm-tools only (Wasmtime 44's C API cannot enable them)", strings.Join(features, ", "))
}

// TestTypeEncoderDedupAndDeterminism: the same types encoded twice give the
// same bytes, and a second encoding of an identical definition reuses it.
func TestTypeEncoderDedupAndDeterminism(t *testing.T) {
	build := func() []byte {
		sink := &sectionSink{}
		enc := NewTypeEncoder(sink)
		rec := &Record{Fields: []Field{{Name: "a", Type: &List{Elem: Prim(PrimU8)}}}}
		for i := 0; i < 3; i++ {
			if _, err := enc.EncodeFunc(&Func{Params: []Param{{Name: "r", Type: rec}}, Result: &List{Elem: Prim(PrimU8)}}); err != nil {
				t.Fatal(err)
			}
		}
		if sink.types != 3 { // list<u8>, the record, the func
			t.Errorf("got %d type definitions, want 3 (dedup)", sink.types)
		}
		return sink.bytes(t)
	}
	a, b := build(), build()
	if string(a) != string(b) {
		t.Fatal("two encodings of the same types differ")
	}
}

// TestTypeEncoderUseAcrossBind: a resource bound at the top level with Bind
// is reached from an instance type through (alias outer 1 k) and
// re-exported under the using interface's name.
func TestTypeEncoderUseAcrossBind(t *testing.T) {
	errRes := &Resource{Name: "error", Abstract: true}
	errIface := &InstanceType{}
	errNamed := &Named{Name: "error", Type: errRes, Owner: errIface}
	errIface.Exports = []Item{{Name: "error", Type: &TypeBound{Type: errRes}}}
	streams := &InstanceType{}
	sErr := &Named{Name: "error", Type: errNamed, Owner: streams}
	streams.Exports = []Item{
		{Name: "error", Type: &TypeBound{Type: sErr}},
		{Name: "check", Type: &Func{Result: &Result{Err: &Own{Resource: sErr}}}},
	}
	sink := &sectionSink{}
	enc := NewTypeEncoder(sink)
	et, err := enc.EncodeExtern(errIface)
	if err != nil {
		t.Fatal(err)
	}
	inst := sink.addImport("wasi:io/error@0.2.0", et)
	// The caller aliases the resource itself and binds it.
	k := sink.AddAlias(Alias{Sort: SortType, Kind: AliasInstanceExport, Instance: inst, Name: "error"})
	enc.Bind(errRes, k)
	si, err := enc.EncodeInstanceType(streams)
	if err != nil {
		t.Fatal(err)
	}
	decls := sink.sections[len(sink.sections)-1].Types[len(sink.sections[len(sink.sections)-1].Types)-1].Instance.Decls
	got := []string{}
	for _, d := range decls {
		switch d.Kind {
		case DeclAlias:
			got = append(got, fmt.Sprintf("alias outer %d %d", d.Alias.Count, d.Alias.Index))
		case DeclExport:
			got = append(got, fmt.Sprintf("export %s eq=%d sub=%v", d.Name.Name, d.Extern.Index, d.Extern.SubResource))
		case DeclType:
			got = append(got, "type")
		}
	}
	want := fmt.Sprintf("[alias outer 1 %d export error eq=0 sub=false type type type export check eq=4 sub=false]", k)
	if fmt.Sprint(got) != want {
		t.Fatalf("decls:\n got %v\nwant %s", got, want)
	}
	sink.addImport("wasi:io/streams@0.2.0", ExternType{Kind: ExternInstance, Index: si})
	out := sink.bytes(t)
	mustValidate(t, out)
	back, err := DecodeType(out)
	if err != nil {
		t.Fatal(err)
	}
	// Both imports refer to one resource.
	e := back.Imports[0].Type.(*InstanceType).Export("error").Type.(*TypeBound)
	s := back.Imports[1].Type.(*InstanceType).Export("error").Type.(*TypeBound)
	if ResourceOf(e.Type) == nil || ResourceOf(e.Type) != ResourceOf(s.Type) {
		t.Fatalf("streams' error is not io/error's error after the round trip")
	}
}

// TestTypeEncoderErrors: a handle to a resource that is in no scope is an
// error, not a broken binary.
func TestTypeEncoderErrors(t *testing.T) {
	enc := NewTypeEncoder(&sectionSink{})
	_, err := enc.EncodeFunc(&Func{Params: []Param{{Name: "x", Type: &Own{Resource: &Resource{Name: "file"}}}}})
	if err == nil || !strings.Contains(err.Error(), "param `x`: resource `file` is not in scope") {
		t.Fatalf("got %v", err)
	}
	_, err = enc.EncodeExtern(&ModuleType{})
	if err == nil {
		t.Fatal("module type encoded")
	}
}

// gatedFeatures lists the wasm-tools features (cm-async, cm-error-context,
// cm-fixed-length-lists, cm-map) of the gated proposals that ct's types
// use, sorted, or nil when it uses none.
func gatedFeatures(ct *ComponentType) []string {
	found := map[string]bool{}
	newTypeWalk(func(node any) {
		switch x := node.(type) {
		case Prim:
			if PrimType(x) == PrimErrorContext {
				found["cm-error-context"] = true
			}
		case *List:
			if x.Len > 0 {
				found["cm-fixed-length-lists"] = true
			}
		case *Stream, *Future:
			found["cm-async"] = true
		case *Func:
			if x.Async {
				found["cm-async"] = true
			}
		case *Map:
			found["cm-map"] = true
		}
	}).Extern(ct)
	if len(found) == 0 {
		return nil
	}
	return slices.Sorted(maps.Keys(found))
}
