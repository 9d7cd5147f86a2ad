package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/testcomponent"
	"github.com/wcomp/wcomp/internal/validate"
)

// TestComposeShareModules composes two members that hold identical core
// modules and a nested component, with sharing (the default) and with
// --no-share-modules: the summary notes what was stored once, the shared
// file (written from ranges of the members' files) is smaller and valid,
// and inspect and audit say what it stores once, of it only.
func TestComposeShareModules(t *testing.T) {
	dir := t.TempDir()
	app, lib := filepath.Join(dir, "app.wasm"), filepath.Join(dir, "lib.wasm")
	writeFile(t, app, testcomponent.ShareApp(t))
	writeFile(t, lib, testcomponent.ShareLib(t))
	compose := func(out string, extra ...string) (string, []byte) {
		t.Helper()
		code, stdout, stderr := runWcomp(append([]string{"compose", app, "--plug", lib, "-o", out}, extra...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		validate.Component(t, data)
		return stdout, data
	}
	shared := filepath.Join(dir, "shared.wasm")
	unshared := filepath.Join(dir, "unshared.wasm")
	sharedOut, sharedData := compose(shared)
	unsharedOut, unsharedData := compose(unshared, "--no-share-modules")
	const note = "note:      2 core modules and 1 nested component identical in lib, app stored once"
	if !strings.Contains(sharedOut, note) {
		t.Errorf("summary lacks %q:\n%s", note, sharedOut)
	}
	if strings.Contains(unsharedOut, "stored once") {
		t.Errorf("--no-share-modules summary mentions sharing:\n%s", unsharedOut)
	}
	if len(sharedData) >= len(unsharedData) {
		t.Errorf("shared output %d bytes, unshared %d", len(sharedData), len(unsharedData))
	}
	const line = "shared: 2 core modules and 1 component, "
	for _, cmd := range [][]string{{"inspect"}, {"audit"}} {
		_, out, stderr := runWcomp(append(cmd, shared)...)
		if !strings.Contains(out, line) {
			t.Errorf("wcomp %s of the shared output lacks %q:\n%s%s", cmd[0], line, out, stderr)
		}
		_, out, _ = runWcomp(append(cmd, unshared)...)
		if strings.Contains(out, "\nshared: ") {
			t.Errorf("wcomp %s of the unshared output says it shares:\n%s", cmd[0], out)
		}
	}
	_, js, _ := runWcomp("inspect", "--json", shared)
	if !strings.Contains(js, `"shared": {`) || !strings.Contains(js, `"modules": 2`) {
		t.Errorf("inspect --json lacks the shared object:\n%s", js)
	}
}
