package component

import "testing"

// BenchmarkDecode decodes the largest fixture (a componentize-py output
// of about 18 MB): nested modules are skipped by length, so time and
// allocations should track the component-level sections, not the file size.
func BenchmarkDecode(b *testing.B) {
	name, data := largestFixture(b)
	b.Logf("%s: %d bytes", name, len(data))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncode re-encodes the largest fixture from its model.
func BenchmarkEncode(b *testing.B) {
	_, data := largestFixture(b)
	c, err := Decode(data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeType decodes and resolves the largest fixture (a
// componentize-py output of tens of megabytes): only component-level
// sections are read, so this stays in the low milliseconds.
func BenchmarkDecodeType(b *testing.B) {
	name, data := largestFixture(b)
	b.Logf("%s: %d bytes", name, len(data))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeType(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckNestedFraming walks the section headers of every nested
// module of the largest fixture: compose runs it on every member, so it
// must cost microseconds, not a pass over the bytes.
func BenchmarkCheckNestedFraming(b *testing.B) {
	name, data := largestFixture(b)
	b.Logf("%s: %d bytes", name, len(data))
	b.ReportAllocs()
	for b.Loop() {
		if err := CheckNestedFraming(data); err != nil {
			b.Fatal(err)
		}
	}
}
