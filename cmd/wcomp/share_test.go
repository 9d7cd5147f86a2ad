package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/progress"
	"github.com/wcomp/wcomp/internal/testcomponent"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// TestComposeShareModules composes two members that hold identical core
// modules and a nested component, with sharing (the default) and with
// --no-share-modules: the summary notes what was stored once, the shared
// file (written from ranges of the members' files) is smaller and valid,
// and inspect and audit (text and --json) say what it stores once, of it
// only, in the counts and bytes wasm-tools finds: the items the members
// hold identically that nested components alias from the outermost one.
func TestComposeShareModules(t *testing.T) {
	dir := t.TempDir()
	app, lib := filepath.Join(dir, "app.wasm"), filepath.Join(dir, "lib.wasm")
	appData, libData := testcomponent.ShareApp(t), testcomponent.ShareLib(t)
	writeFile(t, app, appData)
	writeFile(t, lib, libData)
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
	// What the shared output stores once, as wasm-tools reads it: each
	// item is one the members hold identically (twice or more).
	want := sharedByWasmTools(t, sharedData)
	t.Logf("stored once, as wasm-tools reads the shared output: %+v", want)
	if want.Modules == 0 || want.Components == 0 {
		t.Errorf("wasm-tools finds %+v stored once in the shared output; want modules and a component", want)
	}
	for _, it := range wasmtools.OuterUses(t, sharedData) {
		n := 0
		for _, in := range [][]byte{appData, libData} {
			for _, m := range wasmtools.NestedItems(t, in) {
				if m.Module == it.Module && bytes.Equal(m.Bytes(in), it.Bytes(sharedData)) {
					n++
				}
			}
		}
		if n < 2 {
			t.Errorf("the shared output stores once an item (module %v, %d bytes) the members hold %d times", it.Module, it.Size(), n)
		}
	}
	if got := wasmtools.OuterUses(t, unsharedData); len(got) != 0 {
		t.Errorf("wasm-tools finds %d items stored once in the unshared output", len(got))
	}
	for _, cmd := range [][]string{{"inspect"}, {"audit"}} {
		_, out, stderr := runWcomp(append(cmd, shared)...)
		checkSharedLine(t, "wcomp "+cmd[0], out+stderr, want)
		_, out, _ = runWcomp(append(cmd, unshared)...)
		if strings.Contains(out, "\nshared: ") {
			t.Errorf("wcomp %s of the unshared output says it shares:\n%s", cmd[0], out)
		}
		_, js, _ := runWcomp(append(cmd, "--json", shared)...)
		checkSharedJSON(t, "wcomp "+cmd[0]+" --json", js, want)
		_, js, _ = runWcomp(append(cmd, "--json", unshared)...)
		checkSharedJSON(t, "wcomp "+cmd[0]+" --json of the unshared output", js, sharedFigures{})
	}
}

// sharedFigures is the "shared" object of inspect and audit --json.
type sharedFigures struct {
	Modules     int `json:"modules"`
	Components  int `json:"components"`
	StoredBytes int `json:"stored_bytes"`
	SavedBytes  int `json:"saved_bytes"`
}

// sharedByWasmTools is what wasm stores once, as wasm-tools reads it (see
// wasmtools.OuterUses): the items its nested components alias from its
// own sections, their bytes, and what embedding each use whole would add.
func sharedByWasmTools(t *testing.T, wasm []byte) sharedFigures {
	t.Helper()
	var f sharedFigures
	for _, it := range wasmtools.OuterUses(t, wasm) {
		if it.Module {
			f.Modules++
		} else {
			f.Components++
		}
		f.StoredBytes += it.Size()
		f.SavedBytes += (it.Uses - 1) * it.Size()
	}
	return f
}

// sharedLine is inspect's and audit's "shared: 2 core modules and 1
// component, 249 B stored once (289 B saved)".
var sharedLine = regexp.MustCompile(`(?m)^shared: (?:(\d+) core modules?)?(?: and )?(?:(\d+) components?)?, (.+) stored once \((.+) saved\)$`)

// checkSharedLine checks the shared line of what wcomp printed against
// want, which comes from wasm-tools.
func checkSharedLine(t *testing.T, what, out string, want sharedFigures) {
	t.Helper()
	m := sharedLine.FindStringSubmatch(out)
	if m == nil {
		t.Errorf("%s prints no shared line:\n%s", what, out)
		return
	}
	count := func(s string) int { n, _ := strconv.Atoi(s); return n }
	got := []string{strconv.Itoa(count(m[1])), strconv.Itoa(count(m[2])), m[3], m[4]}
	exp := []string{strconv.Itoa(want.Modules), strconv.Itoa(want.Components), progress.Size(int64(want.StoredBytes)), progress.Size(int64(want.SavedBytes))}
	if !slices.Equal(got, exp) {
		t.Errorf("%s: %q; wasm-tools finds %d modules and %d components, %s stored once (%s saved)", what, m[0], want.Modules, want.Components, exp[2], exp[3])
	}
}

// checkSharedJSON checks the "shared" object of a --json report against
// want, which comes from wasm-tools (all zero: no object).
func checkSharedJSON(t *testing.T, what, js string, want sharedFigures) {
	t.Helper()
	var report struct {
		Shared *sharedFigures `json:"shared"`
	}
	if err := json.Unmarshal([]byte(js), &report); err != nil {
		t.Errorf("%s: %v\n%s", what, err, js)
		return
	}
	got := sharedFigures{}
	if report.Shared != nil {
		got = *report.Shared
	}
	if got != want || (report.Shared == nil) != (want == sharedFigures{}) {
		t.Errorf("%s: shared %+v; wasm-tools finds %+v", what, report.Shared, want)
	}
}
