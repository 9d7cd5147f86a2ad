package component

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to Decode: it must never panic, and
// whatever it accepts must re-encode and decode to the same model bytes.
// Seeds: the WAT tests, the small fixtures (and the first 64 KiB of large
// ones), and testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	if files, _ := filepath.Glob("testdata/wat/*.wat"); len(files) > 0 {
		for _, w := range files {
			f.Add(wat2wasm(f, w))
		}
	}
	fixtures, _ := filepath.Glob(filepath.Join("..", "fixtures", "out", "*.wasm"))
	for _, p := range fixtures {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if len(b) > 64<<10 {
			b = b[:64<<10]
		}
		f.Add(b)
	}
	f.Add(append([]byte{}, Preamble[:]...))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Decode(data)
		if err != nil {
			return
		}
		out, err := c.Encode()
		if err != nil {
			t.Fatalf("decoded input does not re-encode: %v", err)
		}
		// The input may use non-canonical LEB128, so compare models by
		// re-encoding the re-decoded output.
		c2, err := Decode(out)
		if err != nil {
			t.Fatalf("re-encoded output does not decode: %v", err)
		}
		out2, err := c2.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("encode is not stable: %d vs %d bytes", len(out), len(out2))
		}
	})
}
