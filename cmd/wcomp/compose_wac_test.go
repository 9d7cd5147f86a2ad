package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/validate"
)

// The WAC document the CLI tests compose: a consumer of
// example:logging/log@0.2.0 given a provider's @0.2.6 explicitly.
const logApp = `package test:app;

let log = new test:provider {};
let app = new test:consumer@1.0.0 { "example:logging/log@0.2.0": log["example:logging/log@0.2.6"] };
export app.start;
`

// writeDep writes a file (with compose_test.go's writeFile) and returns
// its path.
func writeDep(t *testing.T, path string, data []byte) string {
	t.Helper()
	writeFile(t, path, data)
	return path
}

// TestComposeWACCommand composes a document twice: packages given by
// --dep, then found in a --deps-dir (ns:name@v as DIR/ns/name/v.wasm).
func TestComposeWACCommand(t *testing.T) {
	dir := t.TempDir()
	doc := writeDep(t, filepath.Join(dir, "app.wac"), []byte(logApp))
	deps := filepath.Join(dir, "deps")
	writeDep(t, filepath.Join(deps, "test", "provider.wasm"), fixture.Read(t, "wit-semver-provider"))
	writeDep(t, filepath.Join(deps, "test", "consumer", "1.0.0.wasm"), fixture.Read(t, "wit-semver-020"))
	for _, args := range [][]string{
		{"--dep", "test:provider=" + fixture.Path(t, "wit-semver-provider"), "--dep", "test:consumer@1.0.0=" + fixture.Path(t, "wit-semver-020")},
		{"--deps-dir", deps},
	} {
		out := filepath.Join(dir, "app.wasm")
		code, stdout, stderr := runWcomp(append([]string{"compose", doc, "-o", out}, args...)...)
		if code != 0 || stderr != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
		}
		for _, want := range []string{
			"composed " + out,
			"members:   log=test:provider, app=test:consumer",
			"plugged:   app.example:logging/log@0.2.0 ← log.example:logging/log@0.2.6",
			"imports:   0 remaining",
			"exports:   start",
		} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%v: summary lacks %q:\n%s", args, want, stdout)
			}
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		validate.Component(t, data)
	}
}

// TestComposeWACErrors: a WAC problem exits 1 with the positioned message
// and its source excerpt on stderr, and writes nothing.
func TestComposeWACErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.wasm")
	provider := "test:provider=" + fixture.Path(t, "wit-semver-provider")
	consumer := "test:consumer@1.0.0=" + fixture.Path(t, "wit-semver-020")
	doc := func(name, src string) string { return writeDep(t, filepath.Join(dir, name), []byte(src)) }
	writeDep(t, filepath.Join(dir, "wit-deps", "test", "types", "types.wit"), []byte("package test:types;\n"))
	tests := []struct {
		args []string
		want string // stderr
	}{
		{[]string{doc("syntax.wac", "package test:app;\nlet x = new test:provider { ... }\n"), "--dep", provider},
			"error: " + filepath.Join(dir, "syntax.wac") + ":2:34: expected `.`, `[` or `;`, found end of file\n" +
				" 2 | let x = new test:provider { ... }\n" +
				"   |                                  ^\n"},
		{[]string{doc("unknown.wac", "package test:app;\n\nexport new test:nothing {}.run;\n"), "--deps-dir", filepath.Join(dir, "none")},
			"error: " + filepath.Join(dir, "unknown.wac") + ":3:12: unknown package `test:nothing`: " + filepath.Join(dir, "none", "test", "nothing.wasm") + " does not exist (or give the file with --dep)\n" +
				" 3 | export new test:nothing {}.run;\n" +
				"   |            ^^^^^^^^^^^^\n"},
		{[]string{doc("witdir.wac", "package test:app;\n\nimport x: test:types/t;\n"), "--deps-dir", filepath.Join(dir, "wit-deps")},
			"error: " + filepath.Join(dir, "witdir.wac") + ":3:11: package `test:types` failed to load: " + filepath.Join(dir, "wit-deps", "test", "types") + " is a directory, WIT text perhaps, which is not read: encode it with `wasm-tools component wit "},
		{[]string{doc("mismatch.wac", strings.Replace(logApp, `log["example:logging/log@0.2.6"]`, "log", 1)), "--dep", provider, "--dep", consumer},
			"error: " + filepath.Join(dir, "mismatch.wac") + ":4:37: argument `example:logging/log@0.2.0` does not fit: "},
		{[]string{doc("app.wac", logApp), "--plug", "x.wasm"},
			"error: --plug does not apply to a WAC document, which says itself what to link, import and export\n"},
		{[]string{doc("app.wac", logApp), "--dep", "provider=x.wasm"},
			"error: --dep provider=x.wasm: \"provider\" is not a package name: expected ns:name or ns:name@version\n"},
		{[]string{doc("app.wac", logApp), "--dep", provider, "--dep", provider},
			"error: --dep " + provider + ": test:provider is given twice (first as " + fixture.Path(t, "wit-semver-provider") + ")\n"},
		{[]string{filepath.Join(dir, "missing.wac")},
			"error: open " + filepath.Join(dir, "missing.wac") + ": no such file or directory\n"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runWcomp(append([]string{"compose", "-o", out}, tt.args...)...)
		if code != 1 || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q", tt.args, code, stdout)
		}
		if !strings.HasPrefix(stderr, tt.want) {
			t.Errorf("%v: stderr\n%s\nwant it to start with\n%s", tt.args, stderr, tt.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%v: an output was written", tt.args)
		}
	}
}
