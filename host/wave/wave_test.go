package wave

import (
	"errors"
	"math"
	"strings"
	"testing"
)

var (
	tBool   = &Type{Kind: Bool}
	tU8     = &Type{Kind: U8}
	tS8     = &Type{Kind: S8}
	tU32    = &Type{Kind: U32}
	tS64    = &Type{Kind: S64}
	tU64    = &Type{Kind: U64}
	tF32    = &Type{Kind: F32}
	tF64    = &Type{Kind: F64}
	tChar   = &Type{Kind: Char}
	tString = &Type{Kind: String}
	tList   = &Type{Kind: List, Elem: tU32}
	tTuple  = &Type{Kind: Tuple, Tuple: []*Type{tString, tU8}}
	tOpt    = &Type{Kind: Option, Elem: tU32}
	tOptOpt = &Type{Kind: Option, Elem: tOpt}
	tRes    = &Type{Kind: Result, Ok: tU32, Err: tString}
	tResE   = &Type{Kind: Result}
	tEnum   = &Type{Kind: Enum, Names: []string{"red", "green", "ok"}}
	tFlags  = &Type{Kind: Flags, Names: []string{"read", "write", "exec"}}
	tVar    = &Type{Kind: Variant, Cases: []Case{{Name: "circle", Payload: tF32}, {Name: "empty"}, {Name: "none"}}}
	tRec    = &Type{Kind: Record, Fields: []Field{{Name: "name", Type: tString}, {Name: "age", Type: tU8}, {Name: "nick", Type: tOpt}}}
	tEmpty  = &Type{Kind: Record}
)

// TestRoundTrip parses text against a type and prints it back; want is the
// canonical form Wasmtime's CLI prints (empty means the input itself).
func TestRoundTrip(t *testing.T) {
	tests := []struct {
		ty       *Type
		src, out string
	}{
		{tBool, "true", ""},
		{tBool, "false", ""},
		{tU8, "255", ""},
		{tS8, "-128", ""},
		{tS64, "-9223372036854775808", ""},
		{tU64, "18446744073709551615", ""},
		{tF64, "1.5", ""},
		{tF64, "1", ""},
		{tF64, "1e3", "1000"},
		{tF64, "-0", ""},
		{tF64, "1e300", "1" + strings.Repeat("0", 300)},
		{tF64, "0.1", ""},
		{tF32, "0.1", ""},
		{tF32, "3.4028235e38", "340282350000000000000000000000000000000"},
		{tF64, "inf", ""},
		{tF64, "-inf", ""},
		{tF64, "nan", ""},
		{tChar, "'a'", ""},
		{tChar, `'\''`, ""},
		{tChar, `'"'`, `'\"'`},
		{tChar, `'\u{1F600}'`, "'😀'"},
		{tChar, `'\u{7}'`, `'\u{7}'`},
		{tChar, "'\u00e9'", ""},
		{tString, `"hi there"`, ""},
		{tString, `"tab\there\nline \\ \"q\" 'a'"`, `"tab\there\nline \\ \"q\" \'a\'"`},
		{tString, `""`, ""},
		{tString, "\"\"\"\n  one\n  two\n  \"\"\"", `"one\ntwo"`},
		{tList, "[]", ""},
		{tList, "[1, 2, 3]", ""},
		{tList, "[1,2,3,]", "[1, 2, 3]"},
		{tTuple, `("a", 1)`, ""},
		{tOpt, "none", ""},
		{tOpt, "some(4)", ""},
		{tOpt, "4", "some(4)"},
		{tOptOpt, "some(none)", ""},
		{tOptOpt, "some(some(1))", ""},
		{tRes, "ok(1)", ""},
		{tRes, "1", "ok(1)"},
		{tRes, `err("bad")`, ""},
		{tResE, "ok", ""},
		{tResE, "err", ""},
		{tEnum, "green", ""},
		{tEnum, "%ok", ""},
		{tEnum, "%red", "red"},
		{tFlags, "{}", ""},
		{tFlags, "{exec, read}", "{read, exec}"},
		{tVar, "circle(1.5)", ""},
		{tVar, "empty", ""},
		{tVar, "%none", ""},
		{tRec, `{name: "ann", age: 3}`, ""},
		{tRec, `{age: 3, name: "ann", nick: some(7)}`, `{name: "ann", age: 3, nick: some(7)}`},
		{tRec, `{name: "ann", age: 3, nick: none}`, `{name: "ann", age: 3}`},
		{tEmpty, "{:}", ""},
		{tList, "[1, // one\n 2]", "[1, 2]"},
	}
	for _, tt := range tests {
		t.Run(tt.ty.String()+"/"+tt.src, func(t *testing.T) {
			n, err := ParseValue(tt.src)
			if err != nil {
				t.Fatalf("ParseValue(%q): %v", tt.src, err)
			}
			v, err := n.Typed(tt.ty)
			if err != nil {
				t.Fatalf("Typed(%q, %s): %v", tt.src, tt.ty, err)
			}
			want := tt.out
			if want == "" {
				want = tt.src
			}
			if got := Format(v); got != want {
				t.Errorf("Format = %s, want %s", got, want)
			}
			// What we print must parse back to the same text.
			n2, err := ParseValue(Format(v))
			if err != nil {
				t.Fatalf("reparse %q: %v", Format(v), err)
			}
			v2, err := n2.Typed(tt.ty)
			if err != nil {
				t.Fatalf("retype %q: %v", Format(v), err)
			}
			if Format(v2) != Format(v) {
				t.Errorf("not stable: %s then %s", Format(v), Format(v2))
			}
		})
	}
}

func TestRejects(t *testing.T) {
	tests := []struct {
		ty   *Type
		src  string
		want string // substring of the error
	}{
		{tBool, "1", "expected a bool"},
		{tU8, "256", "not a valid u8"},
		{tU8, "-1", "not a valid u8"},
		{tU32, "1.5", "not a valid u32"},
		{tS8, "01", "leading zero"},
		{tChar, "'ab'", "exactly one character"},
		{tChar, `'\q'`, "invalid escape"},
		{tString, `"abc`, "unterminated string"},
		{tString, `"\u{D800}"`, "not a Unicode scalar value"},
		{tList, "[1 2]", "expected `,` or `]`"},
		{tTuple, `("a")`, "tuple of 2 values"},
		{tOptOpt, "1", "expected `some(...)` or `none`"},
		{tRes, "ok", `needs a payload`},
		{tResE, "ok(1)", "takes no payload"},
		{tEnum, "blue", `unknown case "blue"`},
		{tEnum, "ok", "expected a case"},
		{tFlags, "{read, nope}", `unknown flag "nope"`},
		{tFlags, "{read: 1}", "expected flags"},
		{tVar, "circle", "needs a payload"},
		{tVar, "none", "expected a variant case"},
		{tRec, `{name: "a"}`, `missing field "age"`},
		{tRec, `{name: "a", age: 1, extra: 2}`, `unknown field "extra"`},
		{tRec, `{name: "a", name: "b", age: 1}`, "given twice"},
		{tRec, `{name: "a", read}`, "cannot mix"},
		{tEmpty, "{}", "expected a record"},
		{tU8, "1 2", "expected end of input"},
		{tString, "abc", "expected a string"},
		{tString, "aBc", "all lower-case or all upper-case"},
		{tU8, "$", "unexpected character"},
		{&Type{Kind: Own}, "1", "cannot be written in WAVE"},
	}
	for _, tt := range tests {
		t.Run(tt.ty.String()+"/"+tt.src, func(t *testing.T) {
			n, err := ParseValue(tt.src)
			if err == nil {
				_, err = n.Typed(tt.ty)
			}
			if err == nil {
				t.Fatalf("%q as %s: no error, want %q", tt.src, tt.ty, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%q as %s: error %q, want it to contain %q", tt.src, tt.ty, err, tt.want)
			}
			var se *SyntaxError
			var te *TypeError
			if !errors.As(err, &se) && !errors.As(err, &te) {
				t.Errorf("error %T is neither SyntaxError nor TypeError", err)
			}
		})
	}
}

func TestParseCall(t *testing.T) {
	tests := []struct {
		src   string
		name  string
		types []*Type
		want  string // FormatResults of the typed args, or an error substring
		fails bool
	}{
		{"add(1, 2)", "add", []*Type{tU32, tU32}, "(1, 2)", false},
		{"  run ( ) ", "run", nil, "()", false},
		{`example:service/processing.process@0.1.0("x")`, "example:service/processing.process@0.1.0", []*Type{tString}, `"x"`, false},
		{`example:service/processing@0.1.0#process("x")`, "example:service/processing@0.1.0#process", []*Type{tString}, `"x"`, false},
		{"f(1)", "f", []*Type{tU32, tOpt}, "(1, none)", false},
		{"f(1, 2)", "f", []*Type{tU32, tU32, tOpt, tOpt}, "(1, 2, none, none)", false},
		{"f()", "f", []*Type{tU32}, "no arguments given", true},
		{"f()", "f", []*Type{tOpt}, "no arguments given", true},
		{"f(1)", "f", []*Type{tU32, tU32}, "missing argument 2", true},
		{"f(1, 2)", "f", []*Type{tU32}, "too many arguments", true},
		{"f(true)", "f", []*Type{tU32}, "argument 1", true},
		{"f", "", nil, "expected `(`", true},
		{"(1)", "", nil, "missing function name", true},
		{"f(1", "", nil, "expected `,` or `)`", true},
		{"f(1) x", "", nil, "end of input", true},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			c, err := ParseCall(tt.src)
			var args []Value
			if err == nil {
				if c.Name != tt.name {
					t.Errorf("name = %q, want %q", c.Name, tt.name)
				}
				args, err = c.Params(tt.types)
			}
			if tt.fails {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error = %v, want one containing %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := FormatResults(args); got != tt.want {
				t.Errorf("args = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFormatOpaqueAndEdges(t *testing.T) {
	tests := []struct {
		v    Value
		want string
	}{
		{Value{Kind: Own, Str: "resource"}, "<own resource>"},
		{Value{Kind: Borrow}, "<borrow>"},
		{Value{Kind: F32, Float: float64(float32(math.Inf(1)))}, "inf"},
		{Value{Kind: F32, Float: float64(float32(16777216.5))}, "16777216"},
		{Value{Kind: Variant, Str: "true"}, "%true"},
		{Value{Kind: Map, Elems: []Value{{Kind: String, Str: "k"}, {Kind: U8, Uint: 1}}}, `[("k", 1)]`},
		{Value{Kind: String, Str: "\x00\u200b"}, `"\u{0}\u{200b}"`},
	}
	for _, tt := range tests {
		if got := Format(tt.v); got != tt.want {
			t.Errorf("Format(%+v) = %s, want %s", tt.v, got, tt.want)
		}
	}
	if got := FormatResults(nil); got != "()" {
		t.Errorf("FormatResults(nil) = %s", got)
	}
}
