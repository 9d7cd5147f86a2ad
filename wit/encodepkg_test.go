package wit

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

// TestEncodePackageMatchesWasmTools: each package, encoded by
// EncodePackage, is valid for wasm-tools and reads back (`wasm-tools
// component wit`) as exactly the WIT that wasm-tools' own encoding
// (`component wit --wasm`) reads back as; ReadPackageBinary names it.
// (Not byte-identical: wasm-tools adds a producers section naming
// itself, and orders and deduplicates some type definitions otherwise.)
func TestEncodePackageMatchesWasmTools(t *testing.T) {
	// Single-file packages of the fixtures and tests, and directories: one
	// with a dependency in deps/ whose resources cross interfaces, one
	// with a doc comment everywhere the format keeps one.
	files := []string{
		"testdata/src/bare.wit", "testdata/src/demo.wit",
		"../fixtures/wit/echo.wit", "../fixtures/wit/hello.wit", "../fixtures/wit/resources.wit", "../fixtures/wit/service.wit",
		"testdata/encode/deps", "testdata/encode/docs",
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			dir := file
			if filepath.Ext(file) == ".wit" {
				dir = t.TempDir()
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "package.wit"), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			p, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			ours, err := p.EncodePackage()
			if err != nil {
				t.Fatal(err)
			}
			if err := wasmtools.Validate(t, ours); err != nil {
				t.Fatalf("wasm-tools validate: %v", err)
			}
			theirs := wasmtools.EncodeWIT(t, dir)
			if got, want := wasmtools.ComponentWIT(t, ours), wasmtools.ComponentWIT(t, theirs); got != want {
				t.Errorf("read back differently:\n--- wasm-tools' encoding\n%s\n--- ours\n%s", want, got)
			}
			if !bytes.Equal(ours, theirs) {
				t.Logf("not byte-identical to wasm-tools' encoding (%d vs %d bytes)", len(ours), len(theirs))
			}
			info, err := ReadPackageBinary(ours)
			if err != nil || info.ID() != p.Package.Name.String() {
				t.Errorf("ReadPackageBinary: %v, %v", info, err)
			}
		})
	}
}
