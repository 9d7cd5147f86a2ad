package wasmtimecli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFindsNativeBinary: what runs is an executable that answers
// --version as wasmtime, and, with the pip launcher installed, the native
// binary rather than the Python script in front of it.
func TestFindsNativeBinary(t *testing.T) {
	p := Path(t)
	out, err := exec.Command(p, "--version").Output()
	if err != nil || !strings.HasPrefix(string(out), "wasmtime ") {
		t.Fatalf("%s --version: %q, %v", p, out, err)
	}
	if os.Getenv("WASMTIME") == "" {
		head := make([]byte, 2)
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if n, _ := f.Read(head); n == 2 && string(head) == "#!" {
			t.Errorf("found the launcher script %s, not the native binary", p)
		}
	}
}

// TestLocateHonoursEnv: $WASMTIME wins; a missing or non-executable one is
// an error naming the variable, not a silent fallback.
func TestLocateHonoursEnv(t *testing.T) {
	native := Path(t)
	t.Setenv("WASMTIME", native)
	if got, err := locate(); err != nil || got != native {
		t.Fatalf("locate() = %q, %v; want %q", got, err, native)
	}

	dir := t.TempDir()
	plain := filepath.Join(dir, "wasmtime")
	if err := os.WriteFile(plain, []byte("not a program"), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		filepath.Join(dir, "missing"): "no such file",
		plain:                         "is not executable",
		dir:                           "is a directory",
	} {
		t.Setenv("WASMTIME", path)
		_, err := locate()
		if err == nil || !strings.Contains(err.Error(), "$WASMTIME") || !strings.Contains(err.Error(), want) {
			t.Errorf("locate() with $WASMTIME=%s: %v, want an error naming $WASMTIME and %q", path, err, want)
		}
	}
}
