package mmapfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func write(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpen(t *testing.T) {
	want := bytes.Repeat([]byte("component "), 100_000)
	m, err := Open(write(t, "big", want))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(m.Bytes(), want) {
		t.Fatal("mapped bytes differ from the file")
	}
	if !m.Holds(m.Bytes()) || m.Holds(append([]byte(nil), want...)) || m.Holds(m.Bytes()[1:]) {
		t.Fatal("Holds must recognize exactly the mapped slice, not equal bytes or a part")
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestOpenEmptyAndErrors(t *testing.T) {
	m, err := Open(write(t, "empty", nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Bytes()) != 0 || m.Holds(m.Bytes()) {
		t.Fatalf("empty file: %d bytes", len(m.Bytes()))
	}
	m.Close()
	if _, err := Open(t.TempDir()); !errors.Is(err, syscall.EISDIR) {
		t.Fatalf("directory: got %v", err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing")); !os.IsNotExist(err) {
		t.Fatalf("missing file: got %v", err)
	}
}

// TestWriter assembles an output from written bytes, whole input files
// and ranges of them, as `wcomp compose` does (a member written with
// shared modules is ranges of its file), and checks every byte landed in
// order.
func TestWriter(t *testing.T) {
	a := make([]byte, 70_000)
	for i := range a {
		a[i] = byte(i * 7)
	}
	b := bytes.Repeat([]byte("bb"), 5)
	ma, err := Open(write(t, "a", a))
	if err != nil {
		t.Fatal(err)
	}
	defer ma.Close()
	mb, err := Open(write(t, "b", b))
	if err != nil {
		t.Fatal(err)
	}
	defer mb.Close()
	outPath := filepath.Join(t.TempDir(), "out")
	out, err := os.Create(outPath)
	if err != nil {
		t.Fatal(err)
	}
	chunks := [][]byte{[]byte("head"), ma.Bytes(), []byte("mid"), mb.Bytes(), ma.Bytes()[100:5000],
		[]byte("x"), ma.Bytes()[69_000:], mb.Bytes()[1:3], ma.Bytes(), []byte("tail")}
	Preallocate(out, 1<<20)
	w := Writer(out, ma, mb)
	var want []byte
	for _, c := range chunks {
		n, err := w.Write(c)
		if err != nil || n != len(c) {
			t.Fatalf("write %d bytes: %d, %v", len(c), n, err)
		}
		want = append(want, c...)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("output: %d bytes, want %d (preallocation must not change the length)", len(got), len(want))
	}
}
