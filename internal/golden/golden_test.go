package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestDiff(t *testing.T) {
	tests := []struct{ want, got, diff string }{
		{"a\nb\nc", "a\nb\nc", ""},
		{"a\nb\nc", "a\nc", "- b\n"},
		{"a\nc", "a\nb\nc", "+ b\n"},
		{"a\nb", "a\nx", "+ x\n- b\n"},
		{"", "x", "+ x\n- \n"},
	}
	for _, tt := range tests {
		if got := Diff(tt.want, tt.got); got != tt.diff {
			t.Errorf("Diff(%q, %q) = %q, want %q", tt.want, tt.got, got, tt.diff)
		}
	}
}

// recorder stands in for a test to observe Check's verdict.
type recorder struct {
	testing.TB
	errors, fatals []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatals = append(r.fatals, fmt.Sprintf(format, args...))
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "out.txt")

	// Writing (as -update does) creates the directory; the file then matches.
	if err := write(path, "one\ntwo\n"); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o644 {
		t.Fatalf("written golden file: %v, %v", info, err)
	}
	r := &recorder{TB: t}
	Check(r, path, "one\ntwo\n")
	if len(r.errors)+len(r.fatals) != 0 {
		t.Errorf("matching output reported: %v %v", r.errors, r.fatals)
	}

	r = &recorder{TB: t}
	Check(r, path, "one\n2\n")
	if want := "output differs from " + path + " (- want, + got):\n+ 2\n- two\n"; len(r.errors) != 1 || r.errors[0] != want {
		t.Errorf("differing output: %q", r.errors)
	}

	r = &recorder{TB: t}
	Check(r, filepath.Join(dir, "missing.txt"), "x")
	if len(r.fatals) != 1 {
		t.Errorf("missing golden file: fatals %q", r.fatals)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}
