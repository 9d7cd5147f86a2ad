package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/testcomponent"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// testComponent writes the shared kinds component (internal/testcomponent)
// to a file and returns its path and bytes.
func testComponent(t *testing.T) (string, []byte) {
	t.Helper()
	wasm := testcomponent.Kinds(t)
	path := filepath.Join(t.TempDir(), "kinds.wasm")
	if err := os.WriteFile(path, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, wasm
}

func runWcomp(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = Run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestWitCommand(t *testing.T) {
	file, wasm := testComponent(t)
	code, stdout, stderr := runWcomp("wit", file)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if want := wasmtools.ComponentWIT(t, wasm); stdout != want {
		t.Errorf("wcomp wit differs from wasm-tools component wit:\n--- wasm-tools\n%s\n--- wcomp\n%s", want, stdout)
	}
}

func TestInspectCommand(t *testing.T) {
	file, _ := testComponent(t)
	code, stdout, stderr := runWcomp("inspect", file, "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("--json: exit %d, stderr %q", code, stderr)
	}
	var summary struct {
		Imports []struct{ Name, Kind string }
		Exports []struct{ Name, Kind string }
	}
	if err := json.Unmarshal([]byte(stdout), &summary); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, stdout)
	}
	var got []string
	for _, e := range summary.Imports {
		got = append(got, "import "+e.Kind+" "+e.Name)
	}
	for _, e := range summary.Exports {
		got = append(got, "export "+e.Kind+" "+e.Name)
	}
	want := []string{"import module m", "import component c", "import instance wasi:io/poll@0.2.0",
		"import instance poll2", "import type point", "import func measure", "export func measure2"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("items:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Output to a buffer is not a terminal: plain text, no colour codes.
	code, stdout, stderr = runWcomp("inspect", file)
	if code != 0 || stderr != "" {
		t.Fatalf("table: exit %d, stderr %q", code, stderr)
	}
	if strings.Contains(stdout, "\x1b[") || !strings.Contains(stdout, "Imports (6)") || !strings.Contains(stdout, "wasi:io/poll  0.2.0") {
		t.Errorf("table output:\n%s", stdout)
	}
}

// TestErrors checks that failures print one `error:` line naming the file
// and exit 1, and that command-line mistakes exit 2.
func TestErrors(t *testing.T) {
	dir := t.TempDir()
	notWasm := filepath.Join(dir, "notes.txt")
	truncated := filepath.Join(dir, "truncated.wasm")
	empty, watText := filepath.Join(dir, "empty.wasm"), filepath.Join(dir, "add.wat")
	for path, content := range map[string]string{notWasm: "hello\n", empty: "", watText: "(component\n)\n"} {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A component preamble, then a section that claims more bytes than
	// the file has.
	if err := os.WriteFile(truncated, []byte{0, 'a', 's', 'm', 0x0d, 0, 1, 0, 0x07, 0x50, 0x01}, 0o644); err != nil {
		t.Fatal(err)
	}
	core := filepath.Join(dir, "core.wasm")
	if err := os.WriteFile(core, wasmtools.Parse(t, `(module (func (export "f")))`), 0o644); err != nil {
		t.Fatal(err)
	}
	witSource, witPackage := filepath.Join(dir, "bare.wit"), filepath.Join(dir, "package.wasm")
	if err := os.WriteFile(witSource, []byte("package test:bare;\nworld bare { export f: func(); }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(witPackage, wasmtools.EncodeWIT(t, witSource), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.wasm")
	tests := []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"wit", notWasm}, 1, "error: " + notWasm + `: not a WebAssembly binary: starts with "hello" — looks like text, not a binary`},
		{[]string{"inspect", notWasm}, 1, "error: " + notWasm + `: not a WebAssembly binary: starts with "hello"`},
		{[]string{"inspect", empty}, 1, "error: " + empty + ": not a WebAssembly binary: file is empty"},
		{[]string{"wit", watText}, 1, "error: " + watText + `: not a WebAssembly binary: starts with "(component" — looks like WAT text; assemble it with wasm-tools parse`},
		{[]string{"wit", truncated}, 1, "error: " + truncated + ": "},
		{[]string{"inspect", "--json", truncated}, 1, "error: " + truncated + ": "},
		{[]string{"wit", missing}, 1, "error: " + missing + ": no such file or directory"},
		{[]string{"inspect", dir}, 1, "error: " + dir + ": is a directory"},
		{[]string{"wit", core}, 1, "error: " + core + ": not a component: this is a core WebAssembly module (version 1)"},
		{[]string{"inspect", "--json", core}, 1, "error: " + core + ": not a component: this is a core WebAssembly module (version 1)"},
		{[]string{"wit", witPackage}, 1, "error: " + witPackage + ": WIT package test:bare encoded as WebAssembly: not a component"},
		{[]string{"wit"}, 2, "error: 'wcomp wit' needs a component file"},
		{[]string{"inspect", "a.wasm", "b.wasm"}, 2, "takes one component file, got 2 arguments"},
		{[]string{"inspect", "--bogus", "a.wasm"}, 2, "error: unknown flag: --bogus"},
		{[]string{"frobnicate"}, 2, `error: unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		code, stdout, stderr := runWcomp(tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.contains) {
			t.Errorf("wcomp %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tt.args, " "), code, stderr, tt.code, tt.contains)
		}
		if tt.code == 1 && strings.Count(stderr, "\n") != 1 {
			t.Errorf("wcomp %s: want one line on stderr, got %q", strings.Join(tt.args, " "), stderr)
		}
		if strings.Contains(stderr, "goroutine") || stdout != "" {
			t.Errorf("wcomp %s: stdout %q, stderr %q", strings.Join(tt.args, " "), stdout, stderr)
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	code, stdout, _ := runWcomp("--version")
	if code != 0 || !strings.HasPrefix(stdout, "wcomp ") {
		t.Errorf("--version: exit %d, %q", code, stdout)
	}
	code, stdout, _ = runWcomp("--help")
	if code != 0 || !strings.Contains(stdout, "inspect") || !strings.Contains(stdout, "wit") {
		t.Errorf("--help: exit %d\n%s", code, stdout)
	}
}

// TestCommandsOnFixture runs both commands on a real fixture.
func TestCommandsOnFixture(t *testing.T) {
	path := fixture.All(t)[0]
	code, stdout, stderr := runWcomp("wit", path)
	if code != 0 || stderr != "" {
		t.Fatalf("wcomp wit %s: exit %d, stderr %q", fixture.Name(path), code, stderr)
	}
	if want := wasmtools.ComponentWIT(t, fixture.Read(t, fixture.Name(path))); stdout != want {
		t.Errorf("wcomp wit %s differs from wasm-tools:\n--- wasm-tools\n%s\n--- wcomp\n%s", fixture.Name(path), want, stdout)
	}
	code, stdout, stderr = runWcomp("inspect", "--json", path)
	if code != 0 || stderr != "" || !json.Valid([]byte(stdout)) {
		t.Fatalf("wcomp inspect --json %s: exit %d, stderr %q, stdout %q", fixture.Name(path), code, stderr, stdout)
	}
}
