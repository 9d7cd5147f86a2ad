package cabi

import (
	"bytes"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/coremod"
)

// Types for the tables below.
var (
	u8      = component.Prim(component.PrimU8)
	u16     = component.Prim(component.PrimU16)
	u32     = component.Prim(component.PrimU32)
	u64     = component.Prim(component.PrimU64)
	f32     = component.Prim(component.PrimF32)
	f64     = component.Prim(component.PrimF64)
	str     = component.Prim(component.PrimString)
	boolean = component.Prim(component.PrimBool)
	errCode = &component.Named{Name: "error-code", Type: &component.Enum{Names: []string{"access", "would-block", "not-permitted"}}}
	res     = &component.Resource{Name: "descriptor"}
)

func enumOf(n int) *component.Enum {
	e := &component.Enum{}
	for i := 0; i < n; i++ {
		e.Names = append(e.Names, string(rune('a'+i%26))+string(rune('a'+i/26%26))+string(rune('a'+i/676)))
	}
	return e
}

func flagsOf(n int) *component.Flags {
	return &component.Flags{Names: enumOf(n).Names}
}

// Sizes and alignments, each worked out from CanonicalABI.md's
// elem_size and alignment.
func TestSizeAlign(t *testing.T) {
	tests := []struct {
		name        string
		t           component.ValType
		size, align uint32
	}{
		{"bool", boolean, 1, 1},
		{"u16", u16, 2, 2},
		{"u64", u64, 8, 8},
		{"string", str, 8, 4},
		{"list<u8>", &component.List{Elem: u8}, 8, 4},
		{"list<u16, 3>", &component.List{Elem: u16, Len: 3}, 6, 2},
		{"record{u8, u32}", &component.Record{Fields: []component.Field{{Name: "a", Type: u8}, {Name: "b", Type: u32}}}, 8, 4},
		{"tuple<u8, u16, u8>", &component.Tuple{Types: []component.ValType{u8, u16, u8}}, 6, 2},
		{"result<_, enum>", &component.Result{Err: errCode}, 2, 1},
		{"result<u64, string>", &component.Result{Ok: u64, Err: str}, 16, 8},
		{"option<u64>", &component.Option{Elem: u64}, 16, 8},
		{"option<string>", &component.Option{Elem: str}, 12, 4},
		{"enum of 256 cases", enumOf(256), 1, 1},
		{"enum of 257 cases", enumOf(257), 2, 2},
		{"flags of 8", flagsOf(8), 1, 1},
		{"flags of 9", flagsOf(9), 2, 2},
		{"flags of 17", flagsOf(17), 4, 4},
		{"own<r>", &component.Own{Resource: res}, 4, 4},
		{"named", &component.Named{Name: "n", Type: u16}, 2, 2},
	}
	for _, tt := range tests {
		size, align, err := SizeAlign(tt.t)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if size != tt.size || align != tt.align {
			t.Errorf("SizeAlign(%s) = %d, %d; want %d, %d", tt.name, size, align, tt.size, tt.align)
		}
	}
}

// Flattening, from flatten_type and join.
func TestFlatten(t *testing.T) {
	I32, I64, F32, F64 := coremod.I32, coremod.I64, coremod.F32, coremod.F64
	tests := []struct {
		name string
		t    component.ValType
		want []coremod.ValType
	}{
		{"string", str, []coremod.ValType{I32, I32}},
		{"record{string, u8}", &component.Record{Fields: []component.Field{{Name: "a", Type: str}, {Name: "b", Type: u8}}}, []coremod.ValType{I32, I32, I32}},
		{"result<u64, string> joins i64 and i32", &component.Result{Ok: u64, Err: str}, []coremod.ValType{I32, I64, I32}},
		{"variant{f32, u32} joins to i32", &component.Variant{Cases: []component.Case{{Name: "a", Type: f32}, {Name: "b", Type: u32}}}, []coremod.ValType{I32, I32}},
		{"variant{f32, f64} joins to i64", &component.Variant{Cases: []component.Case{{Name: "a", Type: f32}, {Name: "b", Type: f64}}}, []coremod.ValType{I32, I64}},
		{"option<f64>", &component.Option{Elem: f64}, []coremod.ValType{I32, F64}},
		{"result<_, enum>", &component.Result{Err: errCode}, []coremod.ValType{I32, I32}},
		{"result", &component.Result{}, []coremod.ValType{I32}},
		{"list<u8, 3>", &component.List{Elem: u8, Len: 3}, []coremod.ValType{I32, I32, I32}},
		{"f32", f32, []coremod.ValType{F32}},
		{"borrow<r>", &component.Borrow{Resource: res}, []coremod.ValType{I32}},
	}
	for _, tt := range tests {
		got, err := Flatten(tt.t)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !equalVals(got, tt.want) {
			t.Errorf("Flatten(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func equalVals(a, b []coremod.ValType) bool {
	return bytes.Equal(valBytes(a), valBytes(b))
}

func valBytes(ts []coremod.ValType) []byte {
	out := make([]byte, len(ts))
	for i, t := range ts {
		out[i] = byte(t)
	}
	return out
}

// flatten_functype(opts, ft, 'lift') and the canonopt requirements of
// `canon lift`.
func TestLiftSignature(t *testing.T) {
	I32, I64 := coremod.I32, coremod.I64
	many := make([]component.Param, 17)
	for i := range many {
		many[i] = component.Param{Name: "p", Type: u32}
	}
	tests := []struct {
		name            string
		f               *component.Func
		params, result  []coremod.ValType
		inMemory        [2]bool // params, result
		memory, realloc bool
	}{
		{"func() -> u32", &component.Func{Result: u32}, nil, []coremod.ValType{I32}, [2]bool{}, false, false},
		{"func(self: borrow<r>, offset: u64) -> result<_, error-code>",
			&component.Func{Params: []component.Param{{Name: "self", Type: &component.Borrow{Resource: res}}, {Name: "offset", Type: u64}}, Result: &component.Result{Err: errCode}},
			[]coremod.ValType{I32, I64}, []coremod.ValType{I32}, [2]bool{false, true}, true, false},
		{"func(path: string) -> result", &component.Func{Params: []component.Param{{Name: "path", Type: str}}, Result: &component.Result{}},
			[]coremod.ValType{I32, I32}, []coremod.ValType{I32}, [2]bool{}, true, true},
		{"func() -> list<u8>", &component.Func{Result: &component.List{Elem: u8}}, nil, []coremod.ValType{I32}, [2]bool{false, true}, true, false},
		{"17 params go through memory", &component.Func{Params: many}, []coremod.ValType{I32}, nil, [2]bool{true, false}, true, true},
		{"func()", &component.Func{}, nil, nil, [2]bool{}, false, false},
	}
	for _, tt := range tests {
		sig, err := LiftSignature(tt.f)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !equalVals(sig.Core.Params, tt.params) || !equalVals(sig.Core.Results, tt.result) {
			t.Errorf("%s: core type %v -> %v, want %v -> %v", tt.name, sig.Core.Params, sig.Core.Results, tt.params, tt.result)
		}
		if sig.ParamsInMemory != tt.inMemory[0] || sig.ResultInMemory != tt.inMemory[1] {
			t.Errorf("%s: in memory (params, result) = %v, %v; want %v", tt.name, sig.ParamsInMemory, sig.ResultInMemory, tt.inMemory)
		}
		if sig.NeedsMemory != tt.memory || sig.NeedsRealloc != tt.realloc {
			t.Errorf("%s: needs memory %v, realloc %v; want %v, %v", tt.name, sig.NeedsMemory, sig.NeedsRealloc, tt.memory, tt.realloc)
		}
	}
}

// Stored images, byte for byte, from store and its helpers.
func TestStore(t *testing.T) {
	tests := []struct {
		name string
		t    component.ValType
		v    Value
		base uint32
		want []byte
	}{
		{"err(not-permitted) of result<_, error-code>", &component.Result{Err: errCode}, Case{Index: 1, Payload: Case{Index: 2}}, 16, []byte{1, 2}},
		{"ok of result<_, error-code>", &component.Result{Err: errCode}, Case{Index: 0}, 16, []byte{0, 0}},
		{"none of option<string>", &component.Option{Elem: str}, Case{Index: 0}, 16, make([]byte, 12)},
		{"some(\"ab\") of option<string>", &component.Option{Elem: str}, Case{Index: 1, Payload: String("ab")}, 16,
			[]byte{1, 0, 0, 0, 28, 0, 0, 0, 2, 0, 0, 0, 'a', 'b'}},
		{"record{u8, u32}", &component.Record{Fields: []component.Field{{Name: "a", Type: u8}, {Name: "b", Type: u32}}}, Fields{Int(7), Int(0x01020304)}, 8,
			[]byte{7, 0, 0, 0, 4, 3, 2, 1}},
		{"list<tuple<string, string>>", &component.List{Elem: &component.Tuple{Types: []component.ValType{str, str}}},
			List{Fields{String("K"), String("v1")}}, 16,
			// the list header (ptr 24, len 1), the tuple at 24 (K at 40, v1 at 41), then the bytes
			[]byte{24, 0, 0, 0, 1, 0, 0, 0, 40, 0, 0, 0, 1, 0, 0, 0, 41, 0, 0, 0, 2, 0, 0, 0, 'K', 'v', '1'}},
		{"empty list", &component.List{Elem: str}, List{}, 16, []byte{24, 0, 0, 0, 0, 0, 0, 0}},
		{"bool and char", &component.Tuple{Types: []component.ValType{boolean, component.Prim(component.PrimChar)}}, Fields{Bool(true), Char('é')}, 16,
			[]byte{1, 0, 0, 0, 0xe9, 0, 0, 0}},
	}
	for _, tt := range tests {
		im := NewImage(tt.base)
		addr, err := im.StoreNew(tt.t, tt.v)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if addr != tt.base {
			t.Errorf("%s: stored at %d, want %d", tt.name, addr, tt.base)
		}
		if !bytes.Equal(im.Bytes(), tt.want) {
			t.Errorf("%s: image %v, want %v", tt.name, im.Bytes(), tt.want)
		}
	}
}

func TestStoreRefusesMismatches(t *testing.T) {
	tests := []struct {
		name string
		t    component.ValType
		v    Value
	}{
		{"a string as u32", u32, String("x")},
		{"a case out of range", errCode, Case{Index: 3}},
		{"a payload for a case without one", &component.Result{Err: errCode}, Case{Index: 0, Payload: Int(1)}},
		{"a float", f32, Int(0)},
		{"a handle", &component.Own{Resource: res}, Int(0)},
		{"too few fields", &component.Tuple{Types: []component.ValType{u8, u8}}, Fields{Int(1)}},
	}
	for _, tt := range tests {
		if _, err := NewImage(16).StoreNew(tt.t, tt.v); err == nil {
			t.Errorf("%s: stored, want an error", tt.name)
		}
	}
}

func TestFlatConstant(t *testing.T) {
	if v, err := FlatConstant(&component.Result{}, Case{Index: 1}); err != nil || v != 1 {
		t.Errorf("FlatConstant(result, error) = %d, %v; want 1", v, err)
	}
	if v, err := FlatConstant(u32, Int(42)); err != nil || v != 42 {
		t.Errorf("FlatConstant(u32, 42) = %d, %v", v, err)
	}
	if _, err := FlatConstant(&component.Result{Err: errCode}, Case{Index: 1, Payload: Case{}}); err == nil {
		t.Error("FlatConstant of a two-value type succeeded")
	}
}
