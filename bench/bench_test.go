package bench

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/wcomp/wcomp/compose"
)

func fixture(b *testing.B, name string) compose.Input {
	b.Helper()
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "fixtures", "out", name+".wasm")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatalf("fixture %s: %v (build the fixtures with fixtures/build.sh)", name, err)
	}
	return compose.Input{Name: name, Bytes: data, Path: path}
}

// BenchmarkComposeSeed composes the Python business component with the Rust
// validator, from bytes in memory to bytes in memory: decoding both, the
// graph, the subtype checks, the import merge and the encoding.
func BenchmarkComposeSeed(b *testing.B) {
	opts := compose.Options{Root: fixture(b, "business"), Plugs: []compose.Input{fixture(b, "validator")}, Version: "bench"}
	in := int64(len(opts.Root.Bytes) + len(opts.Plugs[0].Bytes))
	b.SetBytes(in)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := compose.Compose(opts); err != nil {
			b.Fatal(err)
		}
	}
}
