package bench

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/mmapfile"
)

// seed maps the seed's inputs (as `wcomp compose` does) and returns the
// options composing them; the maps are closed when the benchmark ends.
func seed(b *testing.B) (compose.Options, []*mmapfile.File) {
	b.Helper()
	var files []*mmapfile.File
	input := func(name string) compose.Input {
		path := fixture.Path(b, name)
		m, err := mmapfile.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { m.Close() })
		files = append(files, m)
		return compose.Input{Name: name, Bytes: m.Bytes(), Path: path}
	}
	opts := compose.Options{Root: input("business"), Plugs: []compose.Input{input("validator")}, Version: "bench"}
	b.SetBytes(int64(len(opts.Root.Bytes) + len(opts.Plugs[0].Bytes)))
	b.ReportAllocs()
	return opts, files
}

// BenchmarkComposeSeed composes the Python business component with the Rust
// validator, from mapped inputs to the output's chunks in memory: decoding
// both, the graph, the subtype checks, the import merge and the encoding.
func BenchmarkComposeSeed(b *testing.B) {
	opts, _ := seed(b)
	for b.Loop() {
		if _, err := compose.Compose(opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkComposeSeedToFile adds writing the output file the way `wcomp
// compose` does: section bytes written, members' bytes copied file to file.
func BenchmarkComposeSeedToFile(b *testing.B) {
	opts, files := seed(b)
	out := filepath.Join(b.TempDir(), "out.wasm")
	for b.Loop() {
		res, err := compose.Compose(opts)
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := res.WriteTo(mmapfile.Writer(f, files...)); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		if err := os.Remove(out); err != nil {
			b.Fatal(err)
		}
	}
}
