package inspect

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/internal/testcomponent"
)

// TestSummaryGolden summarizes test components (each WIT world in
// testdata, and the shared kinds component) and checks the JSON and the
// plain table against golden files.
func TestSummaryGolden(t *testing.T) {
	cases := append(testcomponent.FromWIT(t, "testdata/*.wit"), testcomponent.Case{Name: "kinds", Build: testcomponent.Kinds})
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			ct, err := component.DecodeType(tc.Build(t))
			if err != nil {
				t.Fatalf("DecodeType: %v", err)
			}
			s := Summarize(ct)
			js, err := s.JSON()
			if err != nil {
				t.Fatal(err)
			}
			var back Summary
			if err := json.Unmarshal(js, &back); err != nil {
				t.Fatalf("JSON does not decode: %v", err)
			}
			golden.Check(t, filepath.Join("testdata", tc.Name+".json"), string(js))
			plain := Table(s, TableOptions{})
			if strings.Contains(plain, "\x1b[") {
				t.Errorf("plain table has escape codes:\n%q", plain)
			}
			golden.Check(t, filepath.Join("testdata", tc.Name+".txt"), plain)
			if colored := Table(s, TableOptions{Color: true}); !strings.Contains(colored, "\x1b[") {
				t.Errorf("colour table has no escape codes:\n%s", colored)
			}
		})
	}
}

// TestEntryKinds checks the kind and the parsed name of each entry on a
// hand-built type, independent of any toolchain.
func TestEntryKinds(t *testing.T) {
	u32 := component.Prim(component.PrimU32)
	ct := &component.ComponentType{
		Imports: []component.Item{
			{Name: "wasi:io/poll@0.2.0", Type: &component.InstanceType{}},
			{Name: "f", Type: &component.Func{Params: []component.Param{{Name: "a", Type: u32}}, Result: u32}},
			{Name: "t", Type: &component.TypeBound{Type: &component.Named{Name: "t", Type: u32}}},
			{Name: "c", Type: &component.ComponentType{}},
			{Name: "m", Type: &component.ModuleType{}},
			{Name: "v", Type: &component.ValueBound{Type: u32}},
			{Name: "ct", Type: &component.TypeBound{Type: &component.ComponentType{
				Exports: []component.Item{{Name: "a:b/c", Type: &component.InstanceType{}}}}}},
			{Name: "it", Type: &component.TypeBound{Type: &component.InstanceType{}}},
		},
	}
	s := Summarize(ct)
	want := []struct{ kind, typ string }{
		{"instance", "empty"},
		{"func", "func(a: u32) -> u32"},
		{"type", "u32"},
		{"component", "component: 0 imports, 0 exports"},
		{"module", "core module: 0 imports, 0 exports"},
		{"value", "u32"},
		{"type", "component type: 0 imports, 1 export"},
		{"type", "instance type: 0 exports"},
	}
	if len(s.Imports) != len(want) {
		t.Fatalf("%d imports, want %d", len(s.Imports), len(want))
	}
	for i, w := range want {
		if got := s.Imports[i]; got.Kind != w.kind || got.Type != w.typ {
			t.Errorf("import %q: kind %q type %q, want %q %q", got.Name, got.Kind, got.Type, w.kind, w.typ)
		}
	}
	poll := s.Imports[0]
	if poll.Namespace != "wasi" || poll.Package != "io" || poll.Interface != "poll" || poll.Version != "0.2.0" {
		t.Errorf("parsed name of %q = %+v", poll.Name, poll)
	}
}

func TestTruncate(t *testing.T) {
	if got := truncate("abcdef", 4); got != "abc…" {
		t.Errorf("truncate = %q", got)
	}
	if got := truncate("abc", 4); got != "abc" {
		t.Errorf("truncate = %q", got)
	}
}
