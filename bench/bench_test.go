package bench

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/graph"
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

// BenchmarkComposeSeedExplicit composes the same graph said explicitly,
// as a WAC document or component.toml would say it: no auto-plugging, the
// link wired, the export named. It is the baseline a WAC document of the
// seed is measured against.
func BenchmarkComposeSeedExplicit(b *testing.B) {
	opts, _ := seed(b)
	const iface = "example:service/processing@0.1.0"
	opts.NoAutoPlug = true
	opts.Wires = []graph.Wire{{Consumer: "business", Import: iface, Provider: "validator", Export: iface}}
	opts.Exports = []graph.ExportSpec{{Instance: "business", Export: "wasi:cli/run@0.2.6"}, {Instance: "business", Export: "handle"}}
	if _, err := compose.Compose(opts); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := compose.Compose(opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolveSeed is decoding the members and resolving the seed's
// graph, without encoding or checking an output.
func BenchmarkResolveSeed(b *testing.B) {
	opts, _ := seed(b)
	for b.Loop() {
		g, _, err := compose.Graph(opts)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := g.Resolve(); err != nil {
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
