package project

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/testcomponent"
	"github.com/wcomp/wcomp/internal/validate"
)

// TestBuildShareModules builds a project of two prebuilt members that hold
// identical modules: shared by default (a note says so), embedded whole
// with [compose] share-modules = false or with Options.NoShareModules, and
// each change of the setting recomposes (it is in the fingerprint) rather
// than leaving the other setting's output as fresh.
func TestBuildShareModules(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "app.wasm"), string(testcomponent.ShareApp(t)))
	write(t, filepath.Join(dir, "lib.wasm"), string(testcomponent.ShareLib(t)))
	manifest := func(compose string) {
		write(t, filepath.Join(dir, "component.toml"), `[package]
name = "example:shared"
version = "0.1.0"

[components.app]
path = "app.wasm"

[components.lib]
path = "lib.wasm"
`+compose)
	}
	b := &testBuild{t: t, dir: dir}
	b.env, b.cache = toolEnv(t)
	build := func(opts Options) ([]byte, string) {
		t.Helper()
		res, rec := b.mustRun(opts)
		data, err := os.ReadFile(res.Path)
		if err != nil {
			t.Fatal(err)
		}
		validate.Component(t, data)
		var notes []string
		for _, e := range rec.events {
			if e.Kind == Note {
				notes = append(notes, e.Message)
			}
		}
		return data, strings.Join(notes, "\n")
	}

	manifest("")
	shared, notes := build(Options{})
	if !strings.Contains(notes, "identical in lib, app stored once") {
		t.Errorf("notes %q lack the sharing note", notes)
	}
	manifest("\n[compose]\nshare-modules = false\n")
	whole, notes := build(Options{})
	if strings.Contains(notes, "stored once") || len(whole) <= len(shared) {
		t.Errorf("share-modules = false: %d bytes (shared %d), notes %q", len(whole), len(shared), notes)
	}
	manifest("")
	if again, _ := build(Options{NoShareModules: true}); !bytes.Equal(again, whole) {
		t.Error("--no-share-modules gave other bytes than share-modules = false")
	}
	if again, _ := build(Options{}); !bytes.Equal(again, shared) {
		t.Error("sharing again did not give the first build's bytes")
	}
}
