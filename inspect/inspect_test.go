package inspect

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestSummaryGolden summarizes components built from testdata/*.wit and
// *.wat and checks the JSON and the plain table against golden files.
func TestSummaryGolden(t *testing.T) {
	srcs, err := filepath.Glob("testdata/*.w[ia]t")
	if err != nil || len(srcs) == 0 {
		t.Fatalf("no sources in testdata: %v", err)
	}
	for _, src := range srcs {
		name := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ct, err := component.DecodeType(buildComponent(t, src))
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
			checkGolden(t, filepath.Join("testdata", name+".json"), string(js))
			plain := Table(s, TableOptions{})
			if strings.Contains(plain, "\x1b[") {
				t.Errorf("plain table has escape codes:\n%q", plain)
			}
			checkGolden(t, filepath.Join("testdata", name+".txt"), plain)
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

// buildComponent assembles a WAT file, or makes a component of a WIT
// world with a dummy core module, using wasm-tools.
func buildComponent(t *testing.T, src string) []byte {
	t.Helper()
	tool := os.Getenv("WASM_TOOLS")
	if tool == "" {
		var err error
		if tool, err = exec.LookPath("wasm-tools"); err != nil {
			t.Fatalf("wasm-tools is needed for this test: %v", err)
		}
	}
	run := func(args ...string) {
		var stderr bytes.Buffer
		cmd := exec.Command(tool, args...)
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("wasm-tools %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "component.wasm")
	if strings.HasSuffix(src, ".wat") {
		run("parse", src, "-o", out)
	} else {
		core := filepath.Join(dir, "core.wasm")
		run("component", "embed", "--dummy", src, "-o", core)
		run("component", "new", core, "-o", out)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}
