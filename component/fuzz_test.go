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
	addSeeds(f, "wat/*.wat")
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

// FuzzDecodeType feeds arbitrary bytes to DecodeType and Check, where the
// index handling is (index spaces, aliases, outer references,
// instantiation): neither may panic, and a type that resolves must be a
// subtype of itself, survive Fresh, and have instance imports that union
// with themselves. Seeds as FuzzDecode, plus the resolve and subtype
// cases, and testdata/fuzz/FuzzDecodeType.
func FuzzDecodeType(f *testing.F) {
	addSeeds(f, "wat/*.wat", "resolve/*.wat", "typeenc/*.wat")
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Decode(data)
		if err != nil {
			return
		}
		_, _ = Check(c, nil) // must not panic
		ct, err := Resolve(c)
		if err != nil {
			return
		}
		if err := CheckSubtype(ct, ct); err != nil {
			t.Fatalf("a component type is not a subtype of itself: %v", err)
		}
		fresh := Fresh(ct)
		if len(fresh.Imports) != len(ct.Imports) || len(fresh.Exports) != len(ct.Exports) {
			t.Fatal("Fresh changed the shape of the type")
		}
		for _, im := range ct.Imports {
			if it, ok := im.Type.(*InstanceType); ok {
				if _, err := UnionInstanceTypes(it, FreshImport(it).(*InstanceType)); err != nil {
					t.Fatalf("import %s does not union with a copy of itself: %v", im.Name, err)
				}
			}
		}
	})
}

// addSeeds adds the WAT files matching patterns (under testdata) and the
// built fixtures, the first 64 KiB of large ones, as fuzz seeds.
func addSeeds(f *testing.F, patterns ...string) {
	for _, pattern := range patterns {
		files, _ := filepath.Glob(filepath.Join("testdata", pattern))
		for _, w := range files {
			f.Add(parseWATFile(f, w))
		}
	}
	for _, p := range fixture.All(f) {
		b := fixture.Read(f, fixture.Name(p))
		if len(b) > 64<<10 {
			b = b[:64<<10]
		}
		f.Add(b)
	}
}
