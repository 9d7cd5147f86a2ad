package component

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriterLEB128(t *testing.T) {
	tests := []struct {
		write func(w *Writer)
		want  []byte
	}{
		{func(w *Writer) { w.U32(0) }, []byte{0x00}},
		{func(w *Writer) { w.U32(127) }, []byte{0x7f}},
		{func(w *Writer) { w.U32(128) }, []byte{0x80, 0x01}},
		{func(w *Writer) { w.U32(0xffffffff) }, []byte{0xff, 0xff, 0xff, 0xff, 0x0f}},
		{func(w *Writer) { w.S64(0) }, []byte{0x00}},
		{func(w *Writer) { w.S64(63) }, []byte{0x3f}},
		{func(w *Writer) { w.S64(64) }, []byte{0xc0, 0x00}},
		{func(w *Writer) { w.S64(-1) }, []byte{0x7f}},
		{func(w *Writer) { w.S64(-65) }, []byte{0xbf, 0x7f}},
		{func(w *Writer) { w.ValType(ValTypeRef{Index: 100}) }, []byte{0xe4, 0x00}},
		{func(w *Writer) { w.ValType(ValTypeRef{Prim: PrimString}) }, []byte{0x73}},
	}
	for i, tt := range tests {
		var w Writer
		tt.write(&w)
		if !bytes.Equal(w.Bytes(), tt.want) {
			t.Errorf("%d: wrote % x, want % x", i, w.Bytes(), tt.want)
		}
		// Everything written reads back.
		r := &reader{data: w.Bytes()}
		if i < 4 {
			if v, err := r.u32("x"); err != nil || !r.done() {
				t.Errorf("%d: read back %d, %v", i, v, err)
			}
		}
	}
}

// TestEncoderBuildsComponent builds a small component from scratch with the
// section builder, the way the type and composition encoders do, and checks
// that wasm-tools accepts it and that it decodes to what was written.
func TestEncoderBuildsComponent(t *testing.T) {
	u32 := ValTypeRef{Prim: PrimU32}
	var e Encoder
	e.Types([]TypeDef{
		{Value: &DefValType{Kind: DefRecord, Fields: []LabeledType{{Name: "x", Type: u32}}}},
		{Instance: &InstanceTypeDef{Decls: []Decl{
			{Kind: DeclType, Type: &TypeDef{Func: &FuncType{Params: []LabeledType{{Name: "n", Type: u32}}, Result: &u32}}},
			{Kind: DeclExport, Name: ExternName{Name: "double"}, Extern: ExternType{Kind: ExternFunc, Index: 0}},
		}}},
	})
	e.Imports([]Import{
		{Name: ExternName{Name: "point"}, Type: ExternType{Kind: ExternTypeKind, Index: 0}},
		{Name: ExternName{Name: "my:math/ops@1.0.0", Form: 2, ExternalID: "ops-v1"}, Type: ExternType{Kind: ExternInstance, Index: 1}},
	})
	e.Aliases([]Alias{{Sort: SortFunc, Kind: AliasInstanceExport, Instance: 0, Name: "double"}})
	e.Exports([]Export{{Name: ExternName{Name: "double"}, Item: SortIndex{Sort: SortFunc, Index: 0}}})
	e.Custom("producers-test", []byte{1, 2, 3})
	out, err := e.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	mustValidate(t, out)
	c, err := Decode(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sections) != 5 {
		t.Fatalf("%d sections, want 5", len(c.Sections))
	}
	im := c.Sections[1].Imports[1]
	if im.Name.Name != "my:math/ops@1.0.0" || im.Name.ExternalID != "ops-v1" || im.Type.Kind != ExternInstance {
		t.Errorf("import = %+v", im)
	}
	if cs := c.Sections[4].Custom; cs.Name != "producers-test" || !bytes.Equal(cs.Data, []byte{1, 2, 3}) {
		t.Errorf("custom = %+v", cs)
	}
	again, err := c.Encode()
	if err != nil || !bytes.Equal(again, out) {
		t.Errorf("re-encode differs: %v", err)
	}
}

func TestEncoderErrors(t *testing.T) {
	tests := []struct {
		name string
		sec  Section
	}{
		{"empty typedef", Section{ID: SectionType, Types: []TypeDef{{}}}},
		{"bad sort", Section{ID: SectionExport, Exports: []Export{{Name: ExternName{Name: "a"}, Item: SortIndex{Sort: 99}}}}},
		{"bad canon", Section{ID: SectionCanon, Canons: []Canon{{Op: 0x3a}}}},
		{"attributes without form 2", Section{ID: SectionImport, Imports: []Import{{Name: ExternName{Name: "a", Implements: "a:b/c"}, Type: ExternType{Kind: ExternFunc}}}}},
		{"value without type", Section{ID: SectionImport, Imports: []Import{{Name: ExternName{Name: "a"}, Type: ExternType{Kind: ExternValue}}}}},
		{"invalid utf8", Section{ID: SectionImport, Imports: []Import{{Name: ExternName{Name: "\xff"}, Type: ExternType{Kind: ExternFunc}}}}},
		{"missing custom", Section{ID: SectionCustom}},
	}
	for _, tt := range tests {
		c := &Component{Sections: []Section{tt.sec}}
		if _, err := c.Encode(); err == nil {
			t.Errorf("%s: Encode succeeded", tt.name)
		}
	}
}

// TestReaderULEB checks the unsigned LEB128 limits at both widths: the
// largest value, one bit more, and an overlong encoding.
func TestReaderULEB(t *testing.T) {
	ff := func(n int, last byte) []byte { return append(bytes.Repeat([]byte{0xff}, n), last) }
	tests := []struct {
		bits    int
		in      []byte
		want    uint64
		wantErr string
	}{
		{32, ff(4, 0x0f), 0xffffffff, ""},
		{32, ff(4, 0x1f), 0, "too large for u32"},
		{32, ff(4, 0x8f), 0, "too long"},
		{32, []byte{0x80, 0x00}, 0, ""}, // non-canonical zero is allowed
		{64, ff(9, 0x01), 0xffffffffffffffff, ""},
		{64, ff(9, 0x02), 0, "too large for u64"},
		{64, ff(9, 0x81), 0, "too long"},
		{64, []byte{0x80}, 0, "found end of input"},
	}
	for _, tt := range tests {
		r := &reader{data: tt.in}
		var got uint64
		var err error
		if tt.bits == 32 {
			var v uint32
			v, err = r.u32("x")
			got = uint64(v)
		} else {
			got, err = r.u64("x")
		}
		switch {
		case tt.wantErr == "" && (err != nil || got != tt.want):
			t.Errorf("u%d(% x) = %d, %v; want %d", tt.bits, tt.in, got, err, tt.want)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("u%d(% x) error = %v; want %q", tt.bits, tt.in, err, tt.wantErr)
		}
	}
}
