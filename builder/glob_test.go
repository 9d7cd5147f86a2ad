package builder

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		glob, name string
		want       bool
	}{
		{"src/**", "src/lib.rs", true},
		{"src/**", "src/a/b/c.rs", true},
		{"src/**", "srcx/lib.rs", false},
		{"src/**", "build.rs", false},
		{"**/*.py", "app.py", true},
		{"**/*.py", "pkg/sub/mod.py", true},
		{"**/*.py", "pkg/mod.pyc", false},
		{"*.py", "pkg/mod.py", false},
		{"Cargo.toml", "Cargo.toml", true},
		{"Cargo.toml", "sub/Cargo.toml", false},
		{"a/**/b", "a/b", true},
		{"a/**/b", "a/x/y/b", true},
		{"a/**/b", "a/x/y/c", false},
		{"**", "anything/at/all", true},
		{"src/*.rs", "src/lib.rs", true},
		{"src/[a-m]*.rs", "src/lib.rs", true},
		{"src/[n-z]*.rs", "src/lib.rs", false},
		{"?.js", "a.js", true},
	}
	for _, tt := range tests {
		if got := matchGlob(tt.glob, tt.name); got != tt.want {
			t.Errorf("matchGlob(%q, %q) = %v, want %v", tt.glob, tt.name, got, tt.want)
		}
	}
}

func TestExpandGlobs(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{
		"src/lib.rs", "src/bin/main.rs", "Cargo.toml", "README.md",
		"target/debug/x.rs", "node_modules/m/index.js", ".git/config", "src/.hidden/x.rs",
		"index.js", "lib/a.mjs", "out/app.wasm",
	} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		globs, exclude, want []string
	}{
		{[]string{"src/**", "Cargo.toml", "Cargo.lock", "build.rs"}, nil, []string{"Cargo.toml", "src/bin/main.rs", "src/lib.rs"}},
		{[]string{"**/*.js", "**/*.mjs"}, nil, []string{"index.js", "lib/a.mjs"}},
		// A glob that names a skipped directory literally enters it.
		{[]string{"node_modules/**"}, nil, []string{"node_modules/m/index.js"}},
		{[]string{"**"}, []string{"out/app.wasm"}, []string{"Cargo.toml", "README.md", "index.js", "lib/a.mjs", "src/bin/main.rs", "src/lib.rs"}},
		{[]string{"missing/**", "missing.txt"}, nil, []string{}},
		{[]string{"./src/../Cargo.toml"}, nil, []string{"Cargo.toml"}},
	}
	for _, tt := range tests {
		got, err := expandGlobs(dir, tt.globs, tt.exclude)
		if err != nil {
			t.Fatalf("%q: %v", tt.globs, err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("expandGlobs(%q) = %q, want %q", tt.globs, got, tt.want)
		}
	}
}
