package component

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/wcomp/wcomp/internal/fixture"
)

// FuzzDecode feeds arbitrary bytes to Decode (and CheckNestedFraming): it
// must never panic, and whatever it accepts must re-encode and decode to
// the same model bytes.
// Seeds: the WAT tests, the small fixtures (and the first 64 KiB of large
// ones), and testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	wats, _ := filepath.Glob(filepath.Join("testdata", "wat", "*.wat"))
	for _, w := range wats {
		f.Add(parseWATFile(f, w))
	}
	for _, p := range fixture.All(f) {
		b := fixture.Read(f, fixture.Name(p))
		if len(b) > 64<<10 {
			b = b[:64<<10]
		}
		f.Add(b)
	}
	f.Add(append([]byte{}, Preamble[:]...))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = CheckNestedFraming(data) // must not panic, whatever the input
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
