package wit

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// TestEncodePackageMatchesWasmTools: each package, encoded by
// EncodePackage, is valid for wasm-tools and reads back (`wasm-tools
// component wit`) as exactly the WIT that wasm-tools' own encoding
// (`component wit --wasm`) reads back as, and is byte for byte that
// encoding but for the producers section in which wasm-tools names
// itself; ReadPackageBinary names it.
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
			if want := withoutProducers(t, theirs); !bytes.Equal(ours, want) {
				t.Errorf("not byte-identical to wasm-tools' encoding without its producers section (%d vs %d bytes)", len(ours), len(want))
			}
			info, err := ReadPackageBinary(ours)
			if err != nil || info.ID() != p.Package.Name.String() {
				t.Errorf("ReadPackageBinary: %v, %v", info, err)
			}
		})
	}
}

// withoutProducers is data without its producers custom section.
func withoutProducers(t *testing.T, data []byte) []byte {
	t.Helper()
	c, err := component.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	var enc component.Encoder
	for i := range c.Sections {
		s := &c.Sections[i]
		if s.ID == component.SectionCustom && s.Custom.Name == "producers" {
			continue
		}
		if err := enc.AddSection(s); err != nil {
			t.Fatal(err)
		}
	}
	out, err := enc.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}
