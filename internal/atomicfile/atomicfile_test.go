package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writers are the two ways to write a file: both must be atomic, keep the
// mode and clean up; only the flushes differ.
var writers = []struct {
	name  string
	write func(string, func(*os.File) error) error
}{{"Write", Write}, {"WriteOutput", WriteOutput}}

func writeString(write func(string, func(*os.File) error) error, path, s string) error {
	return write(path, func(f *os.File) error {
		_, err := f.WriteString(s)
		return err
	})
}

// Replacing a file keeps its mode; a new file gets 0644.
func TestWriteReplacesTheFile(t *testing.T) {
	for _, w := range writers {
		t.Run(w.name, func(t *testing.T) { testReplace(t, w.write) })
	}
}

func testReplace(t *testing.T, write func(string, func(*os.File) error) error) {
	for _, mode := range []os.FileMode{0o600, 0o755} {
		dir := t.TempDir()
		path := filepath.Join(dir, "out.wasm")
		if err := os.WriteFile(path, []byte("old"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil { // past the umask
			t.Fatal(err)
		}
		if err := writeString(write, path, "new"); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != "new" {
			t.Fatalf("content %q, %v; want \"new\"", got, err)
		}
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != mode {
			t.Errorf("mode %v, %v; want %v kept", info.Mode().Perm(), err, mode)
		}
		assertOnlyFile(t, dir, "out.wasm")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "new.wasm")
	if err := writeString(write, path, "new"); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("new file: mode %v, %v; want 0644", info.Mode().Perm(), err)
	}
}

// A failed fill leaves the old file untouched and no temporary file.
func TestFailedWriteKeepsTheOldFile(t *testing.T) {
	for _, w := range writers {
		t.Run(w.name, func(t *testing.T) { testFailedWrite(t, w.write) })
	}
}

func testFailedWrite(t *testing.T, write func(string, func(*os.File) error) error) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.wasm")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := write(path, func(f *os.File) error {
		if _, err := f.WriteString("half"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v; want it to wrap the fill's error and name %s", err, path)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("content %q after a failed write; want \"old\"", got)
	}
	assertOnlyFile(t, dir, "out.wasm")
}

func TestWriteIntoAMissingDirectoryNamesThePath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "out.wasm")
	err := WriteString(path, "x")
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v; want a not-exist error naming %s", err, path)
	}
}

func assertOnlyFile(t *testing.T, dir, name string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != name {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v; want only %s", names, name)
	}
}
