package graph

import (
	"errors"
	"testing"
)

func TestParseWire(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Wire
		off  int // for errors
		err  string
	}{
		{in: "business:example:service/processing@0.1.0=validator:example:service/processing@0.1.0",
			want: Wire{"business", "example:service/processing@0.1.0", "validator", "example:service/processing@0.1.0"}},
		{in: "app:x=p", want: Wire{Consumer: "app", Import: "x", Provider: "p"}},
		{in: "app:wasi:io/error@0.2.0=p:wasi:io/error@0.2.6", want: Wire{"app", "wasi:io/error@0.2.0", "p", "wasi:io/error@0.2.6"}},
		{in: "", off: 0, err: `"", column 1: missing '=': expected CONSUMER:IMPORT=PROVIDER:EXPORT (or =PROVIDER for the whole instance)`},
		{in: "a:b", off: 3, err: `"a:b", column 4: missing '=': expected CONSUMER:IMPORT=PROVIDER:EXPORT (or =PROVIDER for the whole instance)`},
		{in: "a=b", off: 1, err: `"a=b", column 2: missing ':IMPORT' after instance "a"`},
		{in: ":x=b:y", off: 0, err: `":x=b:y", column 1: missing the instance name before ':'`},
		{in: "a:=b:y", off: 2, err: `"a:=b:y", column 3: missing the import name after ':'`},
		{in: "a:x=", off: 4, err: `"a:x=", column 5: missing the instance name before ':'`},
		{in: "a:x=b:", off: 6, err: `"a:x=b:", column 7: missing the export name after ':'`},
		{in: "a:Bad_Name=b:y", off: 2},
		{in: "a:x=b:y=z", off: 6},
	} {
		got, err := ParseWire(tc.in)
		checkParse(t, "ParseWire", tc.in, got, tc.want, err, tc.off, tc.err)
	}
}

func TestParseExport(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ExportSpec
		off  int
		err  string
	}{
		{in: "validator:example:service/processing=example:service/checker",
			want: ExportSpec{Instance: "validator", Export: "example:service/processing", As: "example:service/checker"}},
		{in: "app:run", want: ExportSpec{Instance: "app", Export: "run"}},
		{in: "p=example:svc/all@0.1.0", want: ExportSpec{Instance: "p", As: "example:svc/all@0.1.0"}},
		{in: "run", off: 3, err: `"run", column 4: expected INSTANCE:NAME[=AS], or run=AS to export the whole instance under the name AS`},
		{in: "app:run=", off: 8, err: `"app:run=", column 9: missing the name to export as after '='`},
		{in: "app:run=!", off: 8},
		{in: "a=b:c:d", off: 2},
	} {
		got, err := ParseExport(tc.in)
		checkParse(t, "ParseExport", tc.in, got, tc.want, err, tc.off, tc.err)
		if err == nil && got.String() != tc.in {
			t.Errorf("ParseExport(%q).String() = %q", tc.in, got.String())
		}
	}
}

func TestParseImport(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ImportSpec
		off  int
		err  string
	}{
		{in: "wasi:io/error@0.2.6", want: ImportSpec{Name: "wasi:io/error@0.2.6"}},
		{in: "log=app:wasi:logging/log@0.1.0", want: ImportSpec{Name: "log", Instance: "app", Import: "wasi:logging/log@0.1.0"}},
		{in: "", off: 0, err: `"", column 1: missing the import name: expected NAME or NAME=INSTANCE:IMPORT`},
		{in: "log=app", off: 7, err: `"log=app", column 8: missing ':IMPORT' after instance "app"`},
		{in: "NOT_VALID", off: 0},
		{in: "log=:x", off: 4},
	} {
		got, err := ParseImport(tc.in)
		checkParse(t, "ParseImport", tc.in, got, tc.want, err, tc.off, tc.err)
		if err == nil && got.String() != tc.in {
			t.Errorf("ParseImport(%q).String() = %q", tc.in, got.String())
		}
	}
	if _, err := ParseKeep("a:b"); err == nil {
		t.Error(`ParseKeep("a:b") accepted`)
	}
}

// checkParse compares a parse result with the expected value, or the
// error's offset (and message, when given) with the expected ones.
func checkParse[T comparable](t *testing.T, fn, in string, got, want T, err error, off int, msg string) {
	t.Helper()
	var zero T
	if want != zero {
		if err != nil || got != want {
			t.Errorf("%s(%q) = %+v, %v; want %+v", fn, in, got, err, want)
		}
		return
	}
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Errorf("%s(%q) = %+v, %v; want a *SyntaxError", fn, in, got, err)
		return
	}
	if se.Offset != off || se.Input != in || (msg != "" && err.Error() != msg) {
		t.Errorf("%s(%q): error %q at offset %d; want offset %d %s", fn, in, err, se.Offset, off, msg)
	}
}
