package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/validate"
)

// TestComposeCommand composes two real fixtures twice into the same output
// (the second run replaces the first atomically) and checks the summary,
// the file and that no temporary file is left behind.
func TestComposeCommand(t *testing.T) {
	consumer := fixture.Path(t, "wit-semver-020")
	provider := fixture.Path(t, "wit-semver-provider")
	dir := t.TempDir()
	out := filepath.Join(dir, "app.wasm")
	for range 2 {
		code, stdout, stderr := runWcomp("compose", consumer, "--plug", provider, "-o", out)
		if code != 0 || stderr != "" {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		for _, want := range []string{"composed " + out, "members:   wit-semver-provider, wit-semver-020", "plugged:   wit-semver-020."} {
			if !strings.Contains(stdout, want) {
				t.Errorf("summary lacks %q:\n%s", want, stdout)
			}
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	validate.Component(t, data)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("output directory holds %d entries, want only app.wasm", len(entries))
	}
}

func TestComposeErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.wasm")
	missing := filepath.Join(dir, "missing.wasm")
	code, stdout, stderr := runWcomp("compose", missing, "-o", out)
	if code != 1 || !strings.Contains(stderr, "no such file or directory") || strings.Count(stderr, "\n") != 1 || stdout != "" {
		t.Errorf("missing input: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed compose left %s behind", out)
	}
}
