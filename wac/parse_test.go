package wac

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestParse parses testdata/parse/*.txtar: each has a doc.wac and the
// expected `ast` (a dump of every node with its byte span) or `error`.
func TestParse(t *testing.T) {
	txtarCases(t, "testdata/parse/*.txtar", func(c *txtarCase) {
		src, ok := c.file("doc.wac")
		if !ok {
			c.t.Fatal("no doc.wac")
		}
		doc, err := Parse(NewFile("doc.wac", []byte(src)))
		if _, wantErr := c.file("error"); wantErr {
			if err == nil {
				c.t.Fatal("parsed, but an error was expected")
			}
			c.check("error", Format(err))
			return
		}
		if err != nil {
			c.t.Fatal(err)
		}
		c.check("ast", dumpAST(doc))
	})
}

// dumpAST prints a document's nodes, one field per line, spans as
// @start-end with the source text they cover, so a golden file shows
// that every offset points where it should.
func dumpAST(doc *Document) string {
	var b strings.Builder
	d := &dumper{b: &b, src: doc.File.Src}
	d.value(reflect.ValueOf(doc).Elem().FieldByName("Package"), 0)
	if doc.Targets != nil {
		b.WriteString("targets ")
		d.value(reflect.ValueOf(doc.Targets), 0)
	}
	for _, st := range doc.Stmts {
		d.value(reflect.ValueOf(st), 0)
	}
	return b.String()
}

type dumper struct {
	b   *strings.Builder
	src string
}

var spanType = reflect.TypeOf(Span{})

func (d *dumper) span(s Span) string {
	return fmt.Sprintf("@%d-%d %q", s.Start, s.End, d.src[s.Start:s.End])
}

func (d *dumper) value(v reflect.Value, depth int) {
	indent := strings.Repeat("  ", depth)
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			d.b.WriteString("nil\n")
			return
		}
		v = v.Elem()
	}
	switch {
	case v.Type() == spanType:
		d.b.WriteString(d.span(v.Interface().(Span)) + "\n")
		return
	case v.Kind() == reflect.Struct && v.Type().Name() == "Ident":
		d.b.WriteString(fmt.Sprintf("%s %s\n", v.Field(0).String(), d.span(v.Field(1).Interface().(Span))))
		return
	case v.Kind() == reflect.Struct:
		if v.Type().Name() == "File" {
			return
		}
		d.b.WriteString(v.Type().Name() + "\n")
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			if isZero(f) {
				continue
			}
			d.b.WriteString(indent + "  " + v.Type().Field(i).Name + ": ")
			d.value(f, depth+1)
		}
	case v.Kind() == reflect.Slice:
		d.b.WriteString("\n")
		for i := 0; i < v.Len(); i++ {
			d.b.WriteString(fmt.Sprintf("%s  [%d] ", indent, i))
			d.value(v.Index(i), depth+1)
		}
	case v.Type() == reflect.TypeOf(tokenKind(0)):
		d.b.WriteString(v.Interface().(tokenKind).String() + "\n")
	default:
		d.b.WriteString(fmt.Sprintf("%v\n", v.Interface()))
	}
}

func isZero(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	}
	return v.IsZero()
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src  string
		want string // the whole message, caret line included
	}{
		{"import x: func();", `
doc.wac:1:1: expected ` + "`package`" + `, found keyword ` + "`import`" + `
 1 | import x: func();
   | ^^^^^^`},
		{"package a:b;\nlet x = new a:c { y z };", `
doc.wac:2:21: expected ` + "`}` or `,`" + `, found identifier ` + "`z`" + `
 2 | let x = new a:c { y z };
   |                     ^`},
		{"package a:b;\nrecord r {\n\tx: u32\n", `
doc.wac:3:8: expected ` + "`}` or `,`" + `, found end of file
 3 | 	x: u32
   | 	      ^`},
		{"package a:b;\ntype t = list<>;", `
doc.wac:2:15: expected a type, found ` + "`>`" + `
 2 | type t = list<>;
   |               ^`},
		{"package a:b;\nexport x as;", `
doc.wac:2:12: expected identifier or string, found ` + "`;`" + `
 2 | export x as;
   |            ^`},
		{"package a:b;\nimport x: a:b/c@1.0;", `
doc.wac:2:17: ` + "`1.0` is not a valid semantic version: expected MAJOR.MINOR.PATCH" + `
 2 | import x: a:b/c@1.0;
   |                 ^^^`},
		{"package a:b;\n\nworld w { import x: u32; }", `
doc.wac:3:21: expected ` + "`func`, `interface` or identifier" + `, found keyword ` + "`u32`" + `
 3 | world w { import x: u32; }
   |                     ^^^`},
		{"package a:b;\nstatic x;", `
doc.wac:2:1: expected a statement (import, let, export, or a type declaration), found keyword ` + "`static`" + `
 2 | static x;
   | ^^^^^^`},
		{"package a:b;\ninterface i { resource r { constructor(); x: static u32; } }", `
doc.wac:2:53: expected ` + "`func`" + `, found keyword ` + "`u32`" + `
 2 | interface i { resource r { constructor(); x: static u32; } }
   |                                                     ^^^`},
		{"package a:b;\nflags f {}", `
doc.wac:2:10: flags need at least one flag
 2 | flags f {}
   |          ^`},
		{"package a:b;\nlet é = x;", `
doc.wac:2:5: unexpected character 'é'
 2 | let é = x;
   |     ^`},
	}
	for _, tt := range tests {
		_, err := Parse(NewFile("doc.wac", []byte(tt.src)))
		want := strings.TrimPrefix(tt.want, "\n")
		if err == nil {
			t.Errorf("%q: parsed", tt.src)
		} else if Format(err) != want {
			t.Errorf("%q:\n got:\n%s\nwant:\n%s", tt.src, Format(err), want)
		}
	}
}

func TestPackages(t *testing.T) {
	src := `package acme:app@1.0.0 targets wasi:cli/command@0.2.0;
import x: wasi:io/streams@0.2.0;
interface i { use wasi:io/error@0.2.0.{error}; }
world w {
    import acme:app/i;
    export e: interface { use wasi:clocks/wall-clock.{datetime}; };
    include wasi:cli/imports@0.2.0;
}
let a = new acme:store { x, y: new acme:log@2.0.0 { ... }.sink };
export (new acme:store {}).api;
`
	doc, err := Parse(NewFile("doc.wac", []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range doc.Packages() {
		got = append(got, r.String()+" "+src[r.Span.Start:r.Span.End])
	}
	want := []string{
		"wasi:cli@0.2.0 wasi:cli",
		"wasi:io@0.2.0 wasi:io",
		"wasi:clocks wasi:clocks",
		"acme:store acme:store",
		"acme:log@2.0.0 acme:log@2.0.0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParsePackageKey(t *testing.T) {
	tests := []struct{ in, name, version, err string }{
		{in: "a:b", name: "a:b"},
		{in: "wasi:http@0.2.6", name: "wasi:http", version: "0.2.6"},
		{in: "a:b:c@1.0.0-rc.1", name: "a:b:c", version: "1.0.0-rc.1"},
		{in: "a:b@1.0", err: `"a:b@1.0": ` + "`1.0` is not a valid semantic version: expected MAJOR.MINOR.PATCH"},
		{in: "ab", err: `"ab" is not a package name: expected ns:name or ns:name@version`},
		{in: "a:b/c", err: `"a:b/c" is not a package name: expected ns:name or ns:name@version`},
		{in: " a:b", err: `" a:b" is not a package name: expected ns:name or ns:name@version`},
	}
	for _, tt := range tests {
		name, version, err := ParsePackageKey(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%q: error %v, want %s", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || name != tt.name || version != tt.version {
			t.Errorf("%q: %q %q %v, want %q %q", tt.in, name, version, err, tt.name, tt.version)
		}
	}
}

// FuzzParse: no input makes the parser panic or loop, and every error is
// positioned inside the input.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"package a:b;",
		"package a:b@1.0.0 targets c:d/w;\nimport x: func(a: u32) -> result<_, string>;\n",
		"package a:b;\nlet x = new c:d { y, z: (w).v[\"q\"], ...u, ... };\nexport x...;\n",
		"package a:b;\ninterface i { use c:d/e.{f as g}; resource r { constructor(); m: static func(); } }\n",
		"package a:b;\nworld w { include c:d/x with { a as b }; export e: interface { f: async func() -> stream<u8>; }; }\n",
		"package a:b;\n/* /* */ */ // x\nvariant v { a(tuple<u8, list<string>>), b }\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		_, err := Parse(NewFile("f.wac", []byte(src)))
		var e *Error
		if err != nil {
			if !errors.As(err, &e) {
				t.Fatalf("not an *Error: %v", err)
			}
			if e.Span.Start < 0 || e.Span.End > len(src) || e.Span.Start > e.Span.End {
				t.Fatalf("span %v outside the input of %d bytes", e.Span, len(src))
			}
			_ = Format(err)
		}
	})
}
