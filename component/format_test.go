package component

import "testing"

func TestFormatValType(t *testing.T) {
	res := &Resource{Name: "file"}
	named := &Named{Name: "point", Type: &Record{Fields: []Field{{"x", Prim(PrimU32)}, {"y", Prim(PrimU32)}}}}
	tests := []struct {
		t    ValType
		want string
	}{
		{Prim(PrimU8), "u8"},
		{Prim(PrimErrorContext), "error-context"},
		{&List{Elem: Prim(PrimU8)}, "list<u8>"},
		{&List{Elem: Prim(PrimF32), Len: 4}, "list<f32, 4>"},
		{&Record{Fields: []Field{{"a", Prim(PrimU32)}}}, "record { a: u32 }"},
		{&Variant{Cases: []Case{{"a", Prim(PrimString)}, {"b", nil}}}, "variant { a(string), b }"},
		{&Tuple{Types: []ValType{Prim(PrimU8), Prim(PrimString)}}, "tuple<u8, string>"},
		{&Flags{Names: []string{"r", "w"}}, "flags { r, w }"},
		{&Enum{Names: []string{"red"}}, "enum { red }"},
		{&Option{Elem: named}, "option<point>"},
		{&Result{}, "result"},
		{&Result{Ok: Prim(PrimU32)}, "result<u32>"},
		{&Result{Err: Prim(PrimString)}, "result<_, string>"},
		{&Result{Ok: Prim(PrimU32), Err: Prim(PrimString)}, "result<u32, string>"},
		{&Own{Resource: res}, "own<file>"},
		{&Borrow{Resource: &Named{Name: "descriptor", Type: res}}, "borrow<descriptor>"},
		{&Stream{}, "stream"},
		{&Stream{Elem: Prim(PrimU8)}, "stream<u8>"},
		{&Future{Elem: Prim(PrimString)}, "future<string>"},
		{&Map{Key: Prim(PrimString), Value: Prim(PrimU32)}, "map<string, u32>"},
		{named, "point"},
	}
	for _, tt := range tests {
		if got := FormatValType(tt.t); got != tt.want {
			t.Errorf("FormatValType = %q, want %q", got, tt.want)
		}
		if got := tt.t.(interface{ String() string }).String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	f := &Func{Async: true, Params: []Param{{"a", Prim(PrimU32)}}, Result: &List{Elem: Prim(PrimU8)}}
	if got, want := f.String(), "async func(a: u32) -> list<u8>"; got != want {
		t.Errorf("Func.String() = %q, want %q", got, want)
	}
}
