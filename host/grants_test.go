package host

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An import the check refuses is never linked: Run and Invoke fail before
// instantiation, naming the import and the refusal; an import it accepts
// runs as before.
func TestCheckImport(t *testing.T) {
	e := engine(t)
	wasm := mustWat(t, httpCommand) // imports wasi:http/types@0.2.0
	refuse := func(name string) error {
		if strings.HasPrefix(name, "wasi:http/") {
			return errors.New("deny wasi:http/* (by --deny)")
		}
		return nil
	}
	var seen []string
	record := func(name string) error { seen = append(seen, name); return nil }

	for _, opts := range []RunOptions{{CheckImport: refuse}, {CheckImport: refuse, HTTP: true}} {
		_, err := e.Run(context.Background(), wasm, opts)
		var ng *NotGrantedError
		if !errors.As(err, &ng) || ng.Import != "wasi:http/types@0.2.0" {
			t.Fatalf("Run (HTTP %v): err = %v, want a *NotGrantedError for wasi:http/types@0.2.0", opts.HTTP, err)
		}
		if want := "component imports wasi:http/types@0.2.0, which is not granted: deny wasi:http/* (by --deny)"; err.Error() != want {
			t.Errorf("error %q, want %q", err, want)
		}
		if _, err := e.Invoke(context.Background(), wasm, "run()", opts); !errors.As(err, &ng) {
			t.Errorf("Invoke: err = %v, want a *NotGrantedError", err)
		}
	}
	if code, err := e.Run(context.Background(), wasm, RunOptions{HTTP: true, CheckImport: record}); err != nil || code != 0 {
		t.Fatalf("Run with an accepting check = %d, %v", code, err)
	}
	if fmt.Sprint(seen) != "[wasi:http/types@0.2.0]" {
		t.Errorf("the check saw %v, want every import once", seen)
	}
}

// A read-only grant (--dir HOST::GUEST:ro) lets the guest create nothing:
// the probe (testdata/fsprobe.wat) tries to create a file in its first
// preopened directory.
func TestReadOnlyDir(t *testing.T) {
	e := engine(t)
	probe := wat(t, "fsprobe.wat")
	for _, ro := range []bool{false, true} {
		dir := t.TempDir()
		out, err := e.Invoke(context.Background(), probe, "probe()", RunOptions{Dirs: []DirGrant{{Host: dir, Guest: "/data", ReadOnly: ro}}})
		if err != nil {
			t.Fatal(err)
		}
		_, statErr := os.Stat(filepath.Join(dir, "out.txt"))
		created := statErr == nil
		want := "true"
		if ro {
			want = "false"
		}
		if out != want || created == ro {
			t.Errorf("read-only %v: probe() = %s, out.txt created %v; want %s", ro, out, created, want)
		}
	}
}
