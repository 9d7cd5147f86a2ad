package wit

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindWorld(t *testing.T) {
	p, err := Load(targetProject(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Package.Name.String(); got != "test:target@0.1.0" {
		t.Errorf("Package = %s, want the project's own, test:target@0.1.0", got)
	}
	for _, tc := range []struct{ spec, want string }{
		{"app", "test:target/app@0.1.0"},
		{"test:target/app", "test:target/app@0.1.0"},
		{"test:target/app@0.1.0", "test:target/app@0.1.0"},
		{"wasi:cli/command", "wasi:cli/command@0.2.12"},
		{"wasi:cli/command@0.2.x", "wasi:cli/command@0.2.12"},
		{"wasi:cli/command@^0.2.3", "wasi:cli/command@0.2.12"},
		{"wasi:cli/command@>=0.2.10, <0.3", "wasi:cli/command@0.2.12"},
		{"wasi:cli/command@0.2.12", "wasi:cli/command@0.2.12"},
		{"wasi:http/proxy@0.2", "wasi:http/proxy@0.2.12"},
	} {
		w, err := p.FindWorld(tc.spec)
		if err != nil {
			t.Errorf("FindWorld(%q): %v", tc.spec, err)
			continue
		}
		if got := WorldID(w); got != tc.want {
			t.Errorf("FindWorld(%q) = %s, want %s", tc.spec, got, tc.want)
		}
	}
	const loaded = "; worlds loaded: test:target/app@0.1.0, test:target/geometry-service@0.1.0, test:target/processing-service@0.1.0, wasi:cli/command@0.2.12, wasi:cli/imports@0.2.12, wasi:clocks/imports@0.2.12, wasi:filesystem/imports@0.2.12, wasi:http/imports@0.2.12, wasi:http/proxy@0.2.12, wasi:io/imports@0.2.12, wasi:random/imports@0.2.12, wasi:sockets/imports@0.2.12"
	for _, tc := range []struct{ spec, want string }{
		{"ap", `world "ap": package test:target@0.1.0 has no world ` + "`ap`" + loaded},
		{"wasi:cli/comand@0.2.x", `world "wasi:cli/comand@0.2.x": package wasi:cli@0.2.12 has no world ` + "`comand`" + loaded},
		{"wasi:cli/command@0.3.x", `world "wasi:cli/command@0.3.x": wasi:cli is loaded at 0.2.12, none of which matches 0.3.x` + loaded},
		{"wasi:cli/command@0.2.3", `world "wasi:cli/command@0.2.3": wasi:cli is loaded at 0.2.12, not 0.2.3 (write a requirement such as @0.2.x to accept compatible versions)` + loaded},
		{"wasi:nn/graph@0.2.x", `world "wasi:nn/graph@0.2.x": no package wasi:nn is loaded (add it to [wit.dependencies])` + loaded},
	} {
		_, err := p.FindWorld(tc.spec)
		var we *WorldError
		if !errors.As(err, &we) || err.Error() != tc.want {
			t.Errorf("FindWorld(%q) error = %v\nwant %s", tc.spec, err, tc.want)
		}
	}
	for _, tc := range []struct{ spec, want string }{
		{"wasi:cli@0.2.12/command", `world "wasi:cli@0.2.12/command": the version goes after the world name (ns:pkg/world@version)`},
		{"wasi:cli/command@~>0.2", `world "wasi:cli/command@~>0.2": version requirement "~>0.2"`},
	} {
		if _, err := p.FindWorld(tc.spec); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("FindWorld(%q) error = %v\nwant %s…", tc.spec, err, tc.want)
		}
	}
}

// TestLoadErrors: what is wrong with a WIT directory comes back with the
// file:line:col wasm-tools gives, or says which package is missing.
func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"syntax", map[string]string{"app.wit": "package a:b;\nworld w { import f: func(x: u32) }\n"},
			[]string{"WIT package in ", "app.wit:2:"}},
		{"missing dependency", map[string]string{"app.wit": "package a:b;\nworld w { import wasi:io/streams@0.2.0; }\n"},
			[]string{"package 'wasi:io@0.2.0' not found", "app.wit:2:18"}},
		{"no package line", map[string]string{"app.wit": "world w {}\n"},
			[]string{"app.wit:1:1: no `package ns:name;` declaration"}},
		{"no files", map[string]string{"README": "x"}, []string{"no .wit files"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(dir)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestTidyWasmToolsError(t *testing.T) {
	in := "wasm-tools: error: package 'wasi:io@0.2.0' not found. known packages:\n    a:b\n\n     --> /tmp/lw/app.wit:2:18\n      |\n    2 | world w { import wasi:io/streams@0.2.0; }\n      |                  ^------\n"
	want := "/tmp/lw/app.wit:2:18: package 'wasi:io@0.2.0' not found. known packages:\n    a:b\n      |\n    2 | world w { import wasi:io/streams@0.2.0; }\n      |                  ^------"
	if got := tidyWasmToolsError(in); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := tidyWasmToolsError("wasm-tools: exit status 1\n"); got != "exit status 1" {
		t.Errorf("got %q", got)
	}
}
