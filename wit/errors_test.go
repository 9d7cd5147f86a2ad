package wit

import (
	"errors"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// TestPrintErrors covers component types WIT cannot show; each must give
// a clear error, never a panic or invalid WIT.
func TestPrintErrors(t *testing.T) {
	u32 := component.Prim(component.PrimU32)
	rec := &component.Record{Fields: []component.Field{{Name: "a", Type: u32}}}
	named := &component.Named{Name: "t", Type: u32}
	tests := []struct {
		name string
		ct   *component.ComponentType
		want string
	}{
		{"exported module", &component.ComponentType{
			Exports: []component.Item{{Name: "m", Type: &component.ModuleType{}}}},
			`export "m": a WIT world can export only functions and interfaces, not a core module`},
		{"exported type", &component.ComponentType{
			Exports: []component.Item{{Name: "t", Type: &component.TypeBound{Type: named}}}},
			`export "t": WIT worlds cannot export types`},
		{"anonymous record", &component.ComponentType{
			Imports: []component.Item{{Name: "f", Type: &component.Func{Params: []component.Param{{Name: "r", Type: rec}}}}}},
			`import f: parameter r: an anonymous record cannot be written in WIT`},
		{"method without resource", &component.ComponentType{
			Imports: []component.Item{{Name: "a:b/c", Type: &component.InstanceType{Exports: []component.Item{
				{Name: "[method]r.m", Type: &component.Func{}}}}}}},
			`import "a:b/c": function "[method]r.m" belongs to resource "r", which is not defined beside it`},
		{"type given twice", &component.ComponentType{
			Imports: []component.Item{
				{Name: "t", Type: &component.TypeBound{Type: named}},
				{Name: "u", Type: &component.TypeBound{Type: named}}}},
			`import "u": the type "u" appears more than once`},
		{"instance exporting an instance", &component.ComponentType{
			Imports: []component.Item{{Name: "a:b/c", Type: &component.InstanceType{Exports: []component.Item{
				{Name: "inner", Type: &component.InstanceType{}}}}}}},
			`import "a:b/c": "inner" is an instance; a WIT interface holds only types and functions`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Print(tt.ct, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Print error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestPrintSkipsNonWITImports checks that imported modules, components
// and values, which a WIT world cannot hold, are left out rather than
// failing the whole print.
func TestPrintSkipsNonWITImports(t *testing.T) {
	ct := &component.ComponentType{
		Imports: []component.Item{
			{Name: "m", Type: &component.ModuleType{}},
			{Name: "c", Type: &component.ComponentType{}},
			{Name: "v", Type: &component.ValueBound{Type: component.Prim(component.PrimString)}},
			{Name: "f", Type: &component.Func{}},
		},
	}
	got, err := Print(ct, Options{Package: "my:pkg", World: "w"})
	if err != nil {
		t.Fatal(err)
	}
	want := "package my:pkg;\n\nworld w {\n  import f: func();\n}\n"
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestPrintRefusesPackageBinary: a WIT package encoded as WebAssembly is a
// component binary too, but has no world; Print says what it is instead of
// failing on its first type export.
func TestPrintRefusesPackageBinary(t *testing.T) {
	for _, tc := range []struct{ src, pkg string }{
		{"testdata/src/demo.wit", "my:demo@1.0.0"},
		{"testdata/src/bare.wit", "test:bare"},
	} {
		ct := decode(t, wasmtools.EncodeWIT(t, tc.src))
		_, err := Print(ct, Options{})
		if !errors.Is(err, ErrPackageBinary) || !strings.Contains(err.Error(), "WIT package "+tc.pkg+" encoded as WebAssembly") {
			t.Errorf("%s: Print error = %v, want ErrPackageBinary naming %s", tc.src, err, tc.pkg)
		}
	}
}
