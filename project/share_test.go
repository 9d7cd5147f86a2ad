package project

import (
	"bytes"
	"crypto/sha256"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/testcomponent"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// TestBuildShareModules builds a project of two prebuilt members that hold
// identical modules: shared by default (a note says so, and wasm-tools
// objdump finds each distinct module of the members once), embedded whole
// with [compose] share-modules = false or with Options.NoShareModules, and
// each change of the setting recomposes (it is in the fingerprint) rather
// than leaving the other setting's output as fresh.
func TestBuildShareModules(t *testing.T) {
	dir := t.TempDir()
	app, lib := testcomponent.ShareApp(t), testcomponent.ShareLib(t)
	write(t, filepath.Join(dir, "app.wasm"), string(app))
	write(t, filepath.Join(dir, "lib.wasm"), string(lib))
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
	// wasm-tools objdump finds each distinct module of the members once in
	// the shared output, and every one of theirs in the whole one.
	distinct, all := moduleSums(t, app, lib)
	inShared, inWhole := moduleSums1(t, shared), moduleSums1(t, whole)
	t.Logf("modules by wasm-tools objdump: %d in the members, %d distinct; %d in the shared output, %d in the whole one",
		total(all), len(distinct), total(inShared), total(inWhole))
	if len(distinct) == total(all) || !maps.Equal(inShared, distinct) {
		t.Errorf("shared output: %d modules (%d distinct) by wasm-tools objdump; want the members' %d distinct ones (of %d), once each",
			total(inShared), len(inShared), len(distinct), total(all))
	}
	if !maps.Equal(inWhole, all) {
		t.Errorf("share-modules = false: %d modules by wasm-tools objdump; want the members' %d", total(inWhole), total(all))
	}
	manifest("")
	if again, _ := build(Options{NoShareModules: true}); !bytes.Equal(again, whole) {
		t.Error("--no-share-modules gave other bytes than share-modules = false")
	}
	if again, _ := build(Options{}); !bytes.Equal(again, shared) {
		t.Error("sharing again did not give the first build's bytes")
	}
}

// moduleSums counts the core modules of components, at any depth, by
// content as wasm-tools objdump lists them: all of them, and the distinct
// ones (each counted once).
func moduleSums(t *testing.T, wasms ...[]byte) (distinct, all map[[32]byte]int) {
	distinct, all = map[[32]byte]int{}, map[[32]byte]int{}
	for _, w := range wasms {
		for _, it := range wasmtools.NestedItems(t, w) {
			if it.Module {
				sum := sha256.Sum256(it.Bytes(w))
				all[sum]++
				distinct[sum] = 1
			}
		}
	}
	return distinct, all
}

// moduleSums1 is moduleSums' all of one component.
func moduleSums1(t *testing.T, wasm []byte) map[[32]byte]int {
	_, all := moduleSums(t, wasm)
	return all
}

// total adds up the counts.
func total(counts map[[32]byte]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}
