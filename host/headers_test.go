package host

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHeadersMatchWasmtimeGo guards the copied headers: they must describe
// the libwasmtime.a that is actually linked, i.e. the wasmtime-go module
// version in go.mod.
func TestHeadersMatchWasmtimeGo(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/bytecodealliance/wasmtime-go/v44").Output()
	if err != nil {
		t.Fatalf("locating wasmtime-go: %v", err)
	}
	src := filepath.Join(strings.TrimSpace(string(out)), "build", "include")
	n := 0
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".h") {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		want, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		got, err := os.ReadFile(filepath.Join("include", rel))
		if err != nil {
			t.Errorf("header %s missing from host/include", rel)
			return nil
		}
		if !bytes.Equal(got, want) {
			t.Errorf("host/include/%s differs from wasmtime-go's copy", rel)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("no headers found under %s", src)
	}
}
