package wac

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/wcomp/wcomp/internal/atomicfile"
	"github.com/wcomp/wcomp/internal/golden"
)

// Test cases are txtar archives under testdata/: the inputs, and sections
// holding the expected output, which `go test -update` rewrites.

// txtarCase is one archive being checked.
type txtarCase struct {
	t       *testing.T
	path    string
	ar      *txtar.Archive
	changed bool
}

// txtarCases runs f on every archive matching glob, each as a subtest.
func txtarCases(t *testing.T, glob string, f func(c *txtarCase)) {
	files, err := filepath.Glob(glob)
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases match %s", glob)
	}
	sort.Strings(files)
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			c := &txtarCase{t: t, path: path, ar: ar}
			f(c)
			if c.changed {
				if err := atomicfile.WriteString(path, string(txtar.Format(ar))); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// file returns the named section, and whether there is one.
func (c *txtarCase) file(name string) (string, bool) {
	for _, f := range c.ar.Files {
		if f.Name == name {
			return string(f.Data), true
		}
	}
	return "", false
}

// check compares got with the named section, or sets it under -update.
func (c *txtarCase) check(name, got string) {
	c.t.Helper()
	if !strings.HasSuffix(got, "\n") {
		got += "\n"
	}
	if updating() {
		for i := range c.ar.Files {
			if c.ar.Files[i].Name == name {
				if string(c.ar.Files[i].Data) != got {
					c.ar.Files[i].Data = []byte(got)
					c.changed = true
				}
				return
			}
		}
		c.ar.Files = append(c.ar.Files, txtar.File{Name: name, Data: []byte(got)})
		c.changed = true
		return
	}
	want, ok := c.file(name)
	if !ok {
		c.t.Fatalf("%s has no %q section (run go test -update to add it); got:\n%s", c.path, name, got)
	}
	if want != got {
		c.t.Errorf("%s: %s differs (- want, + got):\n%s", c.path, name, golden.Diff(want, got))
	}
}

// writeFiles writes the sections whose names start with prefix under dir,
// keeping their relative paths.
func (c *txtarCase) writeFiles(dir, prefix string) {
	for _, f := range c.ar.Files {
		if !strings.HasPrefix(f.Name, prefix) {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			c.t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			c.t.Fatal(err)
		}
	}
}

// updating reports whether the tests run with -update (the flag is
// internal/golden's).
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}
