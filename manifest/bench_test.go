package manifest

import (
	"os"
	"testing"
)

// BenchmarkParseExample measures decoding component.toml.example, which a
// no-op `wcomp build` pays once.
func BenchmarkParseExample(b *testing.B) {
	data, err := os.ReadFile("../component.toml.example")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(FileName, data); err != nil {
			b.Fatal(err)
		}
	}
}
